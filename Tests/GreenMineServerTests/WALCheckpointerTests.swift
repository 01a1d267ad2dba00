import Foundation
import GRDB
import Testing
@testable import GreenMineServer

/// The server's WAL checkpoints (`WALCheckpointer`): the rule, then real SQLite files in WAL mode, where
/// only a checkpoint writes the database file itself (commits go to the log).
struct WALCheckpointerTests {
    @Test func theRule() {
        let rule = WALCheckpointRule(beside: 100, inline: 200, longest: 400)
        var synced: Int32 = 0
        #expect(rule.step(frames: 99, synced: &synced, running: false) == .none)
        #expect(rule.step(frames: 100, synced: &synced, running: false) == .beside)
        #expect(synced == 100)
        // While one runs beside the writer, no other starts, and the writer waits for 200 unsynced pages.
        #expect(rule.step(frames: 250, synced: &synced, running: true) == .none)
        #expect(rule.step(frames: 300, synced: &synced, running: true) == .inline)
        // The log started over (shorter than when the last checkpoint began).
        synced = 350
        #expect(rule.step(frames: 40, synced: &synced, running: false) == .none)
        #expect(synced == 0)
        // A long log that checkpoints beside the writer never quite caught up with: the writer checkpoints.
        synced = 390
        #expect(rule.step(frames: 400, synced: &synced, running: false) == .inline)
        #expect(rule.step(frames: 400, synced: &synced, running: true) == .none)
        #expect(WALCheckpointRule.server == WALCheckpointRule(beside: 4000, inline: 8000, longest: 16000))
    }

    /// The checkpointer `prepareDatabase` installed on the writer (set once, on the writer's queue).
    private final class Installed: @unchecked Sendable {
        var checkpointer: WALCheckpointer?
    }

    /// A database in WAL mode with a checkpointer of `rule` on its writer (the server's own, opened by
    /// `ServerDatabase.open`, when nil), and a table of blobs.
    private struct Opened {
        let folder: URL
        let path: String
        let pool: DatabasePool
        let installed = Installed()

        init(rule: WALCheckpointRule?) throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("greenmine-wal-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let path = folder.appendingPathComponent("db.sqlite").path
            self.path = path
            if let rule {
                var configuration = Configuration()
                configuration.prepareDatabase { [installed] db in
                    if !db.configuration.readonly {
                        installed.checkpointer = WALCheckpointer.install(on: db, path: path, rule: rule)
                    }
                }
                pool = try DatabasePool(path: path, configuration: configuration)
            } else {
                pool = try ServerDatabase.open(path: path)
            }
            try pool.write { try $0.execute(sql: "CREATE TABLE blobs_for_test (data BLOB NOT NULL)") }
        }

        /// Commits `count` transactions of one 16 KiB blob each (four pages and more of the log apiece).
        func write(_ count: Int) throws {
            for _ in 0..<count {
                try pool.write { try $0.execute(sql: "INSERT INTO blobs_for_test (data) VALUES (randomblob(16384))") }
            }
        }

        func size(_ suffix: String = "") -> Int {
            ((try? FileManager.default.attributesOfItem(atPath: path + suffix)[.size]) as? Int) ?? 0
        }

        /// Waits up to ten seconds for `done`.
        func wait(_ done: () -> Bool) async throws {
            for _ in 0..<1000 where !done() { try await Task.sleep(for: .milliseconds(10)) }
        }

        func remove() { try? FileManager.default.removeItem(at: folder) }
    }

    @Test func aCheckpointBesideTheWriterCopiesTheLogIntoTheDatabase() async throws {
        let opened = try Opened(rule: WALCheckpointRule(beside: 40, inline: 1_000_000, longest: 1_000_000))
        defer { opened.remove() }
        let before = opened.size()
        try opened.write(20)
        let checkpointer = try #require(opened.installed.checkpointer)
        try await opened.wait { checkpointer.counts.beside >= 1 }
        #expect(checkpointer.counts.beside >= 1)
        #expect(checkpointer.counts.inline == 0)
        // The blobs of the log it found reached the database file (only a checkpoint writes it): the first
        // began at 40 pages or more of the log, about eight transactions of a 16 KiB blob and its row.
        #expect(opened.size() >= before + 7 * 16384)
    }

    @Test func theWriterCheckpointsItselfWhenNoneRunsBeside() throws {
        let opened = try Opened(rule: WALCheckpointRule(beside: 1_000_000, inline: 40, longest: 1_000_000))
        defer { opened.remove() }
        let before = opened.size()
        try opened.write(20)
        let checkpointer = try #require(opened.installed.checkpointer)
        #expect(checkpointer.counts.inline >= 1)
        #expect(checkpointer.counts.beside == 0)
        #expect(opened.size() > before + 16384)
    }

    @Test func theServerReplacesSQLitesAutomaticCheckpoint() throws {
        // SQLite's automatic checkpoint would copy the log into the database at 1,000 pages and start it
        // over; the server's first checkpoint comes at 4,000 (WALCheckpointRule.server).
        let opened = try Opened(rule: nil)
        defer { opened.remove() }
        let before = opened.size()
        try opened.write(400)
        #expect(opened.size() == before)
        #expect(opened.size("-wal") > 1600 * 4096)
    }
}
