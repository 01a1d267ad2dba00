import Foundation

/// The `status` line for the last sync run: "last sync 12 min ago: link lost, 63 % of 现场视频.mp4
/// saved on the server".
enum SyncLogSummary {
    static func line(_ run: SyncLog.Entry, now: Date) -> (zh: String, en: String) {
        let ago = age(now.timeIntervalSince(run.at))
        let head = (zh: "上次同步：\(ago.zh)", en: "Last sync \(ago.en)")
        switch run.outcome {
        case .complete:
            return ("\(head.zh)，全部完成", "\(head.en): complete")
        case .refused:
            return ("\(head.zh)，已完成，但有修改被拒绝或冲突", "\(head.en): finished, but some changes were refused or conflict")
        case .failed:
            let why: (zh: String, en: String) = run.error.map { ($0.messageZh ?? $0.message, $0.message) } ?? ("", "")
            return ("\(head.zh)，未完成：\(why.zh)", "\(head.en): stopped: \(why.en)")
        case .incomplete:
            guard let file = run.unfinished, file.total > 0 else {
                return ("\(head.zh)，连接中断，下次同步继续", "\(head.en): link lost; the next sync continues")
            }
            let share = Int((Double(file.onServer) * 100 / Double(file.total)).rounded(.down))
            let name = AttachmentName.visible(file.name)
            return ("\(head.zh)，连接中断，“\(name)”已有 \(share)% 保存在服务器上，下次同步继续",
                    "\(head.en): link lost, \(share) % of \(name) saved on the server; the next sync continues")
        }
    }

    /// "12 分钟前" / "12 min ago".
    static func age(_ seconds: TimeInterval) -> (zh: String, en: String) {
        let seconds = max(0, Int(seconds))
        switch seconds {
        case ..<60: return ("刚才", "just now")
        case ..<3600: return ("\(seconds / 60) 分钟前", "\(seconds / 60) min ago")
        case ..<86_400: return ("\(seconds / 3600) 小时前", "\(seconds / 3600) h ago")
        default: return ("\(seconds / 86_400) 天前", "\(seconds / 86_400) days ago")
        }
    }
}
