import Foundation
import GRDB
import GreenMineShared

/// One queued mutation waiting for the server's result.
public struct OutboxEntry: Sendable, Hashable {
    /// The mutation, with its seq.
    public var mutation: Mutation
    /// Device time it was queued.
    public var queuedAt: Date

    public init(mutation: Mutation, queuedAt: Date) {
        self.mutation = mutation
        self.queuedAt = queuedAt
    }

    public var seq: Int { mutation.seq }
}

extension OutboxEntry: FetchableRecord, PersistableRecord {
    public static var databaseTableName: String { "outbox" }

    public init(row: Row) throws {
        let seq: Int = row["seq"]
        let what = "queued change #\(seq)"
        self.mutation = try StoreJSON.decode(Mutation.self, row["mutation"], what: what)
        self.queuedAt = try StoreJSON.date(row["queued_at"], what: what) ?? Date(timeIntervalSince1970: 0)
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["seq"] = mutation.seq
        container["record_id"] = mutation.recordId.lowercased
        container["mutation"] = try StoreJSON.encode(mutation)
        container["queued_at"] = StoreJSON.date(queuedAt)
    }
}

extension OutboxEntry {
    /// The pending mutations of one record, in seq order.
    static func pending(_ db: Database, recordId: UUID) throws -> [OutboxEntry] {
        try OutboxEntry.fetchAll(db, sql: "SELECT * FROM outbox WHERE record_id = ? ORDER BY seq",
                                 arguments: [recordId.lowercased])
    }

    /// Up to `limit` mutations with a seq above `after`, in seq order.
    static func batch(_ db: Database, after: Int, limit: Int) throws -> [OutboxEntry] {
        try OutboxEntry.fetchAll(db, sql: "SELECT * FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?",
                                 arguments: [after, limit])
    }

    /// The number of queued mutations.
    static func count(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox") ?? 0
    }

    /// The lowest queued seq, if any.
    static func firstSeq(_ db: Database) throws -> Int? {
        try Int.fetchOne(db, sql: "SELECT MIN(seq) FROM outbox")
    }

    /// Drops an acknowledged mutation.
    static func remove(_ db: Database, seq: Int) throws {
        try db.execute(sql: "DELETE FROM outbox WHERE seq = ?", arguments: [seq])
    }

    /// True when the record has queued mutations.
    static func hasPending(_ db: Database, recordId: UUID) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM outbox WHERE record_id = ?)",
                          arguments: [recordId.lowercased]) ?? false
    }
}
