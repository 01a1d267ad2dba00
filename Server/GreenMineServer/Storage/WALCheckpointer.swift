import Dispatch
import Foundation
import GRDB
import GRDBSQLite

/// Checkpoints the server's write-ahead log on a connection and a queue of its own, so that the commit
/// that fills the log does not wait while its pages are copied into the database and both files are
/// synced (with SQLite's automatic checkpoint, one push batch in five took 50–95 ms longer for it;
/// docs/DECISIONS.md, "The push's pages"). The writer still checkpoints itself when the checkpoints
/// beside it fall behind or fail (`WALCheckpointRule`).
///
/// Whoever installs it keeps it alive as long as the connection: `ServerDatabase.open` creates it and
/// captures it in the configuration's `prepareDatabase`, which every connection keeps.
final class WALCheckpointer: @unchecked Sendable {
    // @unchecked: `log`, `running` and the counts are touched with `lock` held; `connection` only on
    // `queue`; `path` and `rule` never change.
    private let lock = NSLock()
    private let path: String
    private let rule: WALCheckpointRule
    private let queue = DispatchQueue(label: "greenmine.wal-checkpoint")
    private var log = WALCheckpointRule.Log()
    private var running = false
    private var beside = 0
    private var inline = 0
    private var failed = 0
    private var connection: DatabaseQueue?

    /// `path` is the database's file, to which the checkpointer opens a connection of its own when it
    /// first checkpoints.
    init(path: String, rule: WALCheckpointRule = .server) {
        self.path = path
        self.rule = rule
    }

    /// Installs the checkpointer's WAL hook on the database's writing connection, in place of SQLite's
    /// automatic checkpoint. The hook holds the checkpointer unretained: the caller keeps it alive.
    func install(on db: Database) {
        precondition(!db.configuration.readonly, "the WAL checkpointer belongs on the writing connection")
        sqlite3_wal_hook(db.sqliteConnection, { context, connection, name, frames in
            guard let context else { return SQLITE_OK }
            Unmanaged<WALCheckpointer>.fromOpaque(context).takeUnretainedValue()
                .committed(frames: frames, connection: connection, name: name)
            return SQLITE_OK
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Checkpoints that completed beside the writer, those the writer ran itself, and those beside it
    /// that failed (other than finding the checkpoint lock taken).
    var counts: (beside: Int, inline: Int, failed: Int) { lock.withLock { (beside, inline, failed) } }

    /// After each commit, on the writer's connection; `frames` is the log's length in pages.
    private func committed(frames: Int32, connection: OpaquePointer?, name: UnsafePointer<CChar>?) {
        let step: WALCheckpointRule.Step = lock.withLock {
            let step = rule.step(frames: frames, log: &log, running: running)
            if step == .beside { running = true }
            return step
        }
        switch step {
        case .none:
            return
        case .inline:
            // What SQLite's automatic checkpoint does (passive: it waits for no reader). Busy when the
            // checkpoint beside it holds the lock.
            var copied: Int32 = 0
            if sqlite3_wal_checkpoint_v2(connection, name, SQLITE_CHECKPOINT_PASSIVE, nil, &copied) == SQLITE_OK {
                lock.withLock { log.copied(copied); inline += 1 }
            }
        case .beside:
            queue.async { self.checkpoint() }
        }
    }

    /// Passive checkpoints on the checkpointer's own connection, again while the writer added pages
    /// during the last one (at most `WALCheckpointRule.catchUps`), so that the log is wholly copied
    /// between two commits and the next commit starts it over. A checkpoint syncs the log before it
    /// copies and the database after, whatever the connection's `synchronous` (here SQLite's default).
    /// When it fails the log is left to the writer, which checkpoints itself at `inline` pages not copied.
    private func checkpoint() {
        var succeeded = false
        defer { lock.withLock { running = false; if succeeded { beside += 1 } else { failed += 1 } } }
        do {
            if connection == nil {
                var configuration = Configuration()
                configuration.label = "greenmine.wal-checkpoint"
                connection = try DatabaseQueue(path: path, configuration: configuration)
            }
            guard let connection else { return }
            for _ in 0..<WALCheckpointRule.catchUps {
                let (length, copied) = try connection.writeWithoutTransaction { try $0.checkpoint(.passive) }
                lock.withLock { log.copied(Int32(clamping: copied)) }
                succeeded = true
                if copied >= length { break }
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            // Another checkpoint (the writer's own) holds the lock: nothing is wrong with the connection.
            succeeded = true
        } catch {
            connection = nil
        }
    }
}

/// When the server's write-ahead log is checkpointed (`WALCheckpointer`), in pages of the log.
struct WALCheckpointRule: Sendable, Equatable {
    /// Pages written since the last checkpoint beside the writer began at which the next one begins.
    var beside: Int32
    /// Pages not yet copied into the database (so perhaps not yet synced) at which the committing writer
    /// checkpoints itself, as SQLite's automatic checkpoint did at the same count before.
    var inline: Int32
    /// The log's length at which the writer checkpoints itself when none runs beside it, so that the log
    /// starts over (checkpoints beside a writer that keeps committing may never quite catch up).
    var longest: Int32

    /// The server's: beside the writer every 4,000 pages (16 MB); the writer itself at 8,000 pages not
    /// copied (its automatic checkpoint was set to 8,000 before, SQLite's default being 1,000) or a log
    /// of 16,000.
    static let server = WALCheckpointRule(beside: 4000, inline: 8000, longest: 16000)

    /// Checkpoints beside the writer in one go at most, while it keeps adding pages.
    static let catchUps = 8

    /// What the rule knows of the log, in pages from its start.
    struct Log: Equatable {
        /// Its length when the last checkpoint beside the writer was started.
        var begun: Int32 = 0
        /// How much of it a checkpoint has copied into the database (synced first); only a checkpoint
        /// that completed moves it.
        var copiedThrough: Int32 = 0

        mutating func copied(_ frames: Int32) { copiedThrough = max(copiedThrough, frames) }
    }

    /// What a commit that left the log `frames` long does.
    enum Step: Equatable { case none, beside, inline }

    /// The step after a commit; `log` is updated for it.
    func step(frames: Int32, log: inout Log, running: Bool) -> Step {
        // A log shorter than what was known of it was wholly copied and started over.
        if frames < max(log.begun, log.copiedThrough) { log = Log() }
        if frames - log.copiedThrough >= inline || (frames >= longest && !running) { return .inline }
        guard frames - log.begun >= beside, !running else { return .none }
        log.begun = frames
        return .beside
    }
}
