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
        let readers = CallingThreadReaders(path: pool.path)
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
        let readers = CallingThreadReaders(path: pool.path)
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
        let readers = CallingThreadReaders(path: pool.path, limit: 2)
        // Every connection in use: the next read answers nil at once (the caller takes GRDB's path).
        let nested = try readers.read { _ in
            try readers.read { _ in try readers.read { _ in "third" } }
        }
        #expect(nested == .some(.some(nil)))
        // Given back after use: later reads get one again.
        #expect(try readers.read(Self.probe) == "one")
    }

    @Test func cannotWrite() throws {
        let (pool, folder) = try database()
        defer { try? FileManager.default.removeItem(at: folder) }
        let readers = CallingThreadReaders(path: pool.path)
        #expect(throws: DatabaseError.self) {
            try readers.read { db in try db.execute(sql: "UPDATE settings SET value = 'x'") }
        }
        #expect(try readers.read(Self.probe) == "one")
    }
}
