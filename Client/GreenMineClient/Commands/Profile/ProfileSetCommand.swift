import ArgumentParser
import GreenMineShared

/// `greenmine profile set PATH=VALUE…`: changes the profile offline.
struct ProfileSetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set", abstract: "修改个人资料 Set fields of your profile.",
        usage: HelpUsage.of("greenmine profile set", "[<PATH=VALUE> ...]"),
        discussion: """
        For example 例如: greenmine profile set profile.mobile=13812345678
        """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("字段=值 Field assignments.", valueName: "PATH=VALUE"))
    var assignments: [String] = []

    func run() async throws {
        try await global.run { context in
            guard !assignments.isEmpty else {
                throw ClientError(code: "nothing_to_set", zh: "请给出要修改的字段：PATH=VALUE …",
                                  en: "give the fields to change: PATH=VALUE …")
            }
            let (workspace, _) = try context.workspace()
            let values = try FieldInput.values(assignments, kind: .profile)
            let update = try workspace.setProfile(values)
            try RecordActions(context: context, kind: .profile).reportUpdate(update)
        }
    }
}
