import ArgumentParser
import Foundation
import GreenMineShared

/// `greenmine evidence list APP_ID`: the evidence of an application.
struct EvidenceListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "佐证材料列表 The evidence of an application.",
        usage: HelpUsage.of("greenmine evidence list", "<application-id>"))

    @OptionGroup var global: GlobalOptions

    @Argument(help: "新设申请编号或其前缀 The application's id or a prefix.")
    var applicationId: String

    func run() async throws {
        try await global.run { context in
            let (workspace, _) = try context.workspace(.read)
            let application = try workspace.record(applicationId, kinds: [.application])
            let items = try workspace.listing(.evidence).filter { item in
                (try? workspace.record(item.id.lowercased, kinds: [.evidence]).parentId) == application.id
            }
            let records = try items.map { try workspace.record($0.id.lowercased, kinds: [.evidence]) }
            if context.json { return try context.emitJSON(records.map(\.working)) }
            guard !records.isEmpty else {
                return context.say("（申请 \(RecordPresenter.shortId(application.id)) 没有佐证材料）",
                                   "(application \(RecordPresenter.shortId(application.id)) has no evidence)")
            }
            var table = TextTable(headers: [
                context.text("编号", "ID"), context.text("指标项", "Indicator"), context.text("附件", "Files"),
                context.text("待同步", "Queued"), context.text("说明", "Note"),
            ])
            for (item, record) in zip(items, records) {
                table.append([RecordPresenter.shortId(record.id), record.working.text("evidence.indicator") ?? "",
                              String(record.working.attachments.count),
                              item.pendingChanges == 0 ? "" : String(item.pendingChanges),
                              record.working.text("evidence.note") ?? ""])
            }
            context.output.write(table.render())
        }
    }
}
