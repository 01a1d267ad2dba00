import Foundation
import GRDB
import GreenMineShared
import Hummingbird
import HummingbirdTesting
import Testing
@testable import GreenMineServer

/// Pull pages: change order, cursors, `more`, `lastSeq`, and the schema behind `gone`.
struct PullTests {
    @Test func pagesFollowTheChangeOrderAndResumeFromTheCursor() async throws {
        let harness = try await Harness()
        let token = try await harness.token("demo-ent1")
        try await harness.withAPI { api in
            var device = Device()
            var ids: [UUID] = []
            for n in 0..<5 {
                let record = try await api.apply(token, device, device.create(.preApplication, set: [
                    "remarks.text": .string("第\(n)份"),
                ]))
                ids.append(record.id)
            }
            // Touching the first record moves it to the end of the change order.
            _ = try await api.apply(token, device, device.patch(ids[0], .preApplication, base: 1,
                                                                set: ["remarks.text": .string("改")]))
            let first = try await api.pull(token, limit: 2, clientId: device.clientId)
            #expect(first.records.map(\.id) == [ids[1], ids[2]])
            #expect(first.more)
            #expect(first.lastSeq == 6)
            let second = try await api.pull(token, after: first.cursor, limit: 2)
            #expect(second.records.map(\.id) == [ids[3], ids[4]])
            #expect(second.more)
            #expect(second.lastSeq == 0)
            let third = try await api.pull(token, after: second.cursor, limit: 2)
            #expect(third.records.map(\.id) == [ids[0]])
            #expect(third.records.first?.version == 2)
            #expect(!third.more)
            // Nothing new: an empty page with the same cursor.
            let idle = try await api.pull(token, after: third.cursor)
            #expect(idle.records.isEmpty)
            #expect(idle.gone.isEmpty)
            #expect(idle.cursor == third.cursor)
            #expect(!idle.more)
        }
    }

    @Test func theReviewSeenMigrationBackfillsExistingRecords() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("migration-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("old.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try ServerSchema.migrator.migrate(queue, upTo: "v1")
        let submitted = UUID().uuidString
        let withdrawn = UUID().uuidString
        let child = UUID().uuidString
        let draft = UUID().uuidString
        try await queue.write { db in
            for (id, parent, visible) in [(submitted, nil, true), (withdrawn, nil, false), (child, withdrawn, false),
                                          (draft, nil, false)] as [(String, String?, Bool)] {
                try db.execute(sql: """
                    INSERT INTO records (id, kind, version, state, parent_id, review_visible, change_seq, body)
                    VALUES (?, 'preApplication', 1, 'draft', ?, ?, 1, '{}')
                    """, arguments: [id, parent, visible])
            }
            for id in [submitted, withdrawn] {
                try db.execute(sql: """
                    INSERT INTO audit_events (record_id, action, actor_id, actor_name, role, server_time, version)
                    VALUES (?, 'submit', 'u', 'u', 'enterprise', 0, 2)
                    """, arguments: [id])
            }
        }
        try queue.close()
        let database = try ServerDatabase.open(path: path)
        let seen = try await database.read { db in
            try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT id, review_seen FROM records").map {
                ($0["id"] as String, $0["review_seen"] as Bool)
            })
        }
        #expect(seen == [submitted: true, withdrawn: true, child: true, draft: false])
    }
}
