import Dispatch
import Foundation
import GRDB
import GRDBSQLite

/// Checkpoints the server's write-ahead log on a connection and a queue of its own, so that the commit
/// that fills the log does not wait while its pages are copied into the database and both files are
/// synced (with SQLite's automatic checkpoint, one push batch in five took 50–90 ms longer for it;
/// docs/DECISIONS.md, "The push's pages"). The writer still checkpoints itself
/// when the checkpoints beside it fall behind (`WALCheckpointRule`).
final class WALCheckpointer: TransactionObserver, @unchecked Sendable {
    // @unchecked: the only stored property is `progress`, whose state is guarded by its lock.
    private let progress: Progress

    /// Installs a checkpointer on the database's writing connection: its WAL hook replaces SQLite's
    /// automatic checkpoint, and the connection keeps the checkpointer alive. `path` is the database's
    /// file, to which the checkpointer opens a connection of its own when it first checkpoints.
    @discardableResult
    static func install(on db: Database, path: String, rule: WALCheckpointRule = .server) -> WALCheckpointer {
        let checkpointer = WALCheckpointer(progress: Progress(path: path, rule: rule))
        db.add(transactionObserver: checkpointer, extent: .databaseLifetime)
        sqlite3_wal_hook(db.sqliteConnection, { context, connection, name, frames in
            guard let context else { return SQLITE_OK }
            Unmanaged<Progress>.fromOpaque(context).takeUnretainedValue()
                .committed(frames: frames, connection: connection, name: name)
            return SQLITE_OK
        }, Unmanaged.passUnretained(checkpointer.progress).toOpaque())
        return checkpointer
    }

    private init(progress: Progress) {
        self.progress = progress
    }

    // Observes nothing: it is a transaction observer so that the connection keeps it alive.
    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }
    func databaseDidChange(with event: DatabaseEvent) {}
    func databaseDidCommit(_ db: Database) {}
    func databaseDidRollback(_ db: Database) {}

    /// Checkpoints run beside the writer so far, and those the writer ran itself.
    var counts: (beside: Int, inline: Int) { progress.counts }

    /// The log's state and the checkpoints of one database.
    final class Progress: @unchecked Sendable {
        // @unchecked: `synced`, `running` and the counts are touched with `lock` held; `connection` only
        // on `queue`.
        private let lock = NSLock()
        private let path: String
        private let rule: WALCheckpointRule
        private let queue = DispatchQueue(label: "greenmine.wal-checkpoint")
        private var synced: Int32 = 0
        private var running = false
        private var beside = 0
        private var inline = 0
        private var connection: DatabaseQueue?

        init(path: String, rule: WALCheckpointRule) {
            self.path = path
            self.rule = rule
        }

        var counts: (beside: Int, inline: Int) { lock.withLock { (beside, inline) } }

        /// After each commit, on the writer's connection; `frames` is the log's length in pages.
        func committed(frames: Int32, connection: OpaquePointer?, name: UnsafePointer<CChar>?) {
            let step: WALCheckpointRule.Step = lock.withLock {
                let step = rule.step(frames: frames, synced: &synced, running: running)
                if step == .beside { running = true }
                return step
            }
            switch step {
            case .none:
                return
            case .inline:
                // What SQLite's automatic checkpoint does (passive: it waits for no reader). Busy when the
                // checkpoint beside it holds the lock; that one then syncs the log.
                if sqlite3_wal_checkpoint_v2(connection, name, SQLITE_CHECKPOINT_PASSIVE, nil, nil) == SQLITE_OK {
                    lock.withLock { synced = frames; inline += 1 }
                }
            case .beside:
                queue.async { self.checkpoint() }
            }
        }

        /// Passive checkpoints on the checkpointer's own connection, again while the writer added pages
        /// during the last one (at most `WALCheckpointRule.catchUps`), so that the log is wholly copied
        /// between two commits and the next commit starts it over. The connection has SQLite's default
        /// `synchronous = FULL`, so the log and the database are synced as by the writer's own
        /// checkpoint. A failure (the connection cannot be opened, say) leaves the log to the writer.
        private func checkpoint() {
            defer { lock.withLock { running = false; beside += 1 } }
            do {
                if connection == nil {
                    var configuration = Configuration()
                    configuration.label = "greenmine.wal-checkpoint"
                    connection = try DatabaseQueue(path: path, configuration: configuration)
                }
                guard let connection else { return }
                for _ in 0..<WALCheckpointRule.catchUps {
                    let (length, copied) = try connection.writeWithoutTransaction { try $0.checkpoint(.passive) }
                    // The checkpoint synced the log as long as it was when it began.
                    lock.withLock { synced = Int32(clamping: length) }
                    if copied >= length { break }
                }
            } catch {
                connection = nil
            }
        }
    }
}

/// When the server's write-ahead log is checkpointed (`WALCheckpointer`), in pages of the log.
struct WALCheckpointRule: Sendable, Equatable {
    /// Pages written since the last checkpoint began at which one is started beside the writer.
    var beside: Int32
    /// Pages written since the last checkpoint began (not yet synced) at which the committing writer
    /// checkpoints itself, as SQLite's automatic checkpoint did at the same count before.
    var inline: Int32
    /// The log's length at which the writer checkpoints itself when none runs beside it, so that the log
    /// starts over (checkpoints beside a writer that keeps committing may never quite catch up).
    var longest: Int32

    /// The server's: beside the writer every 4,000 pages (16 MB); the writer itself at 8,000 unsynced
    /// pages (its automatic checkpoint was set to 8,000 before, SQLite's default being 1,000) or a log of
    /// 16,000.
    static let server = WALCheckpointRule(beside: 4000, inline: 8000, longest: 16000)

    /// Checkpoints beside the writer in one go at most, while it keeps adding pages.
    static let catchUps = 8

    /// What a commit that left the log `frames` long does.
    enum Step: Equatable { case none, beside, inline }

    /// The step after a commit. `synced` is the log's length when the last checkpoint began; it is reset
    /// when the log has started over, and set when a checkpoint beside the writer is to begin.
    func step(frames: Int32, synced: inout Int32, running: Bool) -> Step {
        // A log shorter than at the last checkpoint was wholly copied and started over.
        if frames < synced { synced = 0 }
        if frames - synced >= inline || (frames >= longest && !running) { return .inline }
        guard frames - synced >= beside, !running else { return .none }
        synced = frames
        return .beside
    }
}
