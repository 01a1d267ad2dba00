import ArgumentParser
import GreenMineShared

/// `greenmine review assign APP_ID --agency NAME`: 指派第三方评估机构 (province).
struct ReviewAssignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign", abstract: "指派评估机构 Assign an application under review to an assessment agency (province).",
        discussion: """
        The application goes to `assessing`; the agency's assessors see it after their next sync. \
        The name must be the agency's name exactly as its accounts carry it. Works offline.
        申请进入“评估中”，该机构的评估人员同步后可见。机构名称须与其账户登记的名称一致。可离线操作。
        """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "新设申请编号或其前缀 The application's id or a unique prefix.")
    var id: String

    @Option(name: .long, help: ArgumentHelp("第三方评估机构名称 The assessment agency's name.", valueName: "NAME"))
    var agency: String

    func run() async throws {
        try await global.run {
            try ReviewTransition(context: $0).fire(.assign, id, agency: agency, kinds: [.application])
        }
    }
}
