import Foundation
import GRDB
import Testing
@testable import GreenMineServer

/// The migration after which record versions are appended in the order written (`v15-versions-in-order`),
/// on a real SQLite file.
struct VersionsInOrderTests {
    @Test func theMigrationKeepsEveryVersionAndItsKey() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("greenmine-versions-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let queue = try DatabaseQueue(path: folder.appendingPathComponent("server.sqlite").path)
        try ServerSchema.migrator.migrate(queue, upTo: "v14-partial-indexes")
        let rows: [[DatabaseValue]] = [
            ["b", 1, nil, "u1", "[]", #"{"v":"b1"}"#, 20.0],
            ["a", 1, "c1", "u1", #"["fields.x"]"#, #"{"v":"a1"}"#, 10.0],
            ["a", 2, "c1", "u2", #"["fields.y"]"#, #"{"v":"a2"}"#, 30.0],
        ].map { $0.map { ($0 as (any DatabaseValueConvertible)?)?.databaseValue ?? .null } }
        try queue.write { db in
            for row in rows {
                try db.execute(sql: """
                    INSERT INTO record_versions (record_id, version, client_id, user_id, changed_paths, body, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: StatementArguments(row))
            }
        }
        try ServerSchema.migrator.migrate(queue)
        try queue.read { db in
            let kept = try Row.fetchAll(db, sql: """
                SELECT record_id, version, client_id, user_id, changed_paths, body, created_at
                FROM record_versions ORDER BY rowid
                """).map { row in (0..<7).map { row[$0] as DatabaseValue } }
            // Every column of every version (those already kept are copied in the old table's key order;
            // new ones are appended after them).
            #expect(kept == [rows[1], rows[2], rows[0]])
            // A version is still found by its record and number through the unique index.
            let details = try Row.fetchAll(db, sql: """
                EXPLAIN QUERY PLAN SELECT body FROM record_versions WHERE record_id = 'a' AND version = 2
                """).map { $0["detail"] as String }
            #expect(details.contains { $0.contains("record_versions_key") })
        }
        // One version per record and number, as the primary key kept it.
        #expect(throws: DatabaseError.self) {
            try queue.write { db in
                try db.execute(sql: """
                    INSERT INTO record_versions (record_id, version, user_id, changed_paths, body, created_at)
                    VALUES ('a', 2, 'u3', '[]', '{}', 40)
                    """)
            }
        }
    }
}
