import Foundation
import GRDB

/// A few read-only connections to the server's SQLite file on which a read runs on the calling thread.
/// GRDB's asynchronous read takes three thread hops (its pool's waiting queue, the reader's queue, back
/// to the task), and under load a no-op pull spent more time in those hand-offs than in SQLite. `read`
/// never waits: when every connection is in use, when one cannot be opened, or when SQLite answers busy,
/// it answers nil and the caller takes GRDB's asynchronous path, so a cooperative thread never waits on
/// anything here. It is for short reads only: the caller keeps long ones on GRDB's reader threads
/// (docs/DECISIONS.md, "Pulls read on the calling thread").
final class CallingThreadReaders: @unchecked Sendable {
    // @unchecked: `idle`, `opened` and `served` are only touched with `lock` held.
    private let lock = NSLock()
    private var idle: [DatabaseQueue] = []
    private var opened = 0
    private var served = 0
    private let path: String
    private let configuration: Configuration
    private let limit: Int

    /// Up to `limit` connections to the pool's file with its configuration, read-only, opened when first
    /// needed; by default one per processor (the cooperative threads that may ask at once).
    convenience init(pool: DatabasePool, limit: Int = max(2, ProcessInfo.processInfo.activeProcessorCount)) {
        self.init(path: pool.path, configuration: pool.configuration, limit: limit)
    }

    init(path: String, configuration: Configuration, limit: Int) {
        var configuration = configuration
        configuration.readonly = true
        // Busy is answered at once (the caller then reads on GRDB's path, which waits for it).
        configuration.busyMode = .immediateError
        configuration.label = "GreenMine.CallingThreadReader"
        self.path = path
        self.configuration = configuration
        self.limit = limit
    }

    /// How many reads answered here (for tests: which pulls take this path).
    var readsServed: Int { lock.withLock { served } }

    /// Runs `body` in a read transaction (one snapshot) on the calling thread; nil when it could not run
    /// here or `body` declined (answered nil: a read it finds too long for this thread). Errors of
    /// `body` itself are thrown.
    func read<T>(_ body: (Database) throws -> T?) throws -> T? {
        guard let connection = take() else { return nil }
        var value: T?
        defer { give(connection, served: value != nil) }
        do {
            value = try connection.inDatabase { db in try Self.inReadTransaction(db, body) }
            return value
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            return nil
        }
    }

    /// `body` in one deferred transaction (one snapshot), begun and ended with statements prepared once
    /// per connection. GRDB's `read` prepares `BEGIN` and `COMMIT` again at every call: under the load
    /// bench that was a tenth of the server's CPU (docs/DECISIONS.md, "A no-op pull reads one row").
    /// The connection is opened read-only, so no `PRAGMA query_only` is needed around it.
    static func inReadTransaction<T>(_ db: Database, _ body: (Database) throws -> T) throws -> T {
        try db.cachedStatement(sql: "BEGIN DEFERRED TRANSACTION").execute()
        do {
            let value = try body(db)
            try db.cachedStatement(sql: "COMMIT TRANSACTION").execute()
            return value
        } catch {
            // A read changes nothing: ending it is all a rollback does (SQLite may have ended it already).
            if db.isInsideTransaction { try? db.cachedStatement(sql: "ROLLBACK TRANSACTION").execute() }
            throw error
        }
    }

    private func take() -> DatabaseQueue? {
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
            return try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            // Out of descriptors, say: this read goes GRDB's way, a later one may open it.
            lock.withLock { opened -= 1 }
            return nil
        }
    }

    private func give(_ connection: DatabaseQueue, served answered: Bool) {
        lock.withLock {
            idle.append(connection)
            if answered { served += 1 }
        }
    }
}
