import Crypto
import Foundation
import GreenMineShared

/// A file received whole in one request (the console's report upload), written as it arrives to a
/// `.receiving` file beside the tus uploads and hashed on the way, until it is kept as a blob or
/// discarded (or, after a crash, removed at the next start).
public final class ReceivingFile: @unchecked Sendable {
    /// The upload id its bytes are kept under (`blobs/uploads/<id>.receiving`, then `<id>.part`).
    public let id: UUID
    /// The file name the browser gave (shown only; the type comes from the content).
    public let name: String
    /// The most bytes it may have.
    public let limit: Int64
    let path: String
    private let handle: FileHandle
    private var hasher = SHA256()
    /// Bytes received so far.
    public private(set) var size: Int64 = 0
    /// Its first bytes, for `ContentSniffer.detect(head:)`.
    public private(set) var head: [UInt8] = []
    /// Its last bytes, for `ContentSniffer.isComplete(_:tail:)`.
    public private(set) var tail: [UInt8] = []

    init(id: UUID, name: String, limit: Int64, path: String, handle: FileHandle) {
        self.id = id
        self.name = name
        self.limit = limit
        self.path = path
        self.handle = handle
    }

    /// Appends bytes; refuses (`ReceivingFile.TooLarge`) the first byte past `limit`, writing none of them.
    public func append(_ bytes: ArraySlice<UInt8>) throws {
        guard size + Int64(bytes.count) <= limit else { throw TooLarge(limit: limit) }
        try bytes.withUnsafeBytes { raw in
            try handle.write(contentsOf: raw)
            hasher.update(bufferPointer: raw)
        }
        size += Int64(bytes.count)
        if head.count < ContentSniffer.headLength {
            head += bytes.prefix(ContentSniffer.headLength - head.count)
        }
        if bytes.count >= ContentSniffer.tailLength {
            tail = Array(bytes.suffix(ContentSniffer.tailLength))
        } else {
            tail = Array((tail + bytes).suffix(ContentSniffer.tailLength))
        }
    }

    /// Makes the bytes durable and returns their SHA-256 (lowercase hex).
    func finish() throws -> String {
        try handle.synchronize()
        try handle.close()
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// Closes the file (nothing more will be written).
    func close() {
        try? handle.close()
    }

    /// The file went past its limit.
    public struct TooLarge: Error {
        public var limit: Int64
    }
}

extension UploadService {
    /// Starts receiving a file of at most `limit` bytes (an upload file, 0600).
    public func receiving(name: String, limit: Int64) throws -> ReceivingFile {
        try files.prepare()
        let id = environment.newId()
        let path = files.receivingPath(id)
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw ServiceError(.unavailable, code: "storage_failed", en: "the server could not create the upload file",
                               zh: "服务器无法创建上传文件")
        }
        return ReceivingFile(id: id, name: String(name.prefix(255)), limit: limit, path: path, handle: handle)
    }

    /// Drops a file being received: nothing of it is left.
    public func discard(_ file: ReceivingFile) {
        file.close()
        try? FileManager.default.removeItem(atPath: files.receivingPath(file.id))
        files.removePart(file.id)
    }

    /// Removes the files a crash left mid-receipt; called at start, when no request is receiving one.
    public func removeAbandonedReceiving() -> Int {
        files.removeReceiving()
    }

    /// Keeps a received file as a blob the way a finished tus upload becomes one: made durable, moved
    /// into place under its SHA-256 atomically, recorded as a complete upload of `user` (who may then
    /// attach it) with the media type its content has.
    public func keep(_ file: ReceivingFile, type: ContentType, user: AuthenticatedUser) async throws -> BlobInfo {
        do {
            let digest = try stage(file)
            let now = environment.now()
            let upload = UploadRecord(id: file.id, userId: user.info.id, length: file.size, offset: 0, sha256: digest,
                                      filename: file.name, filetype: type.mime, createdAt: now,
                                      expiresAt: now.addingTimeInterval(lifetime))
            try await store.create(upload)
            try files.promote(file.id, sha256: digest)
            try await store.complete(upload, mime: type.mime, at: now)
            return BlobInfo(sha256: digest, size: file.size, mime: type.mime)
        } catch {
            discard(file)
            try? await store.remove(file.id)
            throw error
        }
    }

    /// Keeps a received file as a blob that no upload row names (a file the portal publishes, read
    /// through its download): made durable and moved into place under its SHA-256 atomically.
    func keepPublished(_ file: ReceivingFile, type: ContentType) throws -> BlobInfo {
        do {
            let digest = try stage(file)
            try files.promote(file.id, sha256: digest)
            return BlobInfo(sha256: digest, size: file.size, mime: type.mime)
        } catch {
            discard(file)
            throw error
        }
    }

    /// Makes a received file durable and renames it to its upload's part file; its SHA-256.
    private func stage(_ file: ReceivingFile) throws -> String {
        let digest = try file.finish()
        guard rename(files.receivingPath(file.id), files.partPath(file.id)) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: files.partPath(file.id)])
        }
        return digest
    }
}
