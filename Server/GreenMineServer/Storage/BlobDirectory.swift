import Foundation
import GreenMineShared
import CGreenMineIO
import NIOCore

/// `BlobStore` in a folder (the embedded default, or one directory every instance mounts):
/// `blobs/<aa>/<sha256>` for complete blobs, `blobs/uploads/<id>.part` for uploads in progress,
/// `<id>.receiving` for console uploads mid-request. A blob appears under its hash only by an atomic
/// rename of a verified upload, so instances sharing the folder never see half a blob.
public struct BlobDirectory: BlobStore {
    /// The blob folder.
    public let root: String

    public init(root: String) {
        self.root = root
    }

    /// The blob folder inside a data directory (`DIR/blobs`).
    public init(dataDirectory: URL) {
        self.init(root: dataDirectory.appendingPathComponent("blobs").path)
    }

    var uploadsPath: String { (root as NSString).appendingPathComponent("uploads") }

    /// The file of an upload in progress.
    func partPath(_ id: UUID) -> String {
        (uploadsPath as NSString).appendingPathComponent(id.wireString + ".part")
    }

    /// The file of a file being received whole in one request.
    func receivingPath(_ id: UUID) -> String {
        (uploadsPath as NSString).appendingPathComponent(id.wireString + ".receiving")
    }

    /// The file of a complete blob.
    public func blobPath(_ sha256: String) -> String {
        let hash = sha256.lowercased()
        return ((root as NSString).appendingPathComponent(String(hash.prefix(2))) as NSString)
            .appendingPathComponent(hash)
    }

    public func createPart(_ id: UUID, receiving: Bool) async throws -> any BlobPartFile {
        let path = receiving ? receivingPath(id) : partPath(id)
        let uploads = uploadsPath
        return try await BlockingIO.run {
            try FileManager.default.createDirectory(atPath: uploads, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
                  let handle = FileHandle(forUpdatingAtPath: path) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
            }
            return FilePart(handle: handle)
        }
    }

    public func openPart(_ id: UUID) async throws -> (any BlobPartFile)? {
        let path = partPath(id)
        return try await BlockingIO.run { FileHandle(forUpdatingAtPath: path).map(FilePart.init(handle:)) }
    }

    public func markReceived(_ id: UUID) async throws {
        let from = receivingPath(id)
        let to = partPath(id)
        try await BlockingIO.run {
            guard rename(from, to) == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: to]) }
        }
    }

    public func promote(_ id: UUID, sha256: String) async throws {
        let target = blobPath(sha256)
        let part = partPath(id)
        try await BlockingIO.run {
            let manager = FileManager.default
            if manager.fileExists(atPath: target) {
                try? manager.removeItem(atPath: part)
                return
            }
            try manager.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                        withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            guard rename(part, target) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: target])
            }
        }
    }

    public func removePart(_ id: UUID) async {
        let paths = [partPath(id), receivingPath(id)]
        _ = try? await BlockingIO.run {
            for path in paths { try? FileManager.default.removeItem(atPath: path) }
        }
    }

    public func removeAbandonedReceiving(idle: TimeInterval, now: Date) async -> Int {
        let uploads = uploadsPath
        let before = now.addingTimeInterval(-idle)
        return (try? await BlockingIO.run {
            let manager = FileManager.default
            var removed = 0
            for name in (try? manager.contentsOfDirectory(atPath: uploads)) ?? [] where name.hasSuffix(".receiving") {
                let path = (uploads as NSString).appendingPathComponent(name)
                guard let written = (try? manager.attributesOfItem(atPath: path))?[.modificationDate] as? Date,
                      written < before else { continue }
                if (try? manager.removeItem(atPath: path)) != nil { removed += 1 }
            }
            return removed
        }) ?? 0
    }

    public func openBlob(_ sha256: String) async throws -> (any BlobReadFile)? {
        let path = blobPath(sha256)
        return try await BlockingIO.run { FileHandle(forReadingAtPath: path).map(FilePart.init(handle:)) }
    }
}

/// An open file of the blob folder; every call runs on `BlockingIO`.
final class FilePart: BlobPartFile, BlobReadFile, @unchecked Sendable {
    // @unchecked: one request uses it at a time (an upload is claimed by one PATCH; a download reads
    // its own handle in order), and every call awaits the one before.
    private let handle: FileHandle

    init(handle: FileHandle) {
        self.handle = handle
    }

    func truncate(to length: Int64) async throws {
        try await BlockingIO.run { [handle] in
            try handle.truncate(atOffset: UInt64(length))
            try handle.seek(toOffset: UInt64(length))
        }
    }

    func append(_ buffers: [ByteBuffer]) async throws {
        let count = buffers.reduce(0) { $0 + $1.readableBytes }
        guard count > 0 else { return }
        try await BlockingIO.run { [handle] in
            let start = count >= Self.writebackBatch ? try? handle.offset() : nil
            for buffer in buffers {
                try buffer.withUnsafeReadableBytes { try handle.write(contentsOf: $0) }
            }
            if let start { Self.startWriteback(handle, from: start, count: count) }
        }
    }

    /// The least an append must write to start its writeback at once: an upload's batches
    /// (`UploadService.writeBatch`, 256 KiB) do; a console form's small pieces are left to the fsync.
    static let writebackBatch = 256 * 1024

    /// Asks the kernel to start writing a range to disk now, without waiting (`sync_file_range` with
    /// `SYNC_FILE_RANGE_WRITE`), so that the disk writes while more bytes arrive and `synchronize`'s
    /// fsync at the end of a PATCH finds little left to flush (issue 15: an 8 MiB chunk's fsync took
    /// 10–25 ms here, once per chunk). Durability is unchanged: nothing is acknowledged before fsync.
    /// A failure is ignored (as is one to read the offset): the fsync then does all the work, as before.
    private static func startWriteback(_ handle: FileHandle, from start: UInt64, count: Int) {
        _ = greenmine_start_writeback(handle.fileDescriptor, Int64(start), Int64(count))
    }

    func synchronize() async throws {
        try await BlockingIO.run { [handle] in try handle.synchronize() }
    }

    func read(from offset: Int64, count: Int) async throws -> ByteBuffer {
        try await BlockingIO.run { [handle] in
            try handle.seek(toOffset: UInt64(offset))
            return ByteBuffer(bytes: try handle.read(upToCount: count) ?? Data())
        }
    }

    func close() async {
        _ = try? await BlockingIO.run { [handle] in try handle.close() }
    }
}
