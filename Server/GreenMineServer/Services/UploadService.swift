import Crypto
import Foundation
import GreenMineShared
import NIOCore

/// A chunk checksum from `Upload-Checksum` (tus checksum extension).
public struct UploadChecksum: Sendable {
    /// `sha1` or `sha256`.
    public enum Algorithm: String, Sendable, CaseIterable {
        case sha1
        case sha256
    }

    public var algorithm: Algorithm
    public var digest: [UInt8]

    /// Parses `"<algorithm> <base64 digest>"`; nil when malformed, `unsupported` for other algorithms.
    public static func parse(_ header: String) throws -> UploadChecksum {
        let parts = header.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, let digest = Data(base64Encoded: String(parts[1])) else {
            throw ServiceError(.badRequest, code: "checksum_malformed",
                               en: "Upload-Checksum must be '<algorithm> <base64 digest>'",
                               zh: "Upload-Checksum 格式应为“算法 base64摘要”")
        }
        guard let algorithm = Algorithm(rawValue: parts[0].lowercased()) else {
            throw ServiceError(.badRequest, code: "checksum_algorithm",
                               en: "unsupported checksum algorithm \(parts[0]); use sha1 or sha256",
                               zh: "不支持的校验算法 \(parts[0])，请使用 sha1 或 sha256")
        }
        return UploadChecksum(algorithm: algorithm, digest: [UInt8](digest))
    }
}

/// What a PATCH achieved: the new offset, and the blob's SHA-256 once the upload is complete.
public struct AppendResult: Sendable {
    public var offset: Int64
    public var completedSHA256: String?
    /// When the upload expires now (tus expiration: answered as `Upload-Expires` on every PATCH).
    public var expiresAt: Date?
}

/// Resumable uploads (tus 1.0.0 core, creation, expiration, termination, checksum): each chunk made
/// durable before it is acknowledged, the whole SHA-256 computed as bytes arrive and checked at the
/// last byte, the blob moved into place atomically. Never holds a whole file in memory.
public struct UploadService: Sendable {
    let store: any UploadStore
    let files: any BlobStore
    let environment: ServerEnvironment
    let hashes = UploadHashes()
    /// How long an idle upload is kept.
    public var lifetime: TimeInterval = 24 * 3600
    /// Unfinished uploads a user may have at once.
    public var maxActivePerUser = 20
    /// PATCH requests a user may have in flight at once.
    public var maxInFlightPerUser = 4
    /// How long an upload's write claim holds without a heartbeat, and how often a running PATCH renews
    /// it: a claim whose instance died lapses within the lease. Short, because a claim outlives a killed
    /// instance (or a restarted one: it cannot tell its old claims from another's), and meanwhile the
    /// client's PATCHes are refused.
    public var writeClaimLease: TimeInterval = 8
    public var writeClaimHeartbeat: Duration = .seconds(2)

    public init(store: any UploadStore, files: any BlobStore, environment: ServerEnvironment) {
        self.store = store
        self.files = files
        self.environment = environment
    }

    /// Starts an upload of `length` bytes. Metadata: `filename`, `filetype`, `sha256` (hex, optional).
    public func create(user: AuthenticatedUser, length: Int64, metadata: [String: String]) async throws -> UploadRecord {
        guard length > 0 else {
            throw ServiceError(.badRequest, code: "upload_empty", en: "an empty file cannot be uploaded",
                               zh: "不能上传空文件")
        }
        guard length <= AttachmentRules.maxBytes else {
            throw ServiceError(.tooLarge, code: "upload_too_large",
                               en: "the file has \(length) bytes; no attachment may exceed \(AttachmentRules.maxBytes) bytes (100 MB)",
                               zh: "文件大小 \(length) 字节，超过附件上限 \(AttachmentRules.maxBytes) 字节（100 MB）")
        }
        let declared = (metadata["sha256"] ?? "").lowercased()
        guard declared.isEmpty || (declared.count == 64 && declared.allSatisfy(\.isHexDigit)) else {
            throw ServiceError(.badRequest, code: "bad_sha256", en: "metadata sha256 must be 64 hexadecimal characters",
                               zh: "sha256 须为 64 位十六进制字符")
        }
        let now = environment.now()
        guard try await store.activeCount(userId: user.info.id, now: now) < maxActivePerUser else {
            throw ServiceError(.tooManyRequests(retryAfter: 60), code: "too_many_uploads",
                               en: "you have \(maxActivePerUser) unfinished uploads; finish or cancel some first",
                               zh: "未完成的上传已达 \(maxActivePerUser) 个，请先完成或取消")
        }
        let upload = UploadRecord(id: environment.newId(), userId: user.info.id, length: length, offset: 0,
                                  sha256: declared, filename: String((metadata["filename"] ?? "").prefix(255)),
                                  filetype: String((metadata["filetype"] ?? "").prefix(100)), createdAt: now,
                                  expiresAt: now.addingTimeInterval(lifetime))
        do {
            try await files.createPart(upload.id, receiving: false).close()
        } catch {
            throw Self.storageFailed
        }
        try await store.create(upload)
        return upload
    }

    /// An upload of this user that has not expired.
    public func status(_ id: UUID, user: AuthenticatedUser) async throws -> UploadRecord {
        guard let upload = try await store.upload(id, userId: user.info.id) else { throw Self.notFound }
        if upload.expiresAt <= environment.now() {
            try await discard(upload)
            throw ServiceError(.gone, code: "upload_expired", en: "this upload expired; start it again",
                               zh: "该上传已过期，请重新上传")
        }
        return upload
    }

    /// Appends the body at `offset`. A cut connection keeps what arrived unless a checksum was given,
    /// in which case the partial chunk is dropped; a failed checksum drops the chunk (460). A complete
    /// upload appends nothing: `offset_mismatch` (409).
    public func append<Body: AsyncSequence>(_ id: UUID, user: AuthenticatedUser, offset: Int64,
                                            checksum: UploadChecksum?, body: Body) async throws -> AppendResult
        where Body.Element == ByteBuffer {
        switch await hashes.claim(id, user: user.info.id, limit: maxInFlightPerUser) {
        case .busy:
            throw Self.busy
        case .tooMany:
            throw ServiceError(.tooManyRequests(retryAfter: 5), code: "too_many_uploads",
                               en: "too many uploads in progress at once", zh: "同时进行的上传过多")
        case .claimed(let saved):
            var kept = saved
            let claim: WriteClaim
            do {
                claim = try await claimWrite(id, user: user)
            } catch {
                await hashes.release(id, user: user.info.id, hasher: kept)
                throw error
            }
            do {
                let result = try await appendClaimed(id, user: user, offset: offset, checksum: checksum, body: body,
                                                     claim: claim, hasher: &kept)
                await claim.release()
                await hashes.release(id, user: user.info.id, hasher: result.completedSHA256 == nil ? kept : nil)
                if result.completedSHA256 != nil { await hashes.forget(id) }
                return result
            } catch is ClaimLost {
                // Another PATCH may be writing now: this one touched nothing since, and says busy.
                await claim.release()
                await hashes.release(id, user: user.info.id, hasher: nil)
                throw Self.busy
            } catch {
                await claim.release()
                await hashes.release(id, user: user.info.id, hasher: kept)
                throw error
            }
        }
    }

    /// The store's write claim on an upload (`UploadStore.claimWrite`), renewed while held.
    struct WriteClaim: Sendable {
        var release: @Sendable () async -> Void
        /// Throws `ClaimLost` once the claim may have passed to another PATCH: a renewal found it taken,
        /// or none succeeded for a whole lease (the store unreachable, this process stalled).
        var check: @Sendable () throws -> Void
    }

    /// The write claim went to another PATCH while this one ran: it must not touch the file again.
    struct ClaimLost: Error {}

    /// The part file as a PATCH holding a claim writes it: every change to the file (truncate, append,
    /// fsync) first makes sure the claim is still this PATCH's (`ClaimLost` otherwise).
    struct ClaimedPartFile: BlobPartFile {
        let part: any BlobPartFile
        let claim: WriteClaim

        func truncate(to length: Int64) async throws {
            try claim.check()
            try await part.truncate(to: length)
        }

        func append(_ buffers: [ByteBuffer]) async throws {
            try claim.check()
            try await part.append(buffers)
        }

        func synchronize() async throws {
            try claim.check()
            try await part.synchronize()
        }

        func read(from offset: Int64, count: Int) async throws -> ByteBuffer {
            try await part.read(from: offset, count: count)
        }

        func close() async {
            await part.close()
        }
    }

    /// When the claim was last known held, and whether a renewal found it taken.
    private final class ClaimState: @unchecked Sendable {
        private let lock = NSLock()
        private var confirmed = ContinuousClock.now
        private var taken = false

        func renewed(_ held: Bool) {
            lock.withLock {
                if held { confirmed = .now } else { taken = true }
            }
        }

        func lost(lease: Duration) -> Bool {
            lock.withLock { taken || ContinuousClock.now - confirmed >= lease }
        }
    }

    /// Takes the upload's write claim in the store every instance shares (a PATCH on another instance
    /// that still runs holds it: `upload_busy`), with a heartbeat that renews it until released. An
    /// upload that is gone or expired says so instead (404, 410).
    private func claimWrite(_ id: UUID, user: AuthenticatedUser) async throws -> WriteClaim {
        let holder = environment.newId().storedString
        let store = self.store
        let environment = self.environment
        let lease = writeClaimLease
        let heartbeatEvery = writeClaimHeartbeat
        guard try await store.claimWrite(id, holder: holder, now: environment.now(),
                                         until: environment.now().addingTimeInterval(lease)) else {
            _ = try await status(id, user: user)
            throw Self.busy
        }
        let state = ClaimState()
        let heartbeat = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: heartbeatEvery)
                if Task.isCancelled { break }
                if let held = try? await store.renewWrite(id, holder: holder,
                                                          until: environment.now().addingTimeInterval(lease)) {
                    state.renewed(held)
                }
            }
        }
        return WriteClaim(release: {
            heartbeat.cancel()
            // Apart from the request's task, so that a PATCH cancelled because its peer hung up still
            // gives the claim back (else the next one waits out the lease).
            await Task { try? await store.releaseWrite(id, holder: holder) }.value
        }, check: {
            if state.lost(lease: .milliseconds(Int64(lease * 1000))) { throw ClaimLost() }
        })
    }

    static let busy = ServiceError(.conflict, code: "upload_busy", en: "another request is writing to this upload",
                                   zh: "该上传正在被另一个请求写入")

    private func appendClaimed<Body: AsyncSequence>(
        _ id: UUID, user: AuthenticatedUser, offset: Int64, checksum: UploadChecksum?, body: Body,
        claim: WriteClaim, hasher: inout SavedHash?
    ) async throws -> AppendResult where Body.Element == ByteBuffer {
        let upload = try await status(id, user: user)
        // A complete upload takes no more bytes; the 409 carries its offset (= length) and SHA-256.
        guard !upload.isComplete, offset == upload.offset else {
            throw ServiceError(.conflict, APIErrorDetail(
                code: "offset_mismatch", message: "Upload-Offset \(offset) does not match the server's \(upload.offset)",
                messageZh: "Upload-Offset \(offset) 与服务器记录的 \(upload.offset) 不一致"))
        }
        guard let opened = try await files.openPart(id) else {
            try await discard(upload)
            throw Self.notFound
        }
        let part = ClaimedPartFile(part: opened, claim: claim)
        do {
            let result = try await write(body, to: part, of: upload, checksum: checksum, hasher: &hasher)
            await part.close()
            return result
        } catch {
            await part.close()
            throw error
        }
    }

    /// The bytes of one PATCH, written in batches of `writeBatch` bytes off the cooperative pool and
    /// hashed as they pass; made durable before the new offset is stored.
    private func write<Body: AsyncSequence>(
        _ body: Body, to part: any BlobPartFile, of stored: UploadRecord, checksum: UploadChecksum?,
        hasher: inout SavedHash?
    ) async throws -> AppendResult where Body.Element == ByteBuffer {
        var upload = stored
        // Bytes past the acknowledged offset were never acknowledged: drop them.
        try await part.truncate(to: upload.offset)
        var whole: SHA256
        if let hasher, hasher.offset == upload.offset {
            whole = hasher.sha256
        } else {
            whole = try await rehash(part, upTo: upload.offset)
        }
        var chunk256 = checksum?.algorithm == .sha256 ? SHA256() : nil
        var chunk1 = checksum?.algorithm == .sha1 ? Insecure.SHA1() : nil
        var written: Int64 = 0
        var pending: [ByteBuffer] = []
        var pendingBytes = 0
        do {
            for try await buffer in body {
                let count = Int64(buffer.readableBytes)
                guard upload.offset + written + count <= upload.length else {
                    throw ServiceError(.tooLarge, code: "upload_overflow",
                                       en: "the body goes past Upload-Length \(upload.length)",
                                       zh: "上传内容超过声明的长度 \(upload.length)")
                }
                buffer.withUnsafeReadableBytes { bytes in
                    whole.update(bufferPointer: bytes)
                    chunk256?.update(bufferPointer: bytes)
                    chunk1?.update(bufferPointer: bytes)
                }
                pending.append(buffer)
                pendingBytes += buffer.readableBytes
                written += count
                if pendingBytes >= Self.writeBatch {
                    try await part.append(pending)
                    pending.removeAll(keepingCapacity: true)
                    pendingBytes = 0
                }
            }
            try await part.append(pending)
        } catch is ClaimLost {
            throw ClaimLost()
        } catch {
            if checksum == nil, !(error is ServiceError) {
                // No checksum to verify: keep what arrived, durably (fsync, then the offset), so the
                // client resends only the rest. The hasher moves on only once the offset is stored,
                // and the store write runs apart from this task, so that a handler cancelled because
                // its peer hung up still records what it made durable.
                try await part.append(pending)
                try await part.synchronize()
                upload.offset += written
                try await storeOffset(upload.id, upload.offset)
                hasher = SavedHash(sha256: whole, offset: upload.offset)
            } else {
                try await part.truncate(to: upload.offset)
            }
            throw error
        }
        if let checksum {
            let digest = chunk256.map { Array($0.finalize()) } ?? chunk1.map { Array($0.finalize()) } ?? []
            guard digest == checksum.digest else {
                try await part.truncate(to: upload.offset)
                throw ServiceError(.checksumMismatch, code: "checksum_mismatch",
                                   en: "the chunk does not match its Upload-Checksum; it was dropped, resend it",
                                   zh: "数据块校验失败，已丢弃，请重新发送")
            }
        }
        try await part.synchronize()
        upload.offset += written
        guard upload.offset == upload.length else {
            let expires = try await storeOffset(upload.id, upload.offset)
            hasher = SavedHash(sha256: whole, offset: upload.offset)
            return AppendResult(offset: upload.offset, completedSHA256: nil, expiresAt: expires)
        }
        hasher = SavedHash(sha256: whole, offset: upload.offset)
        return try await finish(upload, digest: whole.finalize().map { String(format: "%02x", $0) }.joined(),
                                part: part)
    }

    /// Stores the offset of bytes already made durable. The write runs apart from the calling task, so
    /// that a handler cancelled because its peer hung up still records what it kept.
    @discardableResult
    private func storeOffset(_ id: UUID, _ offset: Int64) async throws -> Date {
        let store = store
        let expires = environment.now().addingTimeInterval(lifetime)
        try await Task { try await store.setOffset(id, offset: offset, expiresAt: expires) }.value
        return expires
    }

    /// The last byte arrived: check the hash, the content, and move the blob into place.
    private func finish(_ upload: UploadRecord, digest: String, part: any BlobPartFile) async throws -> AppendResult {
        if !upload.sha256.isEmpty, digest != upload.sha256 {
            try await discard(upload)
            throw ServiceError(.checksumMismatch, code: "hash_mismatch",
                               en: "the file's SHA-256 is \(digest), not the declared \(upload.sha256); nothing was kept",
                               zh: "文件的 SHA-256 与声明不符，上传已作废")
        }
        let head = [UInt8](try await part.read(from: 0, count: ContentSniffer.headLength).readableBytesView)
        let tailStart = max(0, upload.length - Int64(ContentSniffer.tailLength))
        let tail = [UInt8](try await part.read(from: tailStart, count: ContentSniffer.tailLength).readableBytesView)
        let type = ContentSniffer.detect(head: head)
        if let type, !ContentSniffer.isComplete(type, tail: tail) {
            try await discard(upload)
            throw ServiceError(.unprocessable, code: "attachment_truncated",
                               en: "the file looks like a \(type.formatName) but is cut short; nothing was kept",
                               zh: "文件内容不完整（\(type.formatName) 被截断），上传已作废")
        }
        var stored = upload
        stored.sha256 = digest
        // Kept answerable (HEAD: offset = length, the SHA-256) for another lifetime, then expired.
        stored.expiresAt = environment.now().addingTimeInterval(lifetime)
        try await files.promote(upload.id, sha256: digest)
        try await store.complete(stored, mime: type?.mime ?? "application/octet-stream", at: environment.now())
        return AppendResult(offset: upload.length, completedSHA256: digest, expiresAt: stored.expiresAt)
    }

    /// Ends an upload and removes its bytes (tus termination); of a complete upload only the row is
    /// forgotten, never the blob.
    public func terminate(_ id: UUID, user: AuthenticatedUser) async throws {
        guard let upload = try await store.upload(id, userId: user.info.id) else { throw Self.notFound }
        try await discard(upload)
    }

    /// Removes expired uploads; returns how many.
    public func removeExpired() async throws -> Int {
        let expired = try await store.expired(now: environment.now())
        for upload in expired { try await discard(upload) }
        return expired.count
    }

    /// A blob the user may read.
    public func readableBlob(_ sha256: String, user: AuthenticatedUser) async throws -> BlobInfo? {
        let hash = sha256.lowercased()
        guard hash.count == 64, hash.allSatisfy(\.isHexDigit) else { return nil }
        return try await store.readableBlob(hash, user: user)
    }

    /// A complete blob's bytes, open for reading; nil when its file is missing from the blob store.
    public func openBlob(_ sha256: String) async throws -> (any BlobReadFile)? {
        try await files.openBlob(sha256.lowercased())
    }

    private func discard(_ upload: UploadRecord) async throws {
        await files.removePart(upload.id)
        try await store.remove(upload.id)
        await hashes.forget(upload.id)
    }

    /// The hash of the bytes already kept (after a restart, or when another instance appended since this
    /// one saved its running hash).
    private func rehash(_ part: any BlobPartFile, upTo length: Int64) async throws -> SHA256 {
        var hasher = SHA256()
        var done: Int64 = 0
        while done < length {
            let buffer = try await part.read(from: done, count: Int(min(length - done, 1 << 20)))
            guard buffer.readableBytes > 0 else { break }
            buffer.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
            done += Int64(buffer.readableBytes)
        }
        return hasher
    }

    /// How many bytes of a PATCH are gathered before one write to the blob store.
    static let writeBatch = 256 * 1024

    static let storageFailed = ServiceError(.unavailable, code: "storage_failed",
                                            en: "the server could not create the upload file",
                                            zh: "服务器无法创建上传文件")

    static let notFound = ServiceError(.notFound, code: "upload_not_found", en: "no such upload",
                                       zh: "没有该上传")
}
