import Foundation
import GRDB
import GreenMineShared

/// A notice and whether the user has read it on this device.
public struct NoticeView: Sendable {
    public var record: LocalRecord
    public var read: Bool
}

extension Workspace {
    /// 通知公告, newest first.
    public func notices() throws -> [NoticeView] {
        try store.read { db in
            let read = try NoticesRead.readIds(db)
            return try LocalRecord.all(db, kind: .notice).map {
                NoticeView(record: $0, read: read.contains($0.id.lowercased))
            }.sorted { ($0.record.working.updatedAt ?? .distantPast) > ($1.record.working.updatedAt ?? .distantPast) }
        }
    }

    /// Marks a notice read and returns it.
    public func readNotice(_ prefix: String) throws -> LocalRecord {
        let now = now()
        // On a read-only home the notice is shown and stays unread until the home can be written.
        if store.isReadOnly { return try store.read { try IdPrefix.record($0, prefix, kinds: [.notice]) } }
        return try store.write { db in
            let notice = try IdPrefix.record(db, prefix, kinds: [.notice])
            try NoticesRead.markRead(db, notice.id, at: now)
            return notice
        }
    }
}
