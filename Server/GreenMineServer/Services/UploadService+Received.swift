import Crypto
import Foundation
import GreenMineShared
import NIOCore

/// A file received whole in one request (the console's report upload), written as it arrives to a
/// `.receiving` file beside the tus uploads and hashed on the way, until it is kept as a blob or
/// discarded (or, after a crash, removed at the next start).
public final class ReceivingFile: @unchecked Sendable {
    /// The upload id its bytes are kept under (a receiving file of the blob store, then an upload's).
    public let id: UUID
    /// The file name the browser gave (shown only; the type comes from the content).
    public let name: String
    /// The most bytes it may have.
    public let limit: Int64
    private let part: any BlobPartFile
    private var hasher = SHA256()
    /// Bytes received so far.
    public private(set) var size: Int64 = 0
    /// Its first bytes, for `ContentSniffer.detect(head:)`.
    public private(set) var head: [UInt8] = []
    /// Its last bytes, for `ContentSniffer.isComplete(_:tail:)`.
    public private(set) var tail: [UInt8] = []

    init(id: UUID, name: String, limit: Int64, part: any BlobPartFile) {
        self.id = id
        self.name = name
        self.limit = limit
        self.part = part
    }

    /// Appends bytes; refuses (`ReceivingFile.TooLarge`) the first byte past `limit`, writing none of them.
    public func append(_ bytes: ArraySlice<UInt8>) async throws {
        guard size + Int64(bytes.count) <= limit else { throw TooLarge(limit: limit) }
        bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        try await part.append([ByteBuffer(bytes: bytes)])
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
    func finish() async throws -> String {
        try await part.synchronize()
        await part.close()
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// Closes the file (nothing more will be written).
    func close() async {
        await part.close()
    }

    /// The file went past its limit.
    public struct TooLarge: Error {
        public var limit: Int64
    }
}

extension UploadService {
    /// Starts receiving a file of at most `limit` bytes (an upload file, 0600).
    public func receiving(name: String, limit: Int64) async throws -> ReceivingFile {
        let id = environment.newId()
        let part: any BlobPartFile
        do {
            part = try await files.createPart(id, receiving: true)
        } catch {
            throw Self.storageFailed
        }
        return ReceivingFile(id: id, name: String(name.prefix(255)), limit: limit, part: part)
    }

    /// Drops a file being received: nothing of it is left.
    public func discard(_ file: ReceivingFile) async {
        await file.close()
        await files.removePart(file.id)
    }

    /// Removes the files a crash left mid-receipt: those not written for `receivingIdleLimit` (another
    /// instance sharing the blob store may be receiving the others right now).
    public func removeAbandonedReceiving() async -> Int {
        await files.removeAbandonedReceiving(idle: Self.receivingIdleLimit, now: environment.now())
    }

    /// How long a file mid-receipt may go unwritten before it counts as abandoned: well past the two
    /// minutes after which a stalled connection is closed (`ConnectionLimits.stallTimeout`).
    public static let receivingIdleLimit: TimeInterval = 600

    /// Keeps a received file as a blob the way a finished tus upload becomes one: made durable, moved
    /// into place under its SHA-256 atomically, recorded as a complete upload of `user` (who may then
    /// attach it) with the media type its content has.
    public func keep(_ file: ReceivingFile, type: ContentType, user: AuthenticatedUser) async throws -> BlobInfo {
        do {
            let digest = try await stage(file)
            let now = environment.now()
            let upload = UploadRecord(id: file.id, userId: user.info.id, length: file.size, offset: 0, sha256: digest,
                                      filename: file.name, filetype: type.mime, createdAt: now,
                                      expiresAt: now.addingTimeInterval(lifetime))
            try await store.create(upload)
            try await files.promote(file.id, sha256: digest)
            try await store.complete(upload, mime: type.mime, at: now)
            return BlobInfo(sha256: digest, size: file.size, mime: type.mime)
        } catch {
            await discard(file)
            try? await store.remove(file.id)
            throw error
        }
    }

    /// Keeps a received file as a blob that no upload row names (a file the portal publishes, read
    /// through its download): made durable and moved into place under its SHA-256 atomically.
    func keepPublished(_ file: ReceivingFile, type: ContentType) async throws -> BlobInfo {
        do {
            let digest = try await stage(file)
            try await files.promote(file.id, sha256: digest)
            return BlobInfo(sha256: digest, size: file.size, mime: type.mime)
        } catch {
            await discard(file)
            throw error
        }
    }

    /// Makes a received file durable and renames it to its upload's part file; its SHA-256.
    private func stage(_ file: ReceivingFile) async throws -> String {
        let digest = try await file.finish()
        try await files.markReceived(file.id)
        return digest
    }
}
