import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The session token on disk: one line in `session.token`, mode 0600, replaced atomically.
public struct SessionTokenFile: Sendable {
    /// The file.
    public var url: URL

    public init(home: HomeDirectory) {
        self.url = home.tokenURL
    }

    /// The stored token, or nil when there is none.
    public func read() throws -> String? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            let text = try String(contentsOf: url, encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            return text.isEmpty ? nil : text
        } catch {
            throw HomeError.fileAccess(path: url.path, reason: error.localizedDescription)
        }
    }

    /// Stores a token: written to a new 0600 file, flushed, then renamed over the old one.
    public func write(_ token: String) throws {
        let temporary = url.path + ".tmp"
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw HomeError.fileAccess(path: temporary, reason: String(cString: strerror(errno)))
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: false)
        let written = (try? handle.write(contentsOf: Data((token + "\n").utf8))) != nil
        let synced = fsync(descriptor)
        close(descriptor)
        guard written, synced == 0, fchmodPath(temporary), rename(temporary, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw HomeError.fileAccess(path: url.path, reason: reason)
        }
    }

    /// Removes the token; no error when there was none.
    public func delete() throws {
        if unlink(url.path) != 0, errno != ENOENT {
            throw HomeError.fileAccess(path: url.path, reason: String(cString: strerror(errno)))
        }
    }

    /// Forces mode 0600 whatever the umask did.
    private func fchmodPath(_ path: String) -> Bool {
        chmod(path, 0o600) == 0
    }
}
