import Foundation
import GreenMineShared

/// What the review actions share: fire the transition offline and say what was queued.
struct ReviewTransition {
    var context: CommandContext

    /// Queues `transition` on the record `id` (a pre-application, application or appeal unless
    /// `kinds` narrows it) and reports it.
    func fire(_ transition: Transition, _ id: String, comment: String? = nil, agency: String? = nil,
              kinds: [RecordKind]? = nil) throws {
        let (workspace, _) = try context.workspace()
        let outcome = try workspace.review(transition, on: id, kinds: kinds, comment: comment, agency: agency)
        if let note = outcome.note { context.note(context.text("提示：", "note: ") + note.zh, context.text("提示：", "note: ") + note.en) }
        if context.json { return try context.emitJSON(outcome.record.working) }
        let record = outcome.record.working
        let label = record.kind.label
        let short = RecordPresenter.shortId(record.id)
        if transition == .opinion {
            context.say("已对\(label.zh) \(short) 提出初审意见（状态不变），将在下次同步时发送。",
                        "Opinion on \(label.en) \(short) queued (the state does not change); it is sent at the next sync.")
        } else {
            context.say("\(label.zh) \(short)：\(transition.label.zh)（本地状态：\(record.state.label.zh)），将在下次同步时发送。",
                        "\(label.en) \(short): \(transition.label.en) queued (local state: \(record.state.label.en)); it is sent at the next sync.")
        }
        switch transition {
        case .assign:
            let named = outcome.agency ?? agency ?? ""
            context.say("评估机构：\(named)", "Agency: \(named)")
        case .approve where record.kind == .application:
            context.say("服务器在接受审核通过时签发证书；同步后可下载：greenmine cert download \(short) --out 目录",
                        "The server issues the certificate when it accepts the approval; after the sync: greenmine cert download \(short) --out DIR")
        case .remove:
            context.say("服务器在接受移出时撤销该矿山的证书。", "The server revokes the mine's certificate when it accepts the removal.")
        default:
            break
        }
    }
}
