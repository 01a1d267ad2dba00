import ArgumentParser
import GreenMineShared

/// `greenmine review opinion ID`: 初审意见 Add a preliminary opinion (county, city, province); the state does not change.
struct ReviewOpinionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "opinion", abstract: "初审意见 Add an opinion (county, city, province).",
        usage: HelpUsage.of("greenmine review opinion", "<id> --comment <TEXT>"),
        discussion: """
        A preliminary opinion on a pre-application or application that is submitted or under review; \
        it is recorded in the process history and the state does not change. County and city \
        reviewers see only the records in their area whose region is chosen down to county level. \
        The comment is required. Works offline: sent at the next sync.
        对已提交或已受理的预申报、新设申请提出初审意见，记入流程记录，状态不变。
        市县级自然资源主管部门只能看到本辖区内所在行政区选择到县一级的记录。
        须填写意见。可离线操作，下次同步时发送。
        """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "编号或其前缀 The id or a unique prefix.")
    var id: String

    @Option(name: .long, help: ArgumentHelp("初审意见（必填） The opinion (required).", valueName: "TEXT"))
    var comment: String?

    func run() async throws {
        try await global.run { try ReviewTransition(context: $0).fire(.opinion, id, comment: comment) }
    }
}
