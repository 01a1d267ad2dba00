import ArgumentParser
import GreenMineShared

/// `greenmine app new --from PRE_ID`: a new application from an approved pre-application.
struct AppNewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new", abstract: "新设申请 Start an application from an approved pre-application.",
        usage: HelpUsage.of("greenmine app new", "--from <PRE_ID>"),
        discussion: """
        The application is initialised from the pre-application and the licence registry (online, or \
        this device's cache), so registry fields need not be typed again.
        只能从审核通过的预申报新设；部分信息由矿业权统一配号系统自动填写。
        """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("""
        审核通过的预申报编号或其前缀
        The approved pre-application's id or a unique prefix.
        """, valueName: "PRE_ID"))
    var from: String

    func run() async throws {
        try await global.run { context in
            let (workspace, session) = try context.workspace()
            let pre = try workspace.record(from, kinds: [.preApplication])
            guard pre.working.state == .approved else {
                throw ClientError(
                    code: "pre_application_not_approved",
                    zh: "只能从审核通过的预申报新设申请；预申报 \(RecordPresenter.shortId(pre.id)) 当前为“\(pre.working.state.label.zh)”",
                    en: "an application can only be made from an approved pre-application; \(RecordPresenter.shortId(pre.id)) is \(pre.working.state.label.en)")
            }
            var lookup = LicenceLookup.unavailable
            if let number = pre.working.text(FormSchema.licencePath) {
                lookup = try await LicenceRegistry.lookup(number, context: context, store: workspace.store,
                                                          session: session)
            }
            let created = try workspace.createApplication(from: pre, lookup: lookup)
            let short = RecordPresenter.shortId(created.record.id)
            try RecordActions(context: context, kind: .application).reportCreated(created, next: LocalizedText(
                zh: "下一步：greenmine app fill \(short)（逐项填写）或 greenmine app edit \(short)（用编辑器填写）",
                en: "Next: greenmine app fill \(short) (field by field) or greenmine app edit \(short) (in your editor)"))
        }
    }
}
