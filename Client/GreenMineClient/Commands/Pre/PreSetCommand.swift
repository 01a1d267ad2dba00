import ArgumentParser
import GreenMineShared

/// `greenmine pre set ID PATH=VALUE…`: changes fields of a pre-application offline.
struct PreSetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set", abstract: "修改预申报字段 Set fields of a pre-application.",
        usage: HelpUsage.of("greenmine pre set", "<id> [<PATH=VALUE> ...]"),
        discussion: """
        Each value is checked against the form's rules as it is given; an empty value clears the \
        field. Paths are listed by `greenmine pre show ID`. Only unsubmitted or returned records can change.
        每个值都按表单规则校验；值为空表示清空该字段。
        """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "编号或其前缀 The id or a unique prefix.")
    var id: String

    @Argument(help: ArgumentHelp("字段=值 Field assignments, e.g. basic.mineName=长安矿.", valueName: "PATH=VALUE"))
    var assignments: [String] = []

    func run() async throws {
        try await global.run { try RecordActions(context: $0, kind: .preApplication).set(id, assignments) }
    }
}
