import Foundation
import GRDB
import Testing
@testable import GreenMineServer

/// The push's statements bound through SQLite's C interface (`HotStatements`), on a real SQLite file.
struct HotStatementsTests {
    /// A database file with one table of every kind of column, in a folder removed afterwards.
    private func withDatabase(_ body: (DatabaseQueue) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("greenmine-hot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let queue = try DatabaseQueue(path: folder.appendingPathComponent("server.sqlite").path)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER, r REAL, b BLOB, z TEXT)")
        }
        try body(queue)
    }

    /// A write transaction on a database file with the server's schema, in a folder removed afterwards.
    private func withServerDatabase(_ body: (Database) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("greenmine-hot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let queue = try DatabaseQueue(path: folder.appendingPathComponent("server.sqlite").path)
        try ServerSchema.migrator.migrate(queue)
        try queue.write(body)
    }

    private static let insert = "INSERT INTO t (id, n, r, b, z) VALUES (?, ?, ?, ?, ?)"

    @Test func everyKindOfValueIsStoredAsGRDBStoresIt() throws {
        try withDatabase { queue in
            let values: [[SQLArgument]] = [
                [.text("绿色矿山 ✓"), .integer(Int.max), .real(-0.5), .bytes([0, 1, 255]), .null],
                [.text(""), .integer(0), .real(1e300), .bytes([]), .text(String(repeating: "长", count: 5000))],
                [.text("x"), .integer(-7), .null, .null, .text("a\u{0}b")],
            ]
            try queue.write { db in
                let direct = try db.makeStatement(sql: Self.insert)
                HotStatements.takeBindings(of: direct)
                for row in values {
                    try HotStatements.bind(row, to: direct)
                    try direct.execute()
                    // The same values through GRDB's own arguments, under another id.
                    var viaGRDB = row
                    if case .text(let id) = row[0] { viaGRDB[0] = .text("grdb-" + id) }
                    try db.execute(sql: Self.insert, arguments: viaGRDB.statementArguments)
                }
                for row in values {
                    guard case .text(let id) = row[0] else { continue }
                    // Hex and lengths: GRDB reads text back only up to a NUL.
                    let sql = "SELECT n, r, hex(b), typeof(b), hex(z), length(z), typeof(z) FROM t WHERE id = ?"
                    let mine = try #require(try Row.fetchOne(db, sql: sql, arguments: [id]))
                    let theirs = try #require(try Row.fetchOne(db, sql: sql, arguments: ["grdb-" + id]))
                    #expect(mine == theirs)
                }
            }
        }
    }

    @Test func aWrongNumberOfValuesIsRefusedBeforeAnythingRuns() throws {
        try withDatabase { queue in
            try queue.write { db in
                let statement = try db.makeStatement(sql: Self.insert)
                HotStatements.takeBindings(of: statement)
                #expect(throws: DatabaseError.self) { try HotStatements.bind([.text("a")], to: statement) }
                #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM t") == 0)
            }
        }
    }

    /// A statement that fails (a duplicate key) inside a savepoint, rolled back as a refused mutation is,
    /// runs again in the same transaction, as a push goes on after a refused mutation.
    @Test func aFailedStatementRunsAgainAfterItsSavepointIsRolledBack() throws {
        try withServerDatabase { db in
            let hot = HotStatements(db: db)
            let result: (Int) -> [SQLArgument] = { [.text("c"), .integer($0), .text("applied"), .null, .null, .null] }
            try hot.execute(.result, result(1))
            try db.execute(sql: "SAVEPOINT mutation")
            // (client, seq) is the results' key: the same again is refused.
            #expect(throws: DatabaseError.self) { try hot.execute(.result, result(1)) }
            try db.execute(sql: "ROLLBACK TO SAVEPOINT mutation")
            try db.execute(sql: "RELEASE SAVEPOINT mutation")
            try hot.execute(.result, result(2))
            #expect(try Int.fetchAll(db, sql: "SELECT seq FROM mutation_results ORDER BY seq") == [1, 2])
            #expect(try hot.returnsRow(.exists, [.text("nothing")]) == false)
        }
    }

    /// The same SQL run by GRDB with its own arguments in between (which would undo `takeBindings` on a
    /// shared statement) leaves the direct bindings right.
    @Test func grdbsOwnUseOfTheSameStatementInBetweenChangesNothing() throws {
        try withServerDatabase { db in
            let hot = HotStatements(db: db)
            try hot.execute(.changeLog, [.text("a"), .integer(1), .real(1.0)])
            try db.cachedStatement(sql: HotStatements.Which.changeLog.sql).execute(arguments: ["b", 2, 2.0])
            try hot.execute(.changeLog, [.text("c"), .integer(3), .real(3.0)])
            let rows = try Row.fetchAll(db, sql: "SELECT record_id, version, at FROM change_log ORDER BY rowid")
            #expect(rows.map { $0["record_id"] as String } == ["a", "b", "c"])
            #expect(rows.map { $0["version"] as Int } == [1, 2, 3])
            #expect(rows.map { $0["at"] as Double } == [1.0, 2.0, 3.0])
        }
    }
}
