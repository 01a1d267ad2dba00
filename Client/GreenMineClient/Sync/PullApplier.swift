import Foundation
import GRDB
import GreenMineShared

/// Applies one page of server changes and stores its cursor, inside the caller's one transaction.
enum PullApplier {
    /// The records' wire texts are stored as they came where the page kept them.
    static func apply(_ db: Database, page pulled: PulledPage, now: Date) throws {
        let page = pulled.response
        // Most pulled records have nothing pending here and are written in one statement; records
        // with queued changes are rebased by replaying those changes on the new base.
        let pending = try SyncedRecordWriter.pendingIds(db)
        let updatedLocal = StoreJSON.date(now)
        let texts = pulled.recordTexts?.count == page.records.count ? pulled.recordTexts : nil
        for (index, record) in page.records.enumerated() {
            if pending.contains(record.id.lowercased) {
                try PushResultApplier.adoptBase(db, record, local: try LocalRecord.find(db, record.id))
                try WorkingCopy.rebuild(db, id: record.id, now: now)
            } else {
                try SyncedRecordWriter.write(db, record, text: texts?[index], updatedLocal: updatedLocal)
            }
        }
        for id in page.gone where !pending.contains(id.lowercased) {
            try WorkingCopy.forget(db, id: id)
        }
        try SyncState.setCursor(db, page.cursor)
    }
}
