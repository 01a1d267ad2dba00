import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The local store: one SQLite file in WAL mode; every write is one immediate transaction.
public struct Store: Sendable {
    /// The connection (serialized in this process; SQLite's locks order other processes).
    public let queue: DatabaseQueue
    /// The folder holding the file (named in storage errors).
    public let folder: String
    /// True when opened read-only (a read-only or full home): every write fails with `home_read_only`.
    public let isReadOnly: Bool

    init(queue: DatabaseQueue, folder: String, isReadOnly: Bool = false) {
        self.queue = queue
        self.folder = folder
        self.isReadOnly = isReadOnly
    }

    /// SQLite's page cache per connection, in KiB (filled only as a large sync needs it).
    static let cacheKiB = 16_000

    /// WAL pages between automatic checkpoints (SQLite's default is 1,000, ~4 MB). A first sync of
    /// 100,000 records copied hot index pages into the database every ~4 MB; at 8,000 (the WAL file
    /// grows to ~32 MB between checkpoints) each is copied less often. What a power loss can take does
    /// not grow with it: the store commits with `synchronous = FULL`, so each commit is on disk in the
    /// WAL before the command that made it succeeds (docs/DECISIONS.md, "The client store's commits").
    static let walCheckpointPages = 8_000

    /// Opens (creating when needed) the store at `url`, migrates it, and makes the client id once.
    /// A failure of the disk or of SQLite is thrown as a `StorageFailure`.
    public static func open(at url: URL, makeUUID: @Sendable () -> UUID,
                            limits: StoreLimits = StoreLimits()) throws -> Store {
        let folder = url.deletingLastPathComponent().path
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.busyMode = .timeout(15)
        configuration.foreignKeysEnabled = true
        configuration.prepareDatabase { db in
            // A page of 5,000 pulled records touches most pages of the id index (random UUIDs): with
            // SQLite's default 2 MB cache they were spilled to the WAL and written again within one
            // transaction (issue 15; docs/DECISIONS.md, "The client store's cache").
            try db.execute(sql: "PRAGMA cache_size = -\(Store.cacheKiB)")
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(Store.walCheckpointPages)")
        }
        limits.apply(to: &configuration)
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: url.path, configuration: configuration)
            // After GRDB's WAL setup, which sets NORMAL: every commit is synced to the WAL before the
            // command that made it reports success.
            try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
            // The file is private to the user, whatever the umask (its owner bits are left alone,
            // so a file made read-only on purpose stays read-only).
            StoreFiles.makePrivate(url.path)
            try StoreMigrations.migrator.migrate(queue)
        } catch {
            if let failure = StorageFailure.from(error, folder: folder) { throw failure }
            throw StoreError.cannotOpen(path: url.path, reason: String(describing: error))
        }
        let store = Store(queue: queue, folder: folder)
        if try !store.read({ try SyncState.exists($0) }) {
            try store.write { db in
                try SyncState.createIfMissing(db, clientId: makeUUID())
            }
        }
        return store
    }

    /// Opens an existing store for reading only: no journal-mode change, no migration, no write.
    /// When SQLite cannot make the WAL's `-shm` file (the folder itself is read-only) and no
    /// unsaved WAL content is there, the file is opened as immutable, which needs neither.
    /// Throws `store_needs_upgrade` when the store is not fully migrated.
    public static func openReadOnly(at url: URL) throws -> Store {
        let folder = url.deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw StorageFailure(.unreadable, folder: folder, cause: "no store.sqlite")
        }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(15)
        configuration.foreignKeysEnabled = true
        do {
            return try checkedReadOnly(DatabaseQueue(path: url.path, configuration: configuration), folder: folder)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CANTOPEN && !StoreFiles.hasWALContent(url) {
            do {
                let queue = try DatabaseQueue(path: StoreFiles.immutableURI(url), configuration: configuration)
                return try checkedReadOnly(queue, folder: folder)
            } catch {
                throw StorageFailure.from(error, folder: folder) ?? error
            }
        } catch {
            throw StorageFailure.from(error, folder: folder) ?? error
        }
    }

    /// Reads once (SQLite opens lazily) and refuses a store whose migrations are not all applied, except
    /// those a reader does not need (`StoreMigrations.readableWithout`): a full disk that could not
    /// rebuild the records table in v8 still lets the user read what is there.
    private static func checkedReadOnly(_ queue: DatabaseQueue, folder: String) throws -> Store {
        let complete = try queue.read { db in
            let applied = try StoreMigrations.migrator.appliedIdentifiers(db)
            return Set(StoreMigrations.migrator.migrations).subtracting(applied)
                .isSubset(of: StoreMigrations.readableWithout)
        }
        guard complete else {
            throw StorageFailure(.needsUpgrade, folder: folder)
        }
        return Store(queue: queue, folder: folder, isReadOnly: true)
    }

    /// Runs `body` in one immediate transaction: all of it is written, or nothing. A SQLite
    /// failure is thrown as a `StorageFailure` naming the folder.
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try queue.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                guard let result else { throw StoreError.corrupt(what: "transaction", reason: "no result") }
                return result
            }
        } catch let error as DatabaseError {
            throw StorageFailure(error, folder: folder)
        }
    }

    /// Runs `body` in one read transaction (a consistent snapshot).
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try queue.read(body)
        } catch let error as DatabaseError {
            throw StorageFailure(error, folder: folder)
        }
    }
}

/// Limits put on the store's read-write connections. Production uses none; tests use them to make
/// SQLite itself refuse writes as a full disk (`SQLITE_FULL`) or a read-only home (`SQLITE_READONLY`) would.
public struct StoreLimits: Sendable, Hashable {
    /// `PRAGMA max_page_count`: SQLite refuses to grow the file past it with `SQLITE_FULL`.
    public var maxPageCount: Int?
    /// `PRAGMA query_only`: SQLite refuses every write with `SQLITE_READONLY`.
    public var queryOnly: Bool

    public init(maxPageCount: Int? = nil, queryOnly: Bool = false) {
        self.maxPageCount = maxPageCount
        self.queryOnly = queryOnly
    }

    func apply(to configuration: inout Configuration) {
        guard maxPageCount != nil || queryOnly else { return }
        let limits = self
        configuration.prepareDatabase { db in
            if let pages = limits.maxPageCount {
                _ = try Int.fetchOne(db, sql: "PRAGMA max_page_count = \(pages)")
            }
            if limits.queryOnly {
                try db.execute(sql: "PRAGMA query_only = 1")
            }
        }
    }
}

/// The store's file as the file system sees it.
enum StoreFiles {
    /// Drops group and other permission bits (a new file gets 0600 whatever the umask).
    static func makePrivate(_ path: String) {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & 0o077 != 0 else { return }
        _ = chmod(path, info.st_mode & 0o700)
    }

    /// True when a `-wal` file with content is next to the store (committed data not yet checkpointed).
    static func hasWALContent(_ url: URL) -> Bool {
        let path = url.path + "-wal"
        let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber
        return (size?.int64Value ?? 0) > 0
    }

    /// `file:` URI opening the store immutable (no locks, no `-shm`): only for a folder nobody can write.
    static func immutableURI(_ url: URL) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        let path = url.path.addingPercentEncoding(withAllowedCharacters: allowed) ?? url.path
        return "file:\(path)?immutable=1"
    }

    /// The `errno` of `access(path, W_OK)`, or nil when the path can be written.
    static func writeDenied(_ path: String) -> Int32? {
        access(path, W_OK) == 0 ? nil : errno
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
