import Foundation
import GRDB
import PostgresNIO

/// `greenmine-server db copy`: an embedded installation's SQLite database moved into an empty,
/// migrated PostgreSQL database in one transaction — every row of every table the PostgreSQL schema
/// has, column by column under the same names, then the counters set past what was copied. The blob
/// files stay where they are (the instances share that folder through `--data`).
public enum DatabaseCopy {
    /// The tables, parents before children (foreign keys). `change_counter` and `schema_migrations`
    /// are the PostgreSQL schema's own.
    static let tables = [
        "settings", "login_failures", "orgs", "users", "records", "change_log", "record_versions", "clients",
        "mutation_results", "audit_events", "licences", "catalogues", "blobs", "blob_owners", "record_blobs",
        "record_files", "record_exits", "agencies", "tokens", "portal_support", "portal_downloads", "uploads",
    ]
    /// PostgreSQL columns SQLite keeps under another name.
    static let renamed: [String: [String: String]] = ["catalogues": ["import_order": "rowid"]]
    /// Serial columns to move past the copied values.
    static let serials = [("audit_events", "seq"), ("record_exits", "seq"), ("catalogues", "import_order"),
                          ("portal_downloads", "id")]
    /// Rows per INSERT (PostgreSQL takes at most 65,535 parameters per statement).
    static let batch = 400

    /// Copies everything from one snapshot of `source` (a WAL database); the rows copied per table.
    /// Refuses a target that holds any row in a table it would copy (a server started on it once has
    /// its own certificate key already).
    public static func copy(from pool: DatabasePool, to target: PostgresDatabase) async throws -> [(String, Int)] {
        for table in tables {
            let held: Int = try await target.rows("SELECT count(*) AS n FROM \(table)").first?.get("n") ?? 0
            guard held == 0 else { throw CopyRefused(table: table, rows: held) }
        }
        let source = try pool.makeSnapshot()
        var columns: [String: [String]] = [:]
        for table in tables {
            columns[table] = try await target.rows("""
                SELECT column_name FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position
                """, [.text(table)]).map { try $0.get("column_name") }
        }
        let wanted = columns
        let logger = target.logger
        return try await target.transaction { connection in
            var copied: [(String, Int)] = []
            for table in tables {
                let names = wanted[table] ?? []
                let present = try await source.read { db in Set(try db.columns(in: table).map(\.name)) }
                let select = names.map { name -> String in
                    if let other = renamed[table]?[name] { return "\(other) AS \(name)" }
                    return present.contains(name) ? "\"\(name)\"" : "NULL AS \"\(name)\""
                }.joined(separator: ", ")
                let quoted = names.map { "\"\($0)\"" }.joined(separator: ", ")
                var count = 0
                while true {
                    // Pages by position (some tables have no rowid), all from the one snapshot.
                    let offset = count
                    let rows = try await source.read { db in
                        try Row.fetchAll(db, sql: "SELECT \(select) FROM \(table) LIMIT ? OFFSET ?",
                                         arguments: [batch, offset]).map { row in
                            names.map { SQLArgument(row[$0] as DatabaseValue) }
                        }
                    }
                    guard !rows.isEmpty else { break }
                    let values = rows.flatMap { $0 }
                    let marks = "(" + names.map { _ in "?" }.joined(separator: ", ") + ")"
                    try await PostgresSQL.execute(connection, """
                        INSERT INTO \(table) (\(quoted)) VALUES \(Array(repeating: marks, count: rows.count).joined(separator: ", "))
                        """, values, logger: logger)
                    count += rows.count
                }
                copied.append((table, count))
            }
            for (table, column) in serials {
                try await PostgresSQL.execute(connection, """
                    SELECT setval(pg_get_serial_sequence('\(table)', '\(column)'), coalesce(max(\(column)), 0) + 1, false)
                    FROM \(table)
                    """, logger: logger)
            }
            // The next change number follows every one copied (records, their exits, the log).
            try await PostgresSQL.execute(connection, """
                UPDATE change_counter SET value = greatest((SELECT coalesce(max(seq), 0) FROM change_log),
                    (SELECT coalesce(max(change_seq), 0) FROM records), (SELECT coalesce(max(change_seq), 0) FROM record_exits))
                """, logger: logger)
            return copied
        }
    }

    /// The target already holds data: copying into it would mix two installations.
    public struct CopyRefused: Error, CustomStringConvertible {
        public var table: String
        public var rows: Int

        public var description: String {
            "目标数据库不是空的（\(table) 表已有 \(rows) 行），未复制任何数据 — the target database is not empty "
                + "(\(table) has \(rows) rows); nothing was copied"
        }
    }
}

extension SQLArgument {
    /// A SQLite value as a backend-neutral argument.
    init(_ value: DatabaseValue) {
        switch value.storage {
        case .null: self = .null
        case .int64(let number): self = .integer(Int(number))
        case .double(let number): self = .real(number)
        case .string(let text): self = .text(text)
        case .blob(let data): self = .bytes(Array(data))
        }
    }
}
