import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The client's home: the folder holding the store, the session token and the sync lock.
public struct HomeDirectory: Sendable, Hashable {
    /// The folder itself.
    public var url: URL

    public init(url: URL) {
        self.url = url.standardizedFileURL
    }

    /// `--home` when given, else `$GREENMINE_HOME`, else `$XDG_DATA_HOME/greenmine`, else
    /// `~/.local/share/greenmine` (DESIGN.md §5). Empty values count as unset.
    public static func resolve(option: String?, variables: [String: String]) -> HomeDirectory {
        func given(_ value: String?) -> String? {
            guard let value, !value.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
            return value
        }
        if let path = given(option) ?? given(variables["GREENMINE_HOME"]) {
            return HomeDirectory(url: URL(fileURLWithPath: expandTilde(path, variables: variables)))
        }
        if let xdg = given(variables["XDG_DATA_HOME"]) {
            return HomeDirectory(url: URL(fileURLWithPath: expandTilde(xdg, variables: variables))
                .appendingPathComponent("greenmine"))
        }
        let home = given(variables["HOME"]) ?? FileManager.default.homeDirectoryForCurrentUser.path
        return HomeDirectory(url: URL(fileURLWithPath: home).appendingPathComponent(".local/share/greenmine"))
    }

    /// The SQLite store.
    public var storeURL: URL { url.appendingPathComponent("store.sqlite") }
    /// The session token (mode 0600).
    public var tokenURL: URL { url.appendingPathComponent("session.token") }
    /// The lock file `sync` holds while it runs.
    public var syncLockURL: URL { url.appendingPathComponent("sync.lock") }

    /// Creates the folder (and missing parents) and makes it private to the user: group and other
    /// permission bits are removed (mode 0700 for a new folder). The owner's bits are left alone, so
    /// a home made read-only on purpose stays read-only. A full disk or a read-only file system is
    /// thrown as a `StorageFailure`.
    public func prepare() throws {
        let path = url.path
        let parent = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            if let failure = StorageFailure.from(error, folder: path) { throw failure }
            throw HomeError.cannotCreate(path: parent.path, reason: error.localizedDescription)
        }
        var info = stat()
        // An existing folder is not made again (on a read-only file system mkdir may say EROFS).
        if stat(path, &info) != 0, mkdir(path, 0o700) != 0, errno != EEXIST {
            throw Self.failure(errno, path: path)
        }
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw HomeError.cannotCreate(path: path, reason: "not a directory")
        }
        // On a read-only file system the bits cannot change, and nothing is written there either.
        if info.st_mode & 0o077 != 0, chmod(path, info.st_mode & 0o700) != 0, errno != EROFS {
            throw Self.failure(errno, path: path)
        }
    }

    /// A failed system call on the folder: a `StorageFailure` when `errno` is about the disk or
    /// its permissions, else `HomeError.cannotCreate`.
    private static func failure(_ value: Int32, path: String) -> any Error {
        StorageFailure(errno: value, folder: path)
            ?? HomeError.cannotCreate(path: path, reason: String(cString: strerror(value)))
    }

    /// True when the folder already holds a store.
    public var hasStore: Bool {
        FileManager.default.fileExists(atPath: storeURL.path)
    }

    private static func expandTilde(_ path: String, variables: [String: String]) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        let home = variables["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path
        return home + path.dropFirst()
    }
}

/// The home folder cannot be used.
public enum HomeError: Error, Sendable, Hashable {
    /// Making or securing the folder failed.
    case cannotCreate(path: String, reason: String)
    /// Writing or reading a file in it failed.
    case fileAccess(path: String, reason: String)

    /// The error as the user sees it.
    var clientError: ClientError {
        switch self {
        case .cannotCreate(let path, let reason):
            ClientError(code: "home_unusable", zh: "无法创建或使用数据目录 \(path)：\(reason)",
                        en: "cannot create or use the data folder \(path): \(reason)")
        case .fileAccess(let path, let reason):
            ClientError(code: "home_unusable", zh: "无法读写文件 \(path)：\(reason)",
                        en: "cannot read or write \(path): \(reason)")
        }
    }
}
