import Foundation
import GRDB

/// The local store: one SQLite file in WAL mode; every write is one immediate transaction.
public struct Store: Sendable {
    /// The connection (serialized in this process; SQLite's locks order other processes).
    public let queue: DatabaseQueue

    /// Opens (creating when needed) the store at `url`, migrates it, and makes the client id once.
    public static func open(at url: URL, makeUUID: @Sendable () -> UUID) throws -> Store {
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.busyMode = .timeout(15)
        configuration.foreignKeysEnabled = true
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: url.path, configuration: configuration)
            // The folder is already 0700; the file is private too, whatever the umask.
            try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
            try StoreMigrations.migrator.migrate(queue)
        } catch {
            throw StoreError.cannotOpen(path: url.path, reason: String(describing: error))
        }
        let store = Store(queue: queue)
        if try !store.read({ try SyncState.exists($0) }) {
            try store.write { db in
                try SyncState.createIfMissing(db, clientId: makeUUID())
            }
        }
        return store
    }

    /// Runs `body` in one immediate transaction: all of it is written, or nothing.
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        try queue.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(db)
                return .commit
            }
            guard let result else { throw StoreError.corrupt(what: "transaction", reason: "no result") }
            return result
        }
    }

    /// Runs `body` in one read transaction (a consistent snapshot).
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        try queue.read(body)
    }
}

/// The store cannot be used, or holds something it cannot read.
public enum StoreError: Error, Sendable, Hashable {
    /// Opening or migrating the file failed.
    case cannotOpen(path: String, reason: String)
    /// A stored value cannot be decoded.
    case corrupt(what: String, reason: String)

    /// The error as the user sees it.
    var clientError: ClientError {
        switch self {
        case .cannotOpen(let path, let reason):
            ClientError(code: "store_unusable", zh: "无法打开本地数据库 \(path)：\(reason)",
                        en: "cannot open the local store \(path): \(reason)")
        case .corrupt(let what, let reason):
            ClientError(code: "store_corrupt", zh: "本地数据库中的\(what)无法读取：\(reason)",
                        en: "the local store's \(what) cannot be read: \(reason)")
        }
    }
}
