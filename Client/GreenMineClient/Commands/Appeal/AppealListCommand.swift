import ArgumentParser
import GreenMineShared

/// `greenmine appeal list`: the appeals in this store and where they stand.
struct AppealListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "申诉列表 List the appeals.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await global.run { context in
            let (workspace, _) = try context.workspace(.read)
            let items = try workspace.appealListing()
            if context.json { return try context.emitJSON(items) }
            guard !items.isEmpty else { return context.say("（没有申诉）", "(no appeals)") }
            let language = context.language
            var table = TextTable(headers: [
                context.text("编号", "ID"), context.text("状态", "State"), context.text("申诉的记录", "Appealed"),
                context.text("矿山名称", "Mine"), context.text("申诉理由", "Reason"), context.text("附件", "Files"),
                context.text("待同步", "Queued"),
            ], maxCellWidth: 40)
            for item in items {
                let appealed = [item.appealedKind?.label.text(language), item.appealedId.map(RecordPresenter.shortId),
                                item.appealedState?.label.text(language)].compactMap { $0 }.joined(separator: " ")
                table.append([RecordPresenter.shortId(item.id), item.state.label.text(language), appealed,
                              item.mineName ?? "", item.reason ?? "", item.files == 0 ? "" : String(item.files),
                              item.pendingChanges == 0 ? "" : String(item.pendingChanges)])
            }
            context.output.write(table.render())
        }
    }
}
