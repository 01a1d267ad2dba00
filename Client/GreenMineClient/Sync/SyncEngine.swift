import Foundation
import GRDB
import GreenMineShared

/// `greenmine sync`: uploads the blobs queued attaches need, pushes the outbox in batches, then
/// pulls every page of changes, retrying transient failures; each batch's results and each page
/// are applied in one transaction.
public struct SyncEngine: Sendable {
    public var store: Store
    public var api: APIClient
    public var retry: RetryPolicy
    public var now: @Sendable () -> Date
    public var makeUUID: @Sendable () -> UUID
    /// Mutations per push request.
    public var pushBatchSize: Int
    /// Records per pull page.
    public var pullPageSize: Int
    /// The home's blob store, where uploads read from (nil: nothing is uploaded).
    public var blobs: BlobStore?
    /// Bytes per upload `PATCH`.
    public var uploadChunkSize: Int

    /// Push rounds in one sync: attaches whose blob the server lacked are pushed again after the
    /// upload, at most this many times.
    static let maxRounds = 3

    public init(store: Store, api: APIClient, retry: RetryPolicy, now: @escaping @Sendable () -> Date,
                makeUUID: @escaping @Sendable () -> UUID, pushBatchSize: Int = 200, pullPageSize: Int = 500,
                blobs: BlobStore? = nil, uploadChunkSize: Int = 8 << 20) {
        self.store = store
        self.api = api
        self.retry = retry
        self.now = now
        self.makeUUID = makeUUID
        self.pushBatchSize = max(1, pushBatchSize)
        self.pullPageSize = max(1, pullPageSize)
        self.blobs = blobs
        self.uploadChunkSize = max(1, uploadChunkSize)
    }

    /// Runs one sync: upload, push, pull. `summary` collects what happened even when it throws part-way.
    public func run(summary: inout SyncSummary, progress: (SyncEvent) -> Void) async throws {
        var failedUploads: [String: APIErrorDetail] = [:]
        var round = 1
        while true {
            if let blobs {
                let uploader = BlobUploader(store: store, blobs: blobs, tus: TusClient(api: api), retry: retry,
                                            chunkSize: uploadChunkSize, now: now)
                let report = try await uploader.run(progress: progress)
                failedUploads.merge(report.failures) { $1 }
                summary.uploadedFiles += report.uploaded
                summary.uploadedBytes += report.bytesSent
                summary.skippedUploads += report.skipped
            }
            let requeued = try await push(summary: &summary, failedUploads: failedUploads, progress: progress)
            if requeued == 0 { break }
            round += 1
            guard round <= Self.maxRounds else {
                throw ClientError(
                    code: "blob_missing",
                    zh: "服务器仍缺少 \(requeued) 个附件的文件；这些附件仍在待同步队列中，下次同步时继续",
                    en: "the server still lacks the file of \(requeued) attachment(s); they stay queued for the next sync")
            }
        }
        try await pull(summary: &summary, progress: progress)
        await KeyRing.refresh(store: store, api: api, now: now())
        await LicencePrefetch.refresh(store: store, api: api, now: now())
        let finished = now()
        try store.write { try SyncState.setLastSync($0, finished) }
        summary.completed = true
    }

    /// Pushes what is queued now (not what this push queues again) and returns how many attaches
    /// were queued again because the server lacked their blob.
    @discardableResult
    func push(summary: inout SyncSummary, failedUploads: [String: APIErrorDetail] = [:],
              progress: (SyncEvent) -> Void) async throws -> Int {
        var after = 0
        var resentAfter: Int?
        var requeued = 0
        let ceiling = try store.read { try Int.fetchOne($0, sql: "SELECT MAX(seq) FROM outbox") } ?? 0
        while true {
            let (state, batch, total) = try store.read { db in
                (try SyncState.load(db),
                 try OutboxEntry.batch(db, after: after, limit: pushBatchSize).filter { $0.seq <= ceiling },
                 try OutboxEntry.count(db))
            }
            guard !batch.isEmpty else { return requeued }
            progress(.pushing(count: batch.count, remaining: total))
            let request = PushRequest(clientId: state.clientId, mutations: batch.map(\.mutation))
            let response: PushResponse
            do {
                response = try await retry.run(onRetry: { report($0, $1, $2, progress) }) {
                    try await api.push(request)
                }
            } catch let error as APIError where error.code == "seq_gap" {
                guard case .server(_, let detail, _) = error, let lastSeq = detail.lastSeq else { throw error }
                let next = try store.read { try OutboxEntry.batch($0, after: lastSeq, limit: 1).first?.seq }
                guard next == lastSeq + 1, resentAfter != lastSeq else {
                    throw ClientError(
                        code: "seq_gap",
                        zh: "服务器只收到本机第 \(lastSeq) 号及以前的修改，而本机已没有第 \(lastSeq + 1) 号修改（服务器可能从备份恢复过）；请联系管理员",
                        en: "the server has this device's changes only up to #\(lastSeq), and this device no longer holds #\(lastSeq + 1) (was the server restored from a backup?); contact the administrator")
                }
                progress(.resending(after: lastSeq))
                after = lastSeq
                resentAfter = lastSeq
                continue
            }
            let applied = try store.write { db in
                try PushResultApplier.apply(db, response: response, sent: batch, now: now(), makeUUID: makeUUID,
                                            failedUploads: failedUploads)
            }
            let outcomes = applied.outcomes
            for outcome in outcomes { progress(.result(outcome)) }
            for again in applied.requeued {
                progress(.requeued(seq: again.seq, newSeq: again.newSeq, name: again.name))
            }
            requeued += applied.requeued.count
            summary.outcomes += outcomes
            guard !outcomes.isEmpty || !applied.requeued.isEmpty || applied.dropped > 0 else {
                throw ClientError(code: "push_no_progress",
                                  zh: "服务器没有返回任何修改的处理结果（已确认到第 \(response.lastSeq) 号）",
                                  en: "the server returned no result for the pushed changes (it acknowledges up to #\(response.lastSeq))")
            }
            after = 0
        }
    }

    func pull(summary: inout SyncSummary, progress: (SyncEvent) -> Void) async throws {
        while true {
            let state = try store.read { try SyncState.load($0) }
            let page = try await retry.run(onRetry: { report($0, $1, $2, progress) }) {
                try await api.pull(after: state.cursor, limit: pullPageSize, clientId: state.clientId)
            }
            try store.write { db in try PullApplier.apply(db, page: page, now: now()) }
            summary.pulledRecords += page.records.count
            summary.goneRecords += page.gone.count
            progress(.pulled(records: page.records.count, gone: page.gone.count))
            if !page.more { return }
            guard page.cursor != state.cursor else {
                throw ClientError(code: "pull_no_progress", zh: "服务器表示还有更多变更，但游标没有前进",
                                  en: "the server says more changes are waiting but its cursor did not move")
            }
        }
    }

    private func report(_ error: APIError, _ attempt: Int, _ delay: Duration,
                        _ progress: (SyncEvent) -> Void) {
        progress(.retrying(reason: error.clientError.message, attempt: attempt, delay: delay))
    }
}
