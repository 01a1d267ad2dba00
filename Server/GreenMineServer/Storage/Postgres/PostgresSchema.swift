import Foundation
import PostgresNIO

/// The PostgreSQL schema, in migrations applied in order and recorded in `schema_migrations`. Every
/// instance migrates at start inside one transaction holding a transaction-level advisory lock, so
/// instances starting together apply each migration once and none starts on half a schema.
enum PostgresSchema {
    /// The key of the advisory lock migrations hold ("GreenMin" in ASCII).
    static let lockKey: Int64 = 0x4772_6565_6E4D_696E

    /// Each migration: its id and its statements, in order. The tables of the other stores come with
    /// their PostgreSQL implementations (issue 13).
    static let migrations: [(id: String, statements: [String])] = [
        ("v1-settings", [
            "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        ]),
        ("v2-login-failures", [
            "CREATE TABLE login_failures (key TEXT NOT NULL, at DOUBLE PRECISION NOT NULL)",
            "CREATE INDEX login_failures_key ON login_failures (key, at)",
            "CREATE INDEX login_failures_at ON login_failures (at)",
        ]),
    ]

    static func migrate(_ database: PostgresDatabase) async throws {
        let logger = database.logger
        try await database.client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
            try await connection.query("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    id TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
                """, logger: logger)
            var applied: Set<String> = []
            for try await id in try await connection.query("SELECT id FROM schema_migrations", logger: logger)
                .decode(String.self) {
                applied.insert(id)
            }
            for migration in migrations where !applied.contains(migration.id) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query("INSERT INTO schema_migrations (id) VALUES (\(migration.id))", logger: logger)
            }
        }
    }
}
