import ArgumentParser
import GreenMineShared

/// `greenmine review assign APP_ID --agency NAME`: 指派第三方评估机构 (province).
struct ReviewAssignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign", abstract: "指派评估机构 Assign an assessment agency (province).",
        usage: HelpUsage.of("greenmine review assign", "<id> --agency <NAME>"),
        discussion: """
        An application under review goes to the third-party agency (state assessing); the agency's assessors \
        see it after their next sync. Give the agency's name exactly as its accounts carry it: \
        assessors of any other name do not see the application. Works offline: sent at the next sync.
        将已受理的新设申请指派给第三方评估机构，状态变为“评估中”，该机构的评估人员
        同步后可见。机构名称须与该机构账户登记的名称完全一致，否则其评估人员看不到
        该申请。可离线操作，下次同步时发送。
        """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "新设申请编号或其前缀 The application's id or a prefix.")
    var id: String

    @Option(name: .long, help: ArgumentHelp("第三方评估机构名称 The assessment agency's name.", valueName: "NAME"))
    var agency: String

    func run() async throws {
        try await global.run {
            try ReviewTransition(context: $0).fire(.assign, id, agency: agency, kinds: [.application])
        }
    }
}
