import Foundation
import GRDB
import GreenMineShared

/// One line of a record list.
public struct RecordListItem: Codable, Sendable, Hashable {
    public var id: UUID
    public var kind: RecordKind
    public var state: RecordState
    /// The server version of the base (0 while the server has never accepted the record).
    public var version: Int
    public var licenceNumber: String?
    public var mineName: String?
    public var region: String?
    /// Queued changes not yet acknowledged by the server.
    public var pendingChanges: Int
    public var openConflicts: Int
    /// Device time of the last local change or server update.
    public var updatedLocal: Date
}

/// Everything known about one record, for `show`.
public struct RecordDetail: Codable, Sendable, Hashable {
    /// The working copy (what the user sees and edits).
    public var record: GreenMineShared.Record
    /// The last server snapshot, nil while the server has never accepted the record.
    public var base: GreenMineShared.Record?
    /// Queued changes, oldest first.
    public var pending: [Mutation]
    public var conflicts: [LocalConflict]
    /// The server's refusals of this record's changes, newest first.
    public var rejections: [Rejection]
}

extension Workspace {
    /// The list of a kind's records with their sync standing.
    public func listing(_ kind: RecordKind) throws -> [RecordListItem] {
        try store.read { db in
            let pending = try Self.counts(db, "SELECT record_id, COUNT(*) FROM outbox GROUP BY record_id")
            let conflicts = try Self.counts(db, """
                SELECT record_id, COUNT(*) FROM conflicts WHERE resolved_at IS NULL GROUP BY record_id
                """)
            return try LocalRecord.all(db, kind: kind).map { local in
                let key = local.id.lowercased
                return RecordListItem(
                    id: local.id, kind: local.kind, state: local.working.state, version: local.base?.version ?? 0,
                    licenceNumber: local.working.text(FormSchema.licencePath),
                    mineName: local.working.text("basic.mineName"), region: local.working.region,
                    pendingChanges: pending[key] ?? 0, openConflicts: conflicts[key] ?? 0,
                    updatedLocal: local.updatedLocal)
            }
        }
    }

    /// One record in full; its rejections count as seen once shown (on a read-only home they are
    /// shown and stay new until the home can be written).
    public func detail(_ prefix: String, kinds: [RecordKind]) throws -> RecordDetail {
        let load = { (db: Database) throws -> (UUID, RecordDetail) in
            let local = try IdPrefix.record(db, prefix, kinds: kinds)
            return (local.id, RecordDetail(
                record: local.working, base: local.base,
                pending: try OutboxEntry.pending(db, recordId: local.id).map(\.mutation),
                conflicts: try LocalConflict.open(db, recordId: local.id),
                rejections: try Rejection.of(db, recordId: local.id)))
        }
        if store.isReadOnly { return try store.read(load).1 }
        return try store.write { db in
            let (id, detail) = try load(db)
            try Rejection.markSeen(db, recordId: id)
            return detail
        }
    }

    private static func counts(_ db: Database, _ sql: String) throws -> [String: Int] {
        var result: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: sql) {
            result[row[0]] = row[1]
        }
        return result
    }
}
