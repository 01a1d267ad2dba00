import Foundation

/// Where blob bytes live: `blobs/<aa>/<sha256>` for complete blobs, `blobs/uploads/<id>.part` for
/// uploads in progress. A blob appears under its hash only by an atomic rename of a verified upload.
public struct BlobDirectory: Sendable {
    /// The blob folder.
    public let root: String

    public init(root: String) {
        self.root = root
    }

    var uploadsPath: String { (root as NSString).appendingPathComponent("uploads") }

    /// The file of an upload in progress.
    func partPath(_ id: UUID) -> String {
        (uploadsPath as NSString).appendingPathComponent(id.uuidString.lowercased() + ".part")
    }

    /// The file of a file being received whole in one request (the console's report upload): no upload
    /// row names it until it is kept, so a crash mid-request leaves it to `removeReceiving` at the next start.
    func receivingPath(_ id: UUID) -> String {
        (uploadsPath as NSString).appendingPathComponent(id.uuidString.lowercased() + ".receiving")
    }

    /// Removes every file left mid-receipt (at start, when no request is receiving one); how many.
    func removeReceiving() -> Int {
        let manager = FileManager.default
        let names = (try? manager.contentsOfDirectory(atPath: uploadsPath)) ?? []
        var removed = 0
        for name in names where name.hasSuffix(".receiving") {
            if (try? manager.removeItem(atPath: (uploadsPath as NSString).appendingPathComponent(name))) != nil {
                removed += 1
            }
        }
        return removed
    }

    /// The file of a complete blob.
    func blobPath(_ sha256: String) -> String {
        ((root as NSString).appendingPathComponent(String(sha256.prefix(2))) as NSString)
            .appendingPathComponent(sha256)
    }

    /// Creates the folders (0700).
    func prepare() throws {
        try FileManager.default.createDirectory(atPath: uploadsPath, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
    }

    /// Moves a verified upload into place under its hash, atomically (rename within one file system).
    func promote(_ id: UUID, sha256: String) throws {
        let target = blobPath(sha256)
        let manager = FileManager.default
        if manager.fileExists(atPath: target) {
            try? manager.removeItem(atPath: partPath(id))
            return
        }
        try manager.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                    withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        guard rename(partPath(id), target) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: target])
        }
    }

    /// Removes an upload's file, if any.
    func removePart(_ id: UUID) {
        try? FileManager.default.removeItem(atPath: partPath(id))
    }
}
