import Foundation
import PostgresNIO

/// `LoginFailureStore` in PostgreSQL: `reserve` runs in one transaction that first takes an advisory
/// lock on each key (in a fixed order, so two instances never wait on each other in a circle), so
/// instances counting the same account or address take turns.
public struct PostgresLoginFailureStore: LoginFailureStore {
    let database: PostgresDatabase

    public init(database: PostgresDatabase) {
        self.database = database
    }

    public func reserve(limits: [(key: String, limit: Int)], reserving: String, since: Date, now: Date) async throws
        -> [Date] {
        let logger = database.logger
        let rows = limits.map { LimitRow(key: $0.key, limit: $0.limit) }
        return try await database.transaction { connection in
            for key in Set(rows.map(\.key) + [reserving]).sorted() {
                try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\(key)))", logger: logger)
            }
            try await connection.query("DELETE FROM login_failures WHERE at <= \(since.timeIntervalSince1970)",
                                       logger: logger)
            var oldest: [Date] = []
            for row in rows {
                let counted = try await connection.query(
                    "SELECT count(*), min(at) FROM login_failures WHERE key = \(row.key)", logger: logger)
                for try await (count, first) in counted.decode((Int, Double?).self) {
                    if count >= row.limit, let first { oldest.append(Date(timeIntervalSince1970: first)) }
                }
            }
            if oldest.isEmpty {
                try await connection.query(
                    "INSERT INTO login_failures (key, at) VALUES (\(reserving), \(now.timeIntervalSince1970))", logger: logger)
            }
            return oldest
        }
    }

    public func recordFailure(key: String, at: Date) async throws {
        try await database.client.query("INSERT INTO login_failures (key, at) VALUES (\(key), \(at.timeIntervalSince1970))",
                                        logger: database.logger)
    }

    public func forget(key: String) async throws {
        try await database.client.query("DELETE FROM login_failures WHERE key = \(key)", logger: database.logger)
    }

    /// One limit, Sendable for the transaction's closure.
    private struct LimitRow: Sendable {
        var key: String
        var limit: Int
    }
}
