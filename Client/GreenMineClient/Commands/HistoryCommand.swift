import ArgumentParser
import Foundation
import GreenMineShared

/// `greenmine history ID`: 流程监控, every step of a record with operator and times.
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "流程监控 Every step of a record: by whom and when.",
        discussion: """
        Shows every step with the operator, role and organisation, the time it was done on the \
        device and the time the server received it. Offline it shows the steps pulled with the record.
        显示每一步的操作人、角色、单位、在设备上的操作时间和服务器接收时间。
        离线时显示上次同步随记录取得的步骤。
        """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "编号或其前缀 The id or a unique prefix (a full id for records not in this store).")
    var id: String

    func run() async throws {
        try await global.run { context in
            let (workspace, session) = try context.workspace(.read)
            let recordId: UUID
            var local: LocalRecord?
            do {
                let found = try workspace.record(id)
                local = found
                recordId = found.id
            } catch let error as ClientError where error.code == "unknown_id" {
                guard let full = UUID(text: id) else { throw error }
                recordId = full
            }
            let history: HistoryResponse
            do {
                history = try await context.api(session).history(of: recordId)
            } catch let error as APIError where error.isUnreachable {
                // Offline (issue 14): the steps pulled with the record, as of the last sync.
                guard let local, !ProcessTrail.events(of: local.working).isEmpty else { throw error }
                let events = ProcessTrail.events(of: local.working)
                if context.json { return try context.emitJSON(HistoryResponse(events: events)) }
                context.say("流程监控：\(recordId.lowercased)（离线：上次同步时随记录取得的 \(events.count) 个步骤；联网后显示完整记录）",
                            "Process of \(recordId.lowercased) (offline: the \(events.count) step(s) pulled with the record at "
                            + "the last sync; online it shows the full history)")
                context.output.write(HistoryPresenter.table(events, context: context))
                return
            }
            if context.json { return try context.emitJSON(history) }
            context.say("流程监控：\(recordId.lowercased)", "Process of \(recordId.lowercased)")
            guard !history.events.isEmpty else { return context.say("（没有记录）", "(no steps)") }
            context.output.write(HistoryPresenter.table(history.events, context: context))
        }
    }
}

/// Names of history actions for people, and the process table.
enum HistoryPresenter {
    /// The steps as a table: action, operator, role, organisation, both times, states, version, comment.
    static func table(_ events: [HistoryEvent], context: CommandContext) -> String {
        let language = context.language
        var table = TextTable(headers: [
            context.text("操作", "Action"), context.text("操作人", "Operator"), context.text("角色", "Role"),
            context.text("单位", "Organisation"), context.text("设备时间", "Device time"),
            context.text("服务器时间", "Server time"), context.text("状态", "State"), context.text("版本", "Ver"),
            context.text("意见", "Comment"),
        ], maxCellWidth: 60)
        for event in events {
            let states = [event.fromState, event.toState].compactMap { $0?.label.text(language) }
            table.append([
                action(event.action, language: language), event.actorName,
                event.role.label.text(language), event.orgId ?? "", context.time(event.deviceTime),
                context.time(event.serverTime), states.count == 2 && states[0] != states[1]
                    ? "\(states[0]) → \(states[1])" : (states.last ?? ""),
                String(event.version), event.comment ?? "",
            ])
        }
        return table.render()
    }

    static func action(_ action: String, language: Language) -> String {
        if let transition = Transition(rawValue: action) { return transition.label.text(language) }
        let names: [String: LocalizedText] = [
            "create": LocalizedText(zh: "新建", en: "create"), "patch": LocalizedText(zh: "修改", en: "edit"),
            "delete": LocalizedText(zh: "删除", en: "delete"), "attach": LocalizedText(zh: "添加附件", en: "attach"),
            "detach": LocalizedText(zh: "移除附件", en: "detach"),
            "issueCertificate": LocalizedText(zh: "签发证书", en: "certificate issued"),
            "revokeCertificate": LocalizedText(zh: "撤销证书", en: "certificate revoked"),
            "upholdAppeal": LocalizedText(zh: "申诉成立", en: "appeal upheld"),
            "importCatalogue": LocalizedText(zh: "导入评价指标体系", en: "catalogue imported"),
        ]
        return names[action]?.text(language) ?? action
    }
}
