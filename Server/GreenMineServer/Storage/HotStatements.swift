import GRDB
import GRDBSQLite

/// The statements a push runs for every mutation on SQLite, each prepared once per write transaction
/// and run with its values bound through SQLite's C interface (`sqlite3_bind_*`) instead of GRDB's
/// `StatementArguments` (issue 15: building those arguments and looking each statement's SQL up in
/// GRDB's cache were about a fifth of a push's transaction). GRDB still runs each statement, with its
/// checks and its transaction bookkeeping.
final class HotStatements {
    // Used only inside the GRDB write that made it, on its thread, as `Database` is (not Sendable).

    /// One of the statements, with its SQL.
    enum Which: Int, CaseIterable {
        case changeLog, upsert, version, audit, result, exists

        var sql: String {
            switch self {
            case .changeLog: "INSERT INTO change_log (record_id, version, at) VALUES (?, ?, ?)"
            case .upsert: RecordRowSQL.upsert
            case .version: """
                INSERT INTO record_versions (record_id, version, client_id, user_id, changed_paths, body, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """
            case .audit: """
                INSERT INTO audit_events (record_id, action, actor_id, actor_name, role, org_id, server_time,
                                          device_time, from_state, to_state, version, comment)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
            case .result: """
                INSERT INTO mutation_results (client_id, seq, status, record_id, version, detail)
                VALUES (?, ?, ?, ?, ?, ?)
                """
            case .exists: "SELECT 1 FROM records WHERE id = ?"
            }
        }
    }

    private let db: Database
    private var prepared: [Statement?] = Array(repeating: nil, count: Which.allCases.count)

    init(db: Database) {
        self.db = db
    }

    /// Runs an insert or update with `values`, one per `?`, in order.
    func execute(_ which: Which, _ values: [SQLArgument]) throws {
        try run(which, values) { try $0.execute() }
    }

    /// Whether a query returns a row, with `values` bound as `execute` binds them.
    func returnsRow(_ which: Which, _ values: [SQLArgument]) throws -> Bool {
        try run(which, values) { try Row.fetchOne($0) != nil }
    }

    private func run<T>(_ which: Which, _ values: [SQLArgument], _ body: (Statement) throws -> T) throws -> T {
        let statement: Statement
        if let kept = prepared[which.rawValue] {
            statement = kept
        } else {
            // The marker keeps the statement GRDB caches for this SQL to this type: no other code binds
            // arguments to it through GRDB, which would undo `takeBindings`.
            statement = try db.cachedStatement(sql: "/* HotStatements */ " + which.sql)
            Self.takeBindings(of: statement)
            prepared[which.rawValue] = statement
        }
        do {
            try Self.bind(values, to: statement)
            return try body(statement)
        } catch {
            // GRDB drops a failed statement from its cache, holding that it cannot be reused; so does this
            // one (a later run takes a new one from GRDB's cache).
            prepared[which.rawValue] = nil
            throw error
        }
    }

    /// Tells GRDB that the statement has no arguments of its own: its `execute()` and fetches without
    /// arguments then reset the statement and step it, binding nothing. SQLite keeps bindings across a
    /// reset, so what `bind` bound is what runs. Once per statement, before its first `bind`.
    static func takeBindings(of statement: Statement) {
        statement.setUncheckedArguments(StatementArguments())
    }

    /// Binds `values`, one per `?` in order, for the next `execute()` or fetch without arguments of a
    /// statement whose bindings this type took (`takeBindings`). Every parameter is bound each time.
    static func bind(_ values: [SQLArgument], to statement: Statement) throws {
        let handle = statement.sqliteStatement
        guard values.count == Int(sqlite3_bind_parameter_count(handle)) else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE,
                                message: "\(values.count) values for \(sqlite3_bind_parameter_count(handle)) parameters",
                                sql: statement.sql)
        }
        // A statement stepped since its last reset takes no bindings; the reset's code repeats the last
        // step's, which GRDB has already reported.
        sqlite3_reset(handle)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value {
            case .text(let text):
                // As GRDB binds text: up to its first NUL, if it has one (length −1).
                code = text.withCString { sqlite3_bind_text(handle, index, $0, -1, transient) }
            case .integer(let number):
                code = sqlite3_bind_int64(handle, index, Int64(number))
            case .real(let number):
                code = sqlite3_bind_double(handle, index, number)
            case .bytes(let bytes):
                code = bytes.isEmpty ? sqlite3_bind_zeroblob(handle, index, 0) : bytes.withUnsafeBytes { raw in
                    sqlite3_bind_blob(handle, index, raw.baseAddress, Int32(raw.count), transient)
                }
            case .null:
                code = sqlite3_bind_null(handle, index)
            }
            guard code == SQLITE_OK else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code),
                                    message: String(cString: sqlite3_errmsg(sqlite3_db_handle(handle))),
                                    sql: statement.sql)
            }
        }
    }

    /// SQLite copies the value before the bind call returns (`SQLITE_TRANSIENT`).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
