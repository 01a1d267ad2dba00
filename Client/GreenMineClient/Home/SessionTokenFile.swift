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
            throw failure(errno, path: temporary)
        }
        let bytes = Array((token + "\n").utf8)
        let written = writeBytes(descriptor, bytes)
        var failed: Int32 = written == bytes.count ? 0 : (written < 0 ? errno : ENOSPC)
        if failed == 0, fsync(descriptor) != 0 { failed = errno }
        close(descriptor)
        if failed == 0, !fchmodPath(temporary) || rename(temporary, url.path) != 0 { failed = errno }
        guard failed == 0 else {
            unlink(temporary)
            throw failure(failed, path: url.path)
        }
    }

    /// Removes the token; no error when there was none.
    public func delete() throws {
        if unlink(url.path) != 0, errno != ENOENT {
            throw failure(errno, path: url.path)
        }
    }

    /// A failed write: a `StorageFailure` (full disk, read-only home) or `HomeError.fileAccess`.
    private func failure(_ value: Int32, path: String) -> any Error {
        StorageFailure(errno: value, folder: url.deletingLastPathComponent().path)
            ?? HomeError.fileAccess(path: path, reason: String(cString: strerror(value)))
    }

    /// Forces mode 0600 whatever the umask did.
    private func fchmodPath(_ path: String) -> Bool {
        chmod(path, 0o600) == 0
    }
}

/// One `write(2)` of `bytes` (outside `SessionTokenFile`, whose `write` hides the system's).
private func writeBytes(_ descriptor: Int32, _ bytes: [UInt8]) -> Int {
    bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
}
