import Foundation
import GRDB
import GreenMineShared

/// Writes a server snapshot as a record with nothing pending (working NULL: the base) in one statement,
/// never replacing a newer base: the fast path of pull pages and push results.
enum SyncedRecordWriter {
    static func write(_ db: Database, _ record: Record, now: Date) throws {
        try write(db, record, text: nil, updatedLocal: StoreJSON.date(now))
    }

    /// As `write`, with the record's JSON text when it came from the wire (`PulledPage`: not encoded
    /// again) and the time as stored text (a page formats it once).
    static func write(_ db: Database, _ record: Record, text: String?, updatedLocal: String) throws {
        if record.deleted {
            try WorkingCopy.forget(db, id: record.id)
            return
        }
        let json = text ?? StoreJSON.encode(record)
        let statement = try db.cachedStatement(sql: """
            INSERT INTO records (id, kind, parent_id, base, base_version, origin, working, state, deleted, updated_local)
            VALUES (?, ?, ?, ?, ?, NULL, NULL, ?, 0, ?)
            ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, parent_id = excluded.parent_id,
                base = excluded.base, base_version = excluded.base_version, origin = NULL,
                working = NULL, state = excluded.state, deleted = 0,
                updated_local = excluded.updated_local
            WHERE records.base_version IS NULL OR records.base_version <= excluded.base_version
            """)
        try statement.execute(arguments: [record.id.lowercased, record.kind.rawValue, record.parentId?.lowercased, json,
                                          record.version, record.state.rawValue, updatedLocal])
    }

    /// The ids of records with queued mutations.
    static func pendingIds(_ db: Database) throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT DISTINCT record_id FROM outbox"))
    }
}
