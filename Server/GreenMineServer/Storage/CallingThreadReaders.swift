import Foundation
import GRDB

/// A few read-only connections to the server's SQLite file on which a short read runs on the calling
/// thread. GRDB's asynchronous read takes three thread hops (its pool's waiting queue, the reader's
/// queue, back to the task), and under load a no-op pull spent more time in those hand-offs than in
/// SQLite. `read` never waits: when every connection is in use it answers nil and the caller takes
/// GRDB's asynchronous path, so a blocked cooperative thread can never hold up a reader it needs
/// (docs/DECISIONS.md, "Pulls read on the calling thread").
final class CallingThreadReaders: @unchecked Sendable {
    // @unchecked: `idle` and `opened` are only touched with `lock` held.
    private let lock = NSLock()
    private var idle: [DatabaseQueue] = []
    private var opened = 0
    private let path: String
    private let limit: Int

    /// Up to `limit` connections to the database at `path`, opened when first needed.
    init(path: String, limit: Int = 4) {
        self.path = path
        self.limit = limit
    }

    /// Runs `body` in a read transaction (one snapshot) on the calling thread; nil when no connection
    /// is free and none may be opened.
    func read<T>(_ body: (Database) throws -> T) throws -> T? {
        guard let connection = try take() else { return nil }
        defer { give(connection) }
        return try connection.read(body)
    }

    private func take() throws -> DatabaseQueue? {
        lock.lock()
        if let connection = idle.popLast() {
            lock.unlock()
            return connection
        }
        guard opened < limit else {
            lock.unlock()
            return nil
        }
        opened += 1
        lock.unlock()
        do {
            var configuration = Configuration()
            configuration.readonly = true
            configuration.busyMode = .timeout(10)
            configuration.label = "GreenMine.CallingThreadReader"
            return try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            lock.withLock { opened -= 1 }
            throw error
        }
    }

    private func give(_ connection: DatabaseQueue) {
        lock.withLock { idle.append(connection) }
    }
}
