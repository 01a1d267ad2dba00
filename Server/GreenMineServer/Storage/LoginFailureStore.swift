import Foundation
import GRDB

/// Failed logins, kept where every instance of a deployment counts them (`SharedLoginThrottle`).
public protocol LoginFailureStore: Sendable {
    /// In one step no other instance can interleave with: forgets failures at or before `since`; for each of
    /// `limits` whose key has at least its limit of failures since then, returns the oldest of them;
    /// when none has, records a failure of `reserving` at `now` and returns nothing.
    func reserve(limits: [(key: String, limit: Int)], reserving: String, since: Date, now: Date) async throws -> [Date]
    /// Records a failure of `key`.
    func recordFailure(key: String, at: Date) async throws
    /// Forgets every failure of `key`.
    func forget(key: String) async throws
}

/// `LoginFailureStore` in the SQLite database (`login_failures`, migration v12); SQLite's one writer
/// makes `reserve` a single step.
public struct SQLiteLoginFailureStore: LoginFailureStore {
    let writer: any DatabaseWriter

    public init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    public func reserve(limits: [(key: String, limit: Int)], reserving: String, since: Date, now: Date) async throws
        -> [Date] {
        let limits = limits.map { LimitRow(key: $0.key, limit: $0.limit) }
        return try await writer.write { db in
            try db.execute(sql: "DELETE FROM login_failures WHERE at <= ?", arguments: [since.timeIntervalSince1970])
            var oldest: [Date] = []
            for row in limits {
                let counted = try Row.fetchOne(db, sql: "SELECT count(*) AS n, min(at) AS first FROM login_failures WHERE key = ?",
                                               arguments: [row.key])
                if let counted, (counted["n"] as Int) >= row.limit, let first: Double = counted["first"] {
                    oldest.append(Date(timeIntervalSince1970: first))
                }
            }
            if oldest.isEmpty {
                try db.execute(sql: "INSERT INTO login_failures (key, at) VALUES (?, ?)",
                               arguments: [reserving, now.timeIntervalSince1970])
            }
            return oldest
        }
    }

    public func recordFailure(key: String, at: Date) async throws {
        try await writer.write { db in
            try db.execute(sql: "INSERT INTO login_failures (key, at) VALUES (?, ?)", arguments: [key, at.timeIntervalSince1970])
        }
    }

    public func forget(key: String) async throws {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM login_failures WHERE key = ?", arguments: [key])
        }
    }

    /// One limit, Sendable for the write closure.
    private struct LimitRow: Sendable {
        var key: String
        var limit: Int
    }

    static func registerMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v12-login-failures") { db in
            // The login throttle's failures, shared by every process on this database (issue 13).
            try db.execute(sql: """
            CREATE TABLE login_failures (key TEXT NOT NULL, at REAL NOT NULL);
            CREATE INDEX login_failures_key ON login_failures (key, at);
            CREATE INDEX login_failures_at ON login_failures (at);
            """)
        }
    }
}
