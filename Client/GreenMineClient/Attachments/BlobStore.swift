import Foundation
import GreenMineShared
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The home's content-addressed copies of attached files (DESIGN.md §5): `blobs/aa/<sha256>`, each
/// written under `blobs/tmp/`, synced and renamed into place, so a file is either whole or absent.
/// Paths come from the SHA-256 only; a file's name as the user gave it is never part of a path.
public struct BlobStore: Sendable, Hashable {
    /// The `blobs` folder.
    public var root: URL

    public init(home: HomeDirectory) {
        root = home.url.appendingPathComponent("blobs")
    }

    /// The home folder (named in storage errors).
    var homeFolder: String { root.deletingLastPathComponent().path }

    /// Where the blob with this hash lives; nil for anything but 64 lowercase hex characters.
    func url(for sha256: String) -> URL? {
        guard HexDigest.isSHA256(sha256) else { return nil }
        return root.appendingPathComponent(String(sha256.prefix(2))).appendingPathComponent(sha256)
    }

    /// The folder copies are written in before they are renamed into place.
    var temporaryFolder: URL { root.appendingPathComponent("tmp") }

    /// True when the blob's file is in place with the expected size.
    func contains(_ sha256: String, size: Int64) -> Bool {
        guard let path = url(for: sha256)?.path,
              let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let actual = (attributes[.size] as? NSNumber)?.int64Value else { return false }
        return actual == size
    }

    /// Makes `blobs/` and `blobs/tmp/` (private to the user) and returns a fresh temporary file URL.
    func newTemporaryURL() throws -> URL {
        for folder in [root, temporaryFolder] {
            try makeFolder(folder)
        }
        return temporaryFolder.appendingPathComponent(UUID().wireString + ".part")
    }

    /// Moves a synced temporary copy into place as the blob `sha256` and syncs the folder. When the
    /// blob is already there the copy is removed. Returns true when the file was newly placed.
    @discardableResult
    func promote(_ temporary: URL, as sha256: String) throws -> Bool {
        guard let target = url(for: sha256) else {
            throw BlobStoreError.badHash(sha256)
        }
        let folder = target.deletingLastPathComponent()
        try makeFolder(folder)
        if FileManager.default.fileExists(atPath: target.path) {
            try? FileManager.default.removeItem(at: temporary)
            return false
        }
        guard rename(temporary.path, target.path) == 0 else {
            throw FileIngest.writeFailure(errno, path: target.path, folder: homeFolder)
        }
        Self.syncFolder(folder)
        return true
    }

    /// Removes a blob's file (damaged, or placed by a command that then failed).
    func remove(_ sha256: String) {
        guard let target = url(for: sha256) else { return }
        try? FileManager.default.removeItem(at: target)
    }

    /// Removes temporary copies left by commands that were killed, when older than `age` seconds.
    func sweepTemporaries(olderThan age: TimeInterval = 3600) {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: temporaryFolder.path) else { return }
        let limit = Date().addingTimeInterval(-age)
        for name in names where name.hasSuffix(".part") {
            let path = temporaryFolder.appendingPathComponent(name).path
            if let modified = (try? manager.attributesOfItem(atPath: path))?[.modificationDate] as? Date,
               modified < limit {
                try? manager.removeItem(atPath: path)
            }
        }
    }

    /// Makes a folder with mode 0700 when it is missing.
    private func makeFolder(_ url: URL) throws {
        if mkdir(url.path, 0o700) != 0, errno != EEXIST {
            throw FileIngest.writeFailure(errno, path: url.path, folder: homeFolder)
        }
    }

    /// fsync on a folder, so a rename in it survives a power cut.
    static func syncFolder(_ url: URL) {
        let descriptor = open(url.path, O_RDONLY)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }
}

/// The blob store cannot be used.
enum BlobStoreError: Error, Sendable, Hashable {
    /// A name that is not a SHA-256 was about to become a path.
    case badHash(String)
    /// Reading or writing a file failed.
    case io(path: String, reason: String)

    /// The error as the user sees it.
    var clientError: ClientError {
        switch self {
        case .badHash(let text):
            ClientError(code: "bad_sha256", zh: "“\(text)”不是有效的 SHA-256", en: "'\(text)' is not a SHA-256")
        case .io(let path, let reason):
            ClientError(code: "blob_store_unusable", zh: "无法读写附件副本 \(path)：\(reason)",
                        en: "cannot read or write the attachment copy \(path): \(reason)")
        }
    }
}
