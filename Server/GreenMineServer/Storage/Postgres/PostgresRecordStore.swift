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

    /// Reads in one REPEATABLE READ snapshot, so the page and the exits agree. Every change number at
    /// or below the highest one this snapshot sees has committed (`write`: the counter's row is held by
    /// every push from its first statement to its commit),
    /// so moving the cursor to the last row read never passes a change that commits later.
    public func pull(user: AuthenticatedUser, after cursor: Int64, limit: Int) async throws -> PullPage {
        let query = PullQuery(filter: VisibilityFilter(user: user, regions: regions), cursor: cursor, limit: limit)
        let logger = database.logger
        // postgres-nio's transaction (not a hand-written BEGIN/COMMIT), so a failed or cancelled pull never
        // hands its connection back to the pool inside an open transaction.
        return try await database.transaction { connection in
            try await PostgresSQL.execute(connection, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY",
                                          logger: logger)
            let rows = try await PostgresSQL.rows(connection, query.pageSQL, query.pageValues, logger: logger).map {
                PullQuery.Change(seq: try $0.get("change_seq"), id: try $0.get("id"), body: try $0.get("body"),
                                 visible: try $0.get("visible"))
            }
            let partial = query.partial(rows)
            guard let exits = query.exits(after: partial) else { return query.page(partial, exits: []) }
            return query.page(partial, exits: try await PostgresSQL.rows(connection, exits.sql, exits.values,
                                                                         logger: logger).map {
                PullQuery.Exit(id: try $0.get("record_id"), at: try $0.get("at"))
            })
        }
    }

    public func lastSeq(client: UUID, user: AuthenticatedUser) async throws -> Int {
        let logger = database.logger
        return try await database.client.withConnection { connection in
            try await PostgresSQL.rows(connection, "SELECT last_seq FROM clients WHERE client_id = ? AND user_id = ?",
                                       [.text(client.uuidString), .text(user.info.id)], logger: logger)
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
                                              [.text(id.uuidString)] + filter.values, logger: logger).isEmpty else {
                return nil
            }
            return try await PostgresSQL.rows(connection, "SELECT * FROM audit_events WHERE record_id = ? ORDER BY seq",
                                              [.text(id.uuidString)], logger: logger).map { row in
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
