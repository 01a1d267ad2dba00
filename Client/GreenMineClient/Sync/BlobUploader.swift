import Foundation
import GRDB
import GreenMineShared

/// Uploads every blob a queued `attach` needs, with tus (DESIGN.md §4), sized to the link.
///
/// Per blob: `HEAD /v1/blobs/{sha256}` (200: the server has it, skip); else the upload remembered in
/// the store, or a new one (`POST /v1/uploads`, its URL saved at once); `HEAD` for the offset; then
/// `PATCH` requests read from the blob store, each about `LinkMeter.requestSeconds` of the measured
/// throughput, with `Upload-Checksum` only where requests reliably complete (a fast link): without
/// it the server keeps every byte that arrived, so a cut resends nothing. A 409 moves to the
/// server's offset; 404/410 first ask whether the blob is complete on the server, then start a new
/// upload; a network failure is retried (patiently once the server has answered in this sync) and
/// resumes from the offset `HEAD` gives.
struct BlobUploader: Sendable {
    var store: Store
    var blobs: BlobStore
    var tus: TusClient
    /// Retries before the server has answered in this sync.
    var retry: RetryPolicy
    /// Retries once it has: an outage is waited out.
    var patience: RetryPolicy
    /// The longest an outage is waited out, on the clock.
    var patienceLimit: Duration
    /// The link's measured throughput, which sizes each request.
    var link: LinkMeter
    /// Where each file stands, for the user and the sync log.
    var tally: UploadTally
    var now: @Sendable () -> Date

    /// How often an upload may start again (expired, damaged in transit) within one run.
    static let maxRestarts = 3

    /// What one run did.
    struct Report {
        /// Blobs that failed for good, by SHA-256, with why.
        var failures: [String: APIErrorDetail] = [:]
        /// Blobs the server now holds thanks to this run.
        var uploaded = 0
        /// Bytes this run sent and the server acknowledged.
        var bytesSent: Int64 = 0
        /// Blobs the server already had.
        var skipped = 0
    }

    /// Uploads what the queue needs, then ends uploads nothing needs any more. `missing`: blobs the
    /// server was just asked about and lacks, so they are not asked about again.
    func run(missing: Set<String> = [], progress: (SyncEvent) -> Void) async throws -> Report {
        var report = Report()
        let pending = try pendingBlobs()
        for (sha256, name) in pending {
            do {
                let sent = try await upload(sha256, name: name, askServer: !missing.contains(sha256), progress: progress)
                if let sent {
                    report.uploaded += 1
                    report.bytesSent += sent
                } else {
                    report.skipped += 1
                }
            } catch let refusal as UploadRefusal {
                report.failures[sha256] = refusal.detail
                progress(.uploadFailed(name: name, sha256: sha256, error: refusal.detail))
            }
        }
        try await terminateAbandoned(keeping: Set(pending.map(\.sha256)))
        return report
    }

    /// Ends (tus termination) the uploads of blobs no queued attach needs any more — the file was
    /// detached or its attach refused — so they do not count against the server's limit of
    /// unfinished uploads. Best effort: one that cannot be ended now is tried again next time.
    func terminateAbandoned(keeping needed: Set<String>) async throws {
        let abandoned = try store.read { try UploadInProgress.all($0) }.values.filter { !needed.contains($0.sha256) }
        for upload in abandoned {
            guard (try? await tus.terminate(upload.url)) != nil else { continue }
            try store.write { try UploadInProgress.remove($0, upload.sha256) }
        }
    }

    /// The blobs queued attaches use, first use first, with the name of that first use. An attach
    /// that a later queued detach of the same file cancels needs no upload: the server refuses it
    /// (`blob_missing`), and it is dropped instead of queued again.
    func pendingBlobs() throws -> [(sha256: String, name: String)] {
        try store.read { db in
            let texts = try String.fetchAll(db, sql: """
                SELECT mutation FROM outbox WHERE json_extract(mutation, '$.op') IN ('attach', 'detach') ORDER BY seq
                """)
            let mutations = try texts.map { try StoreJSON.decode(Mutation.self, $0, what: "queued attach") }
            var seen: Set<String> = []
            var pending: [(String, String)] = []
            for (index, mutation) in mutations.enumerated() where mutation.op == .attach {
                guard let file = mutation.attachment, !seen.contains(file.sha256) else { continue }
                // A later detach of the same file, or the record's deletion, leaves nothing to upload for.
                let cancelled = mutations[(index + 1)...].contains {
                    $0.recordId == mutation.recordId && ($0.op == .delete || $0.op == .detach
                        && $0.attachment?.slot == file.slot && $0.attachment?.sha256 == file.sha256)
                }
                if cancelled { continue }
                seen.insert(file.sha256)
                pending.append((file.sha256, file.name ?? file.sha256))
            }
            return pending
        }
    }

    /// Uploads one blob unless the server has it (asked first when `askServer`); returns the bytes
    /// sent, or nil when skipped.
    func upload(_ sha256: String, name: String, askServer: Bool = true,
                progress: (SyncEvent) -> Void) async throws -> Int64? {
        let known = try store.read { db in (try LocalBlob.find(db, sha256), try UploadInProgress.find(db, sha256)) }
        guard let blob = known.0, blobs.contains(sha256, size: blob.size), let path = blobs.url(for: sha256) else {
            throw UploadRefusal(detail: UploadMessages.missingLocally(name))
        }
        tally.note(sha256, name: name, total: blob.size, onServer: known.1?.offset ?? 0)
        if askServer, try await retrying(progress, { try await tus.blobExists(sha256) }) {
            tally.note(sha256, name: name, total: blob.size, onServer: blob.size)
            if let stale = known.1 {
                try? await tus.terminate(stale.url)
                try store.write { try UploadInProgress.remove($0, sha256) }
            }
            progress(.uploadSkipped(name: name, sha256: sha256))
            return nil
        }
        var transfer = Transfer(blob: blob, name: name, path: path.path)
        var restarts = 0
        while true {
            switch try await send(&transfer, progress: progress) {
            case .done:
                return transfer.sentThisRun
            case .restart(let reason):
                restarts += 1
                try store.write { try UploadInProgress.remove($0, sha256) }
                guard restarts <= Self.maxRestarts else { throw UploadRefusal(detail: reason) }
            }
        }
    }

    /// One blob's upload in this run.
    struct Transfer {
        var blob: LocalBlob
        var name: String
        /// The blob's file in the store.
        var path: String
        let started = ContinuousClock.now
        /// Bytes the server acknowledged during this run.
        var sentThisRun: Int64 = 0
        var resumedFrom: Int64 = 0

        func progress(at offset: Int64, finished: Bool = false) -> UploadProgress {
            let elapsed = ContinuousClock.now - started
            let seconds = elapsed.inSeconds
            return UploadProgress(name: name, sha256: blob.sha256, sent: offset, total: blob.size,
                                  resumedFrom: resumedFrom,
                                  bytesPerSecond: seconds > 0 ? Double(sentThisRun) / seconds : 0, finished: finished)
        }
    }

    private enum Attempt {
        case done
        case restart(APIErrorDetail)
    }

    /// Creates or resumes the upload and sends requests until the server holds the whole blob.
    private func send(_ transfer: inout Transfer, progress: (SyncEvent) -> Void) async throws -> Attempt {
        let blob = transfer.blob
        let upload = try await remembered(blob, name: transfer.name, progress: progress)
        var offset: Int64
        switch try await retrying(progress, { try await tus.offset(of: upload.url) }) {
        case .gone:
            return try await finishedElsewhere(transfer, progress: progress) ? .done
                : .restart(UploadMessages.expired(transfer.name))
        case .at(let held):
            offset = held
        }
        transfer.resumedFrom = offset
        noteOffset(transfer, offset)
        progress(.uploading(transfer.progress(at: offset)))
        if offset >= blob.size {
            // Finished before, but the answer was lost: the blob is in place when the server says so.
            return try await finishedElsewhere(transfer, progress: progress) ? .done
                : .restart(UploadMessages.expired(transfer.name))
        }
        var checksumFailures = 0
        var busy = 0
        // On a fast link each request carries its checksum; the next request's bytes are read and
        // hashed while the current one travels.
        var ahead: (offset: Int64, length: Int64, task: Task<PreparedChunk?, Never>)?
        defer { ahead?.task.cancel() }
        while offset < blob.size {
            let length: Int64
            var checksum: String?
            if let next = ahead, next.offset == offset {
                length = next.length
                guard let prepared = await next.task.value else {
                    throw UploadRefusal(detail: UploadMessages.missingLocally(transfer.name))
                }
                checksum = prepared.checksum
            } else {
                ahead?.task.cancel()
                length = min(Int64(link.nextChunk()), blob.size - offset)
                if link.checksumsWorthwhile {
                    guard let prepared = PreparedChunk.read(path: transfer.path, offset: offset, length: length) else {
                        throw UploadRefusal(detail: UploadMessages.missingLocally(transfer.name))
                    }
                    checksum = prepared.checksum
                }
            }
            ahead = nil
            let following = offset + length
            if link.checksumsWorthwhile, following < blob.size {
                let (path, nextLength) = (transfer.path, min(Int64(link.nextChunk()), blob.size - following))
                ahead = (following, nextLength,
                         Task.detached { PreparedChunk.read(path: path, offset: following, length: nextLength) })
            }
            let body = FileBody(path: transfer.path, offset: offset, length: length)
            var resync = false
            let sentAt = offset
            var started = ContinuousClock.now
            let result = try await retrying(progress) { () async throws -> TusPatchResult in
                if resync {
                    // The last attempt failed on the way: the server kept what arrived of it — unless
                    // it carried a checksum, which this link does not reliably complete: no more of them.
                    if checksum != nil { link.noteCutChecksummedRequest() }
                    switch try await tus.offset(of: upload.url) {
                    case .gone: return .gone
                    case .at(let held) where held != sentAt: return .offsetMismatch(held)
                    case .at: break
                    }
                }
                resync = true
                started = ContinuousClock.now
                let answer = try await tus.patch(upload.url, offset: sentAt, chunk: body,
                                                 sha256: link.checksumsWorthwhile ? checksum : nil,
                                                 stallLimit: link.stallLimit(for: length, base: tus.api.timeout))
                resync = false
                return answer
            }
            switch result {
            case .accepted(let next, let digest):
                link.record(bytes: next - offset, seconds: (ContinuousClock.now - started).inSeconds)
                transfer.sentThisRun += next - offset
                offset = next
                noteOffset(transfer, offset)
                checksumFailures = 0
                busy = 0
                if offset >= blob.size {
                    try store.write { try UploadInProgress.remove($0, blob.sha256) }
                    guard digest == nil || digest == blob.sha256 else {
                        throw UploadRefusal(detail: UploadMessages.serverHashDiffers(transfer.name, digest ?? ""))
                    }
                    progress(.uploading(transfer.progress(at: offset, finished: true)))
                    return .done
                }
                try store.write { try UploadInProgress.setOffset($0, blob.sha256, offset: offset) }
                progress(.uploading(transfer.progress(at: offset)))
            case .offsetMismatch(let held):
                if let held {
                    offset = held
                } else if case .at(let head) = try await retrying(progress, {
                    try await tus.offset(of: upload.url)
                }) {
                    offset = head
                } else {
                    offset = blob.size
                }
                if offset >= blob.size {
                    return try await finishedElsewhere(transfer, progress: progress) ? .done
                        : .restart(UploadMessages.expired(transfer.name))
                }
                // Bytes of a cut request that reached the server count as sent (its time, which holds
                // the outage and the waits, says nothing of the link's rate).
                if offset > sentAt { transfer.sentThisRun += offset - sentAt }
                noteOffset(transfer, offset)
                try store.write { try UploadInProgress.setOffset($0, blob.sha256, offset: offset) }
                progress(.uploading(transfer.progress(at: offset)))
            case .gone:
                return try await finishedElsewhere(transfer, progress: progress) ? .done
                    : .restart(UploadMessages.expired(transfer.name))
            case .checksumMismatch:
                checksumFailures += 1
                guard checksumFailures <= Self.maxRestarts else {
                    throw UploadRefusal(detail: UploadMessages.damagedInTransit(transfer.name))
                }
            case .busy(let retryAfter):
                busy += 1
                guard busy < max(retry.maxAttempts, patience.maxAttempts) else {
                    throw APIError.unreachable("the server stays busy with other uploads (\(transfer.name))")
                }
                try await retry.sleep(retryAfter.map { Duration.seconds($0) } ?? retry.delay(afterFailure: min(busy, 4)))
                // The request that held the upload (one cut on the way) may have left bytes: ask first.
                if case .at(let held) = try await retrying(progress, { try await tus.offset(of: upload.url) }),
                   held > offset, held <= blob.size {
                    transfer.sentThisRun += held - offset
                    offset = held
                    noteOffset(transfer, offset)
                    try store.write { try UploadInProgress.setOffset($0, blob.sha256, offset: offset) }
                    if offset >= blob.size {
                        return try await finishedElsewhere(transfer, progress: progress) ? .done
                            : .restart(UploadMessages.expired(transfer.name))
                    }
                }
            case .refused(let detail):
                try store.write { try UploadInProgress.remove($0, blob.sha256) }
                guard detail.code == "hash_mismatch" else {
                    throw UploadRefusal(detail: UploadMessages.refused(transfer.name, detail))
                }
                return try damaged(transfer)
            }
        }
        return .done
    }

    /// The upload is unknown to the server or says it is whole: true (and the upload forgotten)
    /// when the server holds the complete blob, so a lost last answer never restarts a file.
    private func finishedElsewhere(_ transfer: Transfer, progress: (SyncEvent) -> Void) async throws -> Bool {
        let blob = transfer.blob
        guard try await retrying(progress, { try await tus.blobExists(blob.sha256) }) else { return false }
        try store.write { try UploadInProgress.remove($0, blob.sha256) }
        noteOffset(transfer, blob.size)
        progress(.uploading(transfer.progress(at: blob.size, finished: true)))
        return true
    }

    private func noteOffset(_ transfer: Transfer, _ offset: Int64) {
        tally.note(transfer.blob.sha256, name: transfer.name, total: transfer.blob.size, onServer: offset)
    }

    /// The upload remembered for this blob, or a new one whose URL is saved before any byte is sent.
    private func remembered(_ blob: LocalBlob, name: String, progress: (SyncEvent) -> Void) async throws
        -> UploadInProgress {
        if let upload = try store.read({ try UploadInProgress.find($0, blob.sha256) }) { return upload }
        let url: String
        do {
            url = try await retrying(progress) {
                try await tus.create(length: blob.size, filename: name, filetype: blob.mime, sha256: blob.sha256)
            }
        } catch APIError.server(let status, let detail, _) where (400..<500).contains(status)
            && ![401, 403, 429].contains(status) {
            // The server will never take this file (too large, bad metadata): refused for good.
            throw UploadRefusal(detail: UploadMessages.refused(name, detail))
        }
        let upload = UploadInProgress(sha256: blob.sha256, url: url, length: blob.size, offset: 0, created: now())
        try store.write { try UploadInProgress.save($0, upload) }
        return upload
    }

    /// The server found the whole file's SHA-256 wrong. When the local copy no longer matches its
    /// name it is damaged: it is removed and the refusal says so; otherwise the bytes were damaged
    /// on the way and the upload starts again.
    private func damaged(_ transfer: Transfer) throws -> Attempt {
        let sha256 = transfer.blob.sha256
        guard let path = blobs.url(for: sha256), (try? FileIngest.sha256(of: path)) == sha256 else {
            blobs.remove(sha256)
            try store.write { try LocalBlob.remove($0, sha256) }
            throw UploadRefusal(detail: UploadMessages.localCopyDamaged(transfer.name))
        }
        return .restart(UploadMessages.damagedInTransit(transfer.name))
    }

    /// Runs `operation` under the retry policy, telling `progress` of each wait.
    private func retrying<T: Sendable>(_ progress: (SyncEvent) -> Void,
                                       _ operation: () async throws -> T) async throws -> T {
        try await SyncRetry(base: retry, patience: patience, link: link, patienceLimit: patienceLimit)
            .run(onRetry: { error, attempt, delay in
            progress(.retrying(reason: error.clientError.message, attempt: attempt, delay: delay))
        }, operation)
    }
}
