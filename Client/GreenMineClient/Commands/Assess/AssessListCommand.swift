import ArgumentParser
import GreenMineShared

/// `greenmine assess list`: the applications to assess, with scoring progress.
struct AssessListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "评估任务列表 Applications to assess, with progress.",
        usage: HelpUsage.of("greenmine assess list"),
        discussion: """
        The applications the last sync fetched for your agency, with how many prerequisites and items \
        are answered, the total, whether it passes, and the changes not yet synced.
        列出最近一次同步取得的、指派给本机构的新设申请，显示先决条件和评分项的填写
        进度、总分、是否通过及待同步的修改。
        """)

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await global.run { context in
            let (workspace, _) = try context.workspace(.read)
            let items = try workspace.assessmentListing()
            if context.json { return try context.emitJSON(items) }
            guard !items.isEmpty else {
                return context.say("（没有评估任务；指派后同步可见：greenmine sync）",
                                   "(nothing to assess here; assignments arrive with greenmine sync)")
            }
            let language = context.language
            var table = TextTable(headers: [
                context.text("编号", "ID"), context.text("状态", "State"), context.text("矿山名称", "Mine"),
                context.text("所在行政区", "Region"), context.text("先决条件", "Prereq."), context.text("评分项", "Items"),
                context.text("总分", "Total"), context.text("结果", "Result"), context.text("待同步", "Queued"),
            ], maxCellWidth: 36)
            for item in items {
                let result: String = switch item.passed {
                case .some(true): context.text("通过", "passes")
                case .some(false): context.text("未通过", "fails")
                case .none: ""
                }
                table.append([
                    RecordPresenter.shortId(item.id), item.state.label.text(language), item.mineName ?? "",
                    item.region.map { RegionTable.standard.displayPath(of: $0) } ?? "",
                    "\(item.statedPrerequisites)/\(item.totalPrerequisites)", "\(item.scoredItems)/\(item.totalItems)",
                    item.total.map(Points.text) ?? "", result, item.pendingChanges == 0 ? "" : String(item.pendingChanges),
                ])
            }
            context.output.write(table.render())
        }
    }
}
