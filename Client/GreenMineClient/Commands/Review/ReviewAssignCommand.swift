import ArgumentParser
import GreenMineShared

/// `greenmine review assign APP_ID --agency NAME`: 指派第三方评估机构 (province).
struct ReviewAssignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign", abstract: "指派评估机构 Assign an assessment agency (province).",
        usage: HelpUsage.of("greenmine review assign", "<id> --agency <NAME>"),
        discussion: """
        An application under review goes to the third-party agency (state assessing); the agency's assessors \
        see it after their next sync. Name an agency the server keeps, by name or code (`greenmine review \
        agencies` lists them as of the last sync; this device checks the name against that list, the \
        server refuses an unknown one with agency_unknown). While it is being assessed it can be assigned \
        again to another agency: the first agency's assessors no longer see it, and an assessment they \
        drafted does not count. Works offline: sent at the next sync.
        将已受理的新设申请指派给第三方评估机构，状态变为“评估中”，该机构的评估人员
        同步后可见。须填写服务器登记的评估机构名称或代码（review agencies 列出最近
        一次同步取得的名单；本机按名单检查，服务器拒绝不存在的机构：agency_unknown）。
        评估中可改派给其他机构：原机构的评估人员将看不到该申请，其已录入的评分
        不再有效。可离线操作，下次同步时发送。
        """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "新设申请编号或其前缀 The application's id or a prefix.")
    var id: String

    @Option(name: .long, help: ArgumentHelp("第三方评估机构名称或代码 The agency's name or code.", valueName: "NAME"))
    var agency: String

    func run() async throws {
        try await global.run {
            try ReviewTransition(context: $0).fire(.assign, id, agency: agency, kinds: [.application])
        }
    }
}
