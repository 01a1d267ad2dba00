import ArgumentParser

/// `greenmine admin`: account administration for provinces and the ministry.
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin", abstract: "账户管理 Account administration (province, ministry).",
        discussion: """
        Needs the network. 需要联网。
        """,
        subcommands: [AdminResetPasswordCommand.self])
}
