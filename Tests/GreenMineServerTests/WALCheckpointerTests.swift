import Foundation
import GRDB
import Testing
@testable import GreenMineServer

/// The server's WAL checkpoints (`WALCheckpointer`): the rule, then real SQLite files in WAL mode, where
/// only a checkpoint writes the database file itself (commits go to the log).
struct WALCheckpointerTests {
    @Test func theRule() {
        let rule = WALCheckpointRule(beside: 100, inline: 200, longest: 400)
        var log = WALCheckpointRule.Log()
        #expect(rule.step(frames: 99, log: &log, running: false) == .none)
        #expect(rule.step(frames: 100, log: &log, running: false) == .beside)
        #expect(log == WALCheckpointRule.Log(begun: 100, copiedThrough: 0))
        // While one runs beside the writer, no other starts; the writer waits for 200 pages not copied.
        #expect(rule.step(frames: 199, log: &log, running: true) == .none)
        #expect(rule.step(frames: 200, log: &log, running: true) == .inline)
        // What a completed checkpoint copied counts; one only begun does not.
        log.copied(150)
        #expect(rule.step(frames: 340, log: &log, running: true) == .none)
        #expect(rule.step(frames: 350, log: &log, running: true) == .inline)
        // The log started over (shorter than what was known of it).
        #expect(rule.step(frames: 40, log: &log, running: false) == .none)
        #expect(log == WALCheckpointRule.Log())
        // A long log that checkpoints beside the writer never quite caught up with: the writer checkpoints.
        log = WALCheckpointRule.Log(begun: 390, copiedThrough: 390)
        #expect(rule.step(frames: 400, log: &log, running: false) == .inline)
        #expect(rule.step(frames: 400, log: &log, running: true) == .none)
        #expect(WALCheckpointRule.server == WALCheckpointRule(beside: 4000, inline: 8000, longest: 16000))
    }

    @Test func checkpointsBesideTheWriterThatFailStillLeaveItToTheWriter() {
        let rule = WALCheckpointRule.server
        var log = WALCheckpointRule.Log()
        var steps: [WALCheckpointRule.Step] = []
        // Every checkpoint beside the writer fails (nothing is ever copied): they are tried every 4,000
        // pages, and the writer checkpoints itself at 8,000 pages not copied, as before.
        for frames in stride(from: Int32(500), through: 8000, by: 500) {
            steps.append(rule.step(frames: frames, log: &log, running: false))
        }
        #expect(steps.filter { $0 == .beside }.count == 1)
        #expect(steps.last == .inline)
        #expect(steps.dropLast().allSatisfy { $0 != .inline })
    }

    /// A database in WAL mode with a checkpointer of `rule` on its writer (the server's own, opened by
    /// `ServerDatabase.open`, when nil), and a table of blobs.
    private struct Opened {
        let folder: URL
        let path: String
        let pool: DatabasePool
        let checkpointer: WALCheckpointer?

        init(rule: WALCheckpointRule?) throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("greenmine-wal-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let path = folder.appendingPathComponent("db.sqlite").path
            self.path = path
            if let rule {
                let checkpointer = WALCheckpointer(path: path, rule: rule)
                var configuration = Configuration()
                configuration.prepareDatabase { db in
                    if !db.configuration.readonly { checkpointer.install(on: db) }
                }
                pool = try DatabasePool(path: path, configuration: configuration)
                self.checkpointer = checkpointer
            } else {
                pool = try ServerDatabase.open(path: path)
                checkpointer = nil
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
        let checkpointer = try #require(opened.checkpointer)
        // The blobs of the log it found reach the database file (only a checkpoint writes it): the first
        // began at 40 pages or more of the log, six transactions or more of a 16 KiB blob and its row.
        try await opened.wait { checkpointer.counts.beside >= 1 && opened.size() >= before + 5 * 16384 }
        #expect(checkpointer.counts.beside >= 1)
        #expect(checkpointer.counts.failed == 0)
        #expect(checkpointer.counts.inline == 0)
        #expect(opened.size() >= before + 5 * 16384)
    }

    @Test func theWriterCheckpointsItselfWhenNoneRunsBeside() throws {
        let opened = try Opened(rule: WALCheckpointRule(beside: 1_000_000, inline: 40, longest: 1_000_000))
        defer { opened.remove() }
        let before = opened.size()
        try opened.write(20)
        let checkpointer = try #require(opened.checkpointer)
        #expect(checkpointer.counts.inline >= 1)
        #expect(checkpointer.counts.beside == 0)
        #expect(opened.size() > before + 16384)
    }

    @Test func theServerCheckpointsBesideTheWriterInsteadOfSQLite() async throws {
        // SQLite's automatic checkpoint would copy the log into the database at 1,000 pages and start it
        // over; the server's first checkpoint begins at 4,000 pages, beside the writer
        // (WALCheckpointRule.server).
        let opened = try Opened(rule: nil)
        defer { opened.remove() }
        let before = opened.size()
        try opened.write(400)
        #expect(opened.size() == before)
        #expect(opened.size("-wal") > 1600 * 4096)
        // Past 4,000 pages (about 700 transactions of six pages), but short of the writer's own 8,000.
        try opened.write(400)
        try await opened.wait { opened.size() > before + 2000 * 4096 }
        #expect(opened.size() > before + 2000 * 4096)
    }
}
