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

    /// Creates the folder (and missing parents) and makes it private to the user (mode 0700).
    public func prepare() throws {
        let path = url.path
        let parent = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw HomeError.cannotCreate(path: parent.path, reason: error.localizedDescription)
        }
        if mkdir(path, 0o700) != 0, errno != EEXIST {
            throw HomeError.cannotCreate(path: path, reason: String(cString: strerror(errno)))
        }
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw HomeError.cannotCreate(path: path, reason: "not a directory")
        }
        if info.st_mode & 0o777 != 0o700, chmod(path, 0o700) != 0 {
            throw HomeError.cannotCreate(path: path, reason: String(cString: strerror(errno)))
        }
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
