import Foundation
import GRDB
import Testing
@testable import GreenMineServer

/// The pull's read-only connections (`CallingThreadReaders`), against a real SQLite file in WAL mode
/// opened as the server opens it.
struct CallingThreadReadersTests {
    private func database() throws -> (DatabasePool, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("greenmine-readers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let pool = try ServerDatabase.open(path: folder.appendingPathComponent("server.sqlite").path)
        try pool.write { db in
            try db.execute(sql: "INSERT INTO settings (key, value) VALUES ('probe', 'one')")
        }
        return (pool, folder)
    }

    private static func probe(_ db: Database) throws -> String? {
        try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = 'probe'")
    }

    @Test func readsOnTheCallingThreadWhatTheWriterCommitted() throws {
        let (pool, folder) = try database()
        defer { try? FileManager.default.removeItem(at: folder) }
        let readers = CallingThreadReaders(pool: pool)
        let caller = pthread_self()
        let (value, thread) = try #require(try readers.read { db in (try Self.probe(db), pthread_self()) })
        #expect(value == "one")
        #expect(pthread_equal(thread, caller) != 0)
        try pool.write { db in try db.execute(sql: "UPDATE settings SET value = 'two' WHERE key = 'probe'") }
        #expect(try readers.read(Self.probe) == "two")
    }

    @Test func aReadIsOneSnapshot() throws {
        let (pool, folder) = try database()
        defer { try? FileManager.default.removeItem(at: folder) }
        let readers = CallingThreadReaders(pool: pool)
        let seen = try readers.read { db -> [String?] in
            let before = try Self.probe(db)
            // A commit in the middle of the read is not part of it.
            try pool.write { db in try db.execute(sql: "UPDATE settings SET value = 'two' WHERE key = 'probe'") }
            return [before, try Self.probe(db)]
        }
        #expect(seen == ["one", "one"])
        #expect(try readers.read(Self.probe) == "two")
    }

    @Test func neverWaitsForAConnection() throws {
        let (pool, folder) = try database()
        defer { try? FileManager.default.removeItem(at: folder) }
        let readers = CallingThreadReaders(pool: pool, limit: 2)
        // Every connection in use: the next read answers nil at once (the caller takes GRDB's path).
        var refused = false
        let outer = try readers.read { _ -> Int? in
            let middle = try readers.read { _ -> Int? in
                refused = try readers.read { _ in "third" } == nil
                return 2
            }
            return middle.map { $0 + 1 }
        }
        #expect(outer == 3)
        #expect(refused)
        #expect(readers.readsServed == 2)
        // Given back after use: later reads get one again.
        #expect(try readers.read(Self.probe) == "one")
    }

    @Test func readOnlyWithThePoolsConfiguration() throws {
        let (pool, folder) = try database()
        defer { try? FileManager.default.removeItem(at: folder) }
        let readers = CallingThreadReaders(pool: pool)
        let (readonly, foreignKeys, tempStore) = try #require(try readers.read { db in
            (db.configuration.readonly, try Bool.fetchOne(db, sql: "PRAGMA foreign_keys"),
             try Int.fetchOne(db, sql: "PRAGMA temp_store"))
        })
        #expect(readonly)
        // The server's own settings (ServerDatabase.open's): foreign keys on, temporary tables in memory.
        #expect(foreignKeys == true && tempStore == 2)
        #expect(throws: DatabaseError.self) {
            try readers.read { db in try db.execute(sql: "UPDATE settings SET value = 'x'") }
        }
        #expect(try readers.read(Self.probe) == "one")
    }

    @Test func aConnectionThatCannotBeOpenedSendsTheReadElsewhere() throws {
        let readers = CallingThreadReaders(path: "/nonexistent-\(UUID().uuidString)/server.sqlite",
                                           configuration: Configuration(), limit: 1)
        #expect(try readers.read { _ in 1 } == nil)
        #expect(readers.readsServed == 0)
    }

    @Test func theServerReadsHereOnlyPullsNearTheHeadOfTheChangeLog() async throws {
        let harness = try await Harness()
        guard harness.sqlite != nil else { return }
        let store = try #require(harness.services.records as? SQLiteRecordStore)
        let readers = try #require(store.pullReaders)
        let enterprise = try await harness.user(try await harness.token("demo-ent1"))
        var device = Device()
        _ = try await harness.services.sync.push(device.request([device.create(.preApplication, set: [:])]), user: enterprise)
        // A first pull (to the end): GRDB's path.
        var first = try await store.pull(user: enterprise, after: 0, limit: 1000, client: nil)
        while first.more { first = try await store.pull(user: enterprise, after: first.cursor, limit: 1000, client: nil) }
        #expect(first.cursor > 0)
        let servedBefore = readers.readsServed
        // More changes than `nearHead` after that cursor.
        let batch = Int(SQLiteRecordStore.nearHead) / 2 + 1
        for _ in 0..<3 {
            let creates = (0..<batch).map { _ in device.create(.preApplication, set: [:]) }
            let pushed = try await harness.services.sync.push(device.request(creates), user: enterprise)
            #expect(pushed.results.allSatisfy { $0.status == .applied })
        }
        // From the old cursor: too far behind, GRDB's path; its pages are whole.
        let behind = try await store.pull(user: enterprise, after: first.cursor, limit: 1000, client: device.clientId)
        #expect(readers.readsServed == servedBefore)
        #expect(behind.records.count == 1000 && behind.more && behind.lastSeq == 3 * batch + 1)
        // Near the head: here, and the same answer as GRDB's path gives.
        let near = try await store.pull(user: enterprise, after: behind.cursor, limit: 1000, client: device.clientId)
        #expect(readers.readsServed == servedBefore + 1)
        #expect(near.records.count == 3 * batch - 1000 && !near.more && near.lastSeq == 3 * batch + 1)
        let noOp = try await store.pull(user: enterprise, after: near.cursor, limit: 1000, client: device.clientId)
        #expect(readers.readsServed == servedBefore + 2)
        #expect(noOp.records.isEmpty && noOp.cursor == near.cursor && noOp.lastSeq == 3 * batch + 1)
        // Past the head (a server restored from an older copy, say): nothing, the cursor kept, the last seq.
        let past = try await store.pull(user: enterprise, after: near.cursor + 10, limit: 1000, client: device.clientId)
        #expect(readers.readsServed == servedBefore + 3)
        #expect(past.records.isEmpty && past.gone.isEmpty && !past.more && past.cursor == near.cursor + 10)
        #expect(past.lastSeq == 3 * batch + 1)
        // No client named, or one the server has not seen: no last seq.
        let anonymous = try await store.pull(user: enterprise, after: near.cursor, limit: 1000, client: nil)
        let unseen = try await store.pull(user: enterprise, after: near.cursor, limit: 1000, client: UUID())
        #expect(anonymous.records.isEmpty && anonymous.lastSeq == 0 && unseen.lastSeq == 0)
        // One change after the cursor: the page is read again.
        _ = try await harness.services.sync.push(device.request([device.create(.preApplication, set: [:])]), user: enterprise)
        let one = try await store.pull(user: enterprise, after: near.cursor, limit: 1000, client: device.clientId)
        #expect(one.records.count == 1 && one.cursor > near.cursor && one.lastSeq == 3 * batch + 2)
        #expect(readers.readsServed == servedBefore + 6)
    }
}
