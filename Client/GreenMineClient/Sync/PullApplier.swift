import Foundation
import GRDB
import GreenMineShared

/// Applies one page of server changes and stores its cursor, inside the caller's one transaction.
enum PullApplier {
    static func apply(_ db: Database, page: PullResponse, now: Date) throws {
        // Most pulled records have nothing pending here and are written in one statement; records
        // with queued changes are rebased by replaying those changes on the new base.
        let pending = try SyncedRecordWriter.pendingIds(db)
        for record in page.records {
            if pending.contains(record.id.lowercased) {
                try PushResultApplier.adoptBase(db, record, local: try LocalRecord.find(db, record.id))
                try WorkingCopy.rebuild(db, id: record.id, now: now)
            } else {
                try SyncedRecordWriter.write(db, record, now: now)
            }
        }
        for id in page.gone where !pending.contains(id.lowercased) {
            try WorkingCopy.forget(db, id: id)
        }
        try SyncState.setCursor(db, page.cursor)
    }
}
