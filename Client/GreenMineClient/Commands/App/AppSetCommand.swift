import ArgumentParser
import GreenMineShared

/// `greenmine app set ID PATH=VALUE…`: changes fields of an application offline.
struct AppSetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set", abstract: "修改新设申请字段 Set fields of an application.",
        usage: HelpUsage.of("greenmine app set", "<id> [<PATH=VALUE> ...]"),
        discussion: """
        Each value is checked against the form's rules as it is given; an empty value clears the \
        field. Paths are listed by `greenmine app show ID`. Only unsubmitted or returned records can change.
        每个值都按表单规则校验；值为空表示清空该字段。
        """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "编号或其前缀 The id or a unique prefix.")
    var id: String

    @Argument(help: ArgumentHelp("字段=值 Field assignments, e.g. basic.mineName=长安矿.", valueName: "PATH=VALUE"))
    var assignments: [String] = []

    func run() async throws {
        try await global.run { try RecordActions(context: $0, kind: .application).set(id, assignments) }
    }
}
