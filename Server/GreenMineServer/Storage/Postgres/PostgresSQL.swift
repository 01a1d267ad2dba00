import Crypto
import Foundation
import Logging
import PostgresNIO

/// SQL written with `?` placeholders (as the SQLite side and the shared visibility fragments are) turned
/// into a PostgreSQL query with numbered binds, and the few reads the PostgreSQL stores make of rows.
enum PostgresSQL {
    /// `sql` with each `?` outside single quotes replaced by `$1`, `$2`, … and `values` bound in order.
    /// Only single quotes are understood: the SQL given here must have no `?` or `'` inside double-quoted
    /// names, comments or dollar-quoted text, and no jsonb `?` operators (none of the stores' SQL has).
    static func query(_ sql: String, _ values: [SQLArgument]) throws -> PostgresQuery {
        // Bytes, not Characters: every statement of a push passes here, and `?` and `'` are ASCII.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(sql.utf8.count + values.count * 3)
        var number = 0
        var quoted = false
        for byte in sql.utf8 {
            if byte == UInt8(ascii: "'") { quoted.toggle() }
            if byte == UInt8(ascii: "?"), !quoted {
                number += 1
                bytes += Array("$\(number)".utf8)
            } else {
                bytes.append(byte)
            }
        }
        let text = String(decoding: bytes, as: UTF8.self)
        guard number == values.count else {
            throw StoredDataCorrupt(what: "a PostgreSQL query", reason: "\(number) placeholders for \(values.count) values")
        }
        var binds = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .text(let text): binds.append(text)
            case .integer(let number): binds.append(number)
            case .real(let number): binds.append(number)
            case .bytes(let bytes): binds.append(ByteBuffer(bytes: bytes))
            case .null: binds.appendNull()
            }
        }
        return PostgresQuery(unsafeSQL: text, binds: binds)
    }

    /// Every row of a query, for random access by column name.
    static func rows(_ connection: PostgresConnection, _ sql: String, _ values: [SQLArgument] = [],
                     logger: Logger) async throws -> [PostgresRandomAccessRow] {
        var rows: [PostgresRandomAccessRow] = []
        for try await row in try await connection.query(query(sql, values), logger: logger) {
            rows.append(row.makeRandomAccess())
        }
        return rows
    }

    /// Every row of a query, through a statement the connection prepares once (by its text and the
    /// values' types) and runs again with other values: for reads run often whose planning costs more
    /// than running them (a pull: 1.7 ms to plan, 0.15 ms to run, measured with pg_stat_statements;
    /// docs/BENCHMARKS.md). postgres-nio keeps each connection's prepared statements. Only for statements
    /// of a bounded number of texts (the pull's: a few per role), as each stays prepared on its connection.
    static func preparedRows(_ connection: PostgresConnection, _ sql: String, _ values: [SQLArgument] = [],
                             logger: Logger) async throws -> [PostgresRandomAccessRow] {
        let query = try query(sql, values)
        let types = values.map { value in
            switch value {
            case .text: "t"
            case .integer: "i"
            case .real: "r"
            case .bytes: "b"
            case .null: "n"
            }
        }.joined()
        let digest = SHA256.hash(data: Data((types + "\n" + query.sql).utf8))
        let name = "greenmine_" + digest.prefix(12).map { String(format: "%02x", $0) }.joined()
        return try await RuntimePreparedStatement.$current.withValue((name, query.sql)) {
            var rows: [PostgresRandomAccessRow] = []
            for try await row in try await connection.execute(RuntimePreparedStatement(bindings: query.binds),
                                                              logger: logger) {
                rows.append(row)
            }
            return rows
        }
    }

    /// Runs a statement and drops what it returns.
    static func execute(_ connection: PostgresConnection, _ sql: String, _ values: [SQLArgument] = [],
                        logger: Logger) async throws {
        for try await _ in try await connection.query(query(sql, values), logger: logger) {}
    }
}

extension PostgresRandomAccessRow {
    /// The column's value, decoded.
    func get<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        try self[column].decode(T.self)
    }

    /// A BYTEA column's bytes.
    func bytes(_ column: String) throws -> [UInt8] {
        Array(try self[column].decode(ByteBuffer.self).readableBytesView)
    }
}

/// A statement whose text is known only when it runs, prepared through postgres-nio's prepared
/// statements, which name a statement and give its SQL as statics of a type: here both are the running
/// task's (`current`, set by `PostgresSQL.preparedRows` around the call that reads them). This relies on
/// postgres-nio reading `name`, `sql` and `bindingDataTypes` in `PostgresConnection.execute(_:logger:)`
/// before its first suspension (1.33: PostgresConnection.swift, the `HandlerTask.executePreparedStatement`
/// it builds keeps copies); a version that read them later would see `("", "")` and run the unnamed
/// statement, which PostgresPreparedTests would catch (it looks for the statement on the server).
struct RuntimePreparedStatement: PostgresPreparedStatement {
    @TaskLocal static var current: (name: String, sql: String) = ("", "")
    static var name: String { current.name }
    static var sql: String { current.sql }

    typealias Row = PostgresRandomAccessRow
    var bindings: PostgresBindings

    func makeBindings() throws -> PostgresBindings { bindings }
    func decodeRow(_ row: PostgresRow) throws -> PostgresRandomAccessRow { row.makeRandomAccess() }
}
