import Foundation
import GreenMineShared
import Logging
import PostgresNIO

/// `SyncRecordStore` on PostgreSQL, shared by every instance: pushes run in one transaction each (the
/// client's seq under an advisory lock, change numbers under the counter's row lock), pulls read one
/// consistent snapshot. The console's reads are in `PostgresConsoleReads.swift`.
public struct PostgresRecordStore: SyncRecordStore {
    let database: PostgresDatabase
    let regions: RegionTable

    public init(database: PostgresDatabase, regions: RegionTable = .standard) {
        self.database = database
        self.regions = regions
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any RecordTransaction) async throws -> T)
        async throws -> T {
        let regions = self.regions
        let logger = database.logger
        return try await database.transaction { connection in
            // Every push holds the change counter's row from its first statement to its commit, so pushes
            // on all instances take turns as they do on SQLite's one writer: each reads what the previous
            // committed (the record it patches, its parent, the client's last seq) and its change
            // numbers commit in order (docs/DECISIONS.md, "The pull cursor on PostgreSQL").
            guard let counter: Int64 = try await PostgresSQL.rows(
                connection, "SELECT value FROM change_counter WHERE only_row = 1 FOR UPDATE", logger: logger).first?
                .get("value") else {
                throw StoredDataCorrupt(what: "change_counter", reason: "its row is missing")
            }
            let pending = PostgresPendingWrites(counter: counter)
            let value = try await body(PostgresRecordTransaction(connection: connection, regions: regions, logger: logger,
                                                                 pending: pending))
            try await pending.flush(connection, logger: logger)
            return value
        }
    }

    /// One statement, so one snapshot and one round trip (`PullQuery.pageAndExits`; the first page, or
    /// the ministry's, needs no exits). Every change number at or below the highest one this snapshot
    /// sees has committed (`write`: the counter's row is held by every push from its first statement to
    /// its commit), so moving the cursor to the last row read never passes a change that commits later.
    /// With a client named (as `greenmine` always does), its last seq comes in the same statement
    /// (`PullQuery.statement`): one round trip and one snapshot for the whole pull.
    public func pull(user: AuthenticatedUser, after cursor: Int64, limit: Int, client: UUID?) async throws -> PullPage {
        let query = PullQuery(filter: VisibilityFilter(user: user, regions: regions), cursor: cursor, limit: limit)
        guard let combined = query.statement(lastSeqOf: client.map { ($0.storedString, user.info.id) }) else {
            return query.page(query.partial(try await database.rows(query.pageSQL, query.pageValues).map(Self.change)),
                              exits: [])
        }
        var changes: [PullQuery.Change] = []
        var exits: [PullQuery.Exit] = []
        var lastSeq = 0
        // A first pull (cursor 0) is planned for its values: it is rare, and for a user who sees few of
        // many records a plan that knows nothing of the values is slower (docs/DECISIONS.md).
        let rows = cursor == 0 ? try await database.rows(combined.sql, combined.values)
            : try await database.preparedRows(combined.sql, combined.values)
        for row in rows {
            switch try row.get("part", as: Int.self) {
            case 0: changes.append(try Self.change(row))
            case 1: exits.append(PullQuery.Exit(id: try row.get("id"), at: try row.get("change_seq")))
            default: lastSeq = Int(try row.get("change_seq", as: Int64.self))
            }
        }
        changes.sort { $0.seq < $1.seq }
        var page = query.page(query.partial(changes), exits: exits)
        page.lastSeq = lastSeq
        return page
    }

    /// A page row: the body of a visible record, the id of one that is not.
    private static func change(_ row: PostgresRandomAccessRow) throws -> PullQuery.Change {
        let visible: Bool = try row.get("visible")
        return PullQuery.Change(seq: try row.get("change_seq"), id: visible ? "" : try row.get("id"),
                                body: visible ? try row.get("body") : "", visible: visible)
    }

    public func lastSeq(client: UUID, user: AuthenticatedUser) async throws -> Int {
        let logger = database.logger
        return try await database.client.withConnection { connection in
            try await PostgresSQL.rows(connection, "SELECT last_seq FROM clients WHERE client_id = ? AND user_id = ?",
                                       [.text(client.storedString), .text(user.info.id)], logger: logger)
                .first?.get("last_seq") ?? 0
        }
    }

    public func visibleRecord(_ id: UUID, user: AuthenticatedUser) async throws -> GreenMineShared.Record? {
        let regions = self.regions
        let logger = database.logger
        return try await database.client.withConnection { connection in
            try await PostgresRecordTransaction(connection: connection, regions: regions, logger: logger)
                .visibleRecord(id, to: user)?.record
        }
    }

    public func history(of id: UUID, user: AuthenticatedUser) async throws -> [HistoryEvent]? {
        let filter = VisibilityFilter(user: user, regions: regions)
        let logger = database.logger
        return try await database.client.withConnection { connection in
            guard try await !PostgresSQL.rows(connection, "SELECT 1 FROM records r WHERE r.id = ? AND \(filter.visible)",
                                              [.text(id.storedString)] + filter.values, logger: logger).isEmpty else {
                return nil
            }
            return try await PostgresSQL.rows(connection, "SELECT * FROM audit_events WHERE record_id = ? ORDER BY seq",
                                              [.text(id.storedString)], logger: logger).map { row in
                HistoryEvent(
                    seq: try row.get("seq"), recordId: id, action: try row.get("action"), actorId: try row.get("actor_id"),
                    actorName: try row.get("actor_name"), role: Role(rawValue: try row.get("role")) ?? .enterprise,
                    orgId: try row.get("org_id"), serverTime: Date(timeIntervalSince1970: try row.get("server_time")),
                    deviceTime: (try row.get("device_time", as: Double?.self)).map(Date.init(timeIntervalSince1970:)),
                    fromState: (try row.get("from_state", as: String?.self)).flatMap(RecordState.init(rawValue:)),
                    toState: (try row.get("to_state", as: String?.self)).flatMap(RecordState.init(rawValue:)),
                    version: try row.get("version"), comment: try row.get("comment"))
            }
        }
    }
}
