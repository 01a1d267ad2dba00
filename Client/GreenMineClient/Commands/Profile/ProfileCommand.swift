import ArgumentParser

/// `greenmine profile`: 个人资料, the account's own details.
struct ProfileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile", abstract: "个人资料 Your account's details.",
        subcommands: [ProfileShowCommand.self, ProfileSetCommand.self], defaultSubcommand: ProfileShowCommand.self)
}
