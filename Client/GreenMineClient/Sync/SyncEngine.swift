import Foundation
import GRDB
import GreenMineShared

/// `greenmine sync`: small things first, then files (docs/DECISIONS.md, "Field links").
///
/// 1. Asks which of the files queued attaches need the server lacks, and moves those attaches
///    (never-sent ones only) to the end of the queue (`OutboxOrder`).
/// 2. Pushes everything before them: form data, submits, other records.
/// 3. Pulls every page of changes.
/// 4. Uploads the files, then pushes the rest; attaches whose file is still missing go round again.
/// 5. Pulls once more when step 4 changed anything.
///
/// Each batch's results and each page are applied in one transaction. Requests are sized to the
/// link (`LinkMeter`); failures are retried, patiently once the server has answered in this sync,
/// so an outage of a radio link is waited out rather than ending the sync.
public struct SyncEngine: Sendable {
    public var store: Store
    public var api: APIClient
    public var retry: RetryPolicy
    /// The retry policy once the server has answered in this sync: waits out an outage.
    public var patience: RetryPolicy
    /// The longest an outage is waited out, on the clock.
    public var patienceLimit: Duration
    public var now: @Sendable () -> Date
    public var makeUUID: @Sendable () -> UUID
    /// Mutations per push request on a fast link.
    public var pushBatchSize: Int
    /// Records in the first pull page; later pages follow the link, up to the server's largest.
    public var pullPageSize: Int
    /// The home's blob store, where uploads read from (nil: nothing is uploaded).
    public var blobs: BlobStore?
    /// What this sync learns of the link.
    public let link: LinkMeter
    /// Where each file this sync needs stands.
    public let tally = UploadTally()

    /// Push rounds in one sync: attaches whose blob the server lacked are pushed again after the
    /// upload, at most this many times.
    static let maxRounds = 3

    public init(store: Store, api: APIClient, retry: RetryPolicy, patience: RetryPolicy? = nil,
                patienceLimit: Duration = .seconds(90), now: @escaping @Sendable () -> Date,
                makeUUID: @escaping @Sendable () -> UUID, pushBatchSize: Int = 200, pullPageSize: Int = 500,
                blobs: BlobStore? = nil, uploadChunkSize: Int = 8 << 20) {
        let link = LinkMeter(maxChunk: max(1, uploadChunkSize))
        self.link = link
        self.store = store
        self.api = api
        self.api.transport = MeteredTransport(inner: api.transport, link: link)
        self.retry = retry
        self.patience = patience ?? SyncRetry.patience(patienceLimit, base: retry)
        self.patienceLimit = patienceLimit
        self.now = now
        self.makeUUID = makeUUID
        self.pushBatchSize = max(1, pushBatchSize)
        self.pullPageSize = max(1, pullPageSize)
        self.blobs = blobs
    }

    /// Runs one sync. `summary` collects what happened even when it throws part-way.
    public func run(summary: inout SyncSummary, progress: (SyncEvent) -> Void) async throws {
        let uploader = blobs.map {
            BlobUploader(store: store, blobs: $0, tus: TusClient(api: api), retry: retry, patience: patience,
                         patienceLimit: patienceLimit, link: link, tally: tally, now: now)
        }
        var missing: Set<String> = []
        if let uploader {
            for (sha256, _) in try uploader.pendingBlobs() where try await !retrying(progress, {
                try await uploader.tus.blobExists(sha256)
            }) {
                missing.insert(sha256)
            }
            if !missing.isEmpty {
                // Small things first: what does not wait for a file goes, and the pull comes, now.
                let deferral = try store.write { try OutboxOrder.deferWaiting($0, missing: missing, now: now()) }
                if let deferral { progress(.deferred(count: deferral.count)) }
                try await push(summary: &summary, through: deferral.map { $0.firstDeferred - 1 }, progress: progress)
                try await pull(summary: &summary, progress: progress)
            }
        }
        var failedUploads: [String: APIErrorDetail] = [:]
        var round = 1
        while true {
            if let uploader {
                let report = try await uploader.run(missing: round == 1 ? missing : [], progress: progress)
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
        await AgencyPrefetch.refresh(store: store, api: api, now: now())
        await PortalPrefetch.refresh(store: store, api: api, now: now())
        let finished = now()
        try store.write { try SyncState.setLastSync($0, finished) }
        summary.completed = true
    }

    /// Pushes what is queued now (not what this push queues again), up to `through` when given,
    /// and returns how many attaches were queued again because the server lacked their blob.
    @discardableResult
    func push(summary: inout SyncSummary, failedUploads: [String: APIErrorDetail] = [:], through: Int? = nil,
              progress: (SyncEvent) -> Void) async throws -> Int {
        var after = 0
        var resentAfter: Int?
        var requeued = 0
        let queued = try store.read { try Int.fetchOne($0, sql: "SELECT MAX(seq) FROM outbox") } ?? 0
        let ceiling = min(queued, through ?? queued)
        while true {
            let limit = link.pushBatch(preferred: pushBatchSize)
            let (state, batch, total) = try store.read { db in
                (try SyncState.load(db),
                 try OutboxEntry.batch(db, after: after, limit: limit).filter { $0.seq <= ceiling },
                 try OutboxEntry.count(db))
            }
            guard let last = batch.last else { return requeued }
            try store.write { try SyncState.noteSent($0, through: last.seq) }
            progress(.pushing(count: batch.count, remaining: total))
            let request = PushRequest(clientId: state.clientId, mutations: batch.map(\.mutation))
            let response: PushResponse
            do {
                response = try await retrying(progress) { try await api.push(request) }
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

    /// Pulls every page. The next page is asked for while this one is stored (the server works while
    /// the client writes); a failed early request is simply made again under the retry policy.
    func pull(summary: inout SyncSummary, progress: (SyncEvent) -> Void) async throws {
        var ahead: (cursor: String, task: Task<(PulledPage, Double)?, Never>)?
        defer { ahead?.task.cancel() }
        while true {
            let state = try store.read { try SyncState.load($0) }
            let limit = link.pullLimit(preferred: pullPageSize, largest: PullResponse.largestPage)
            var early: (PulledPage, Double)?
            if let waiting = ahead {
                ahead = nil
                if waiting.cursor == state.cursor ?? "" {
                    early = await withTaskCancellationHandler(operation: { await waiting.task.value },
                                                              onCancel: { waiting.task.cancel() })
                } else {
                    waiting.task.cancel()
                }
            }
            let fetched: (PulledPage, Double)
            if let early {
                fetched = early
            } else {
                fetched = try await retrying(progress) {
                    try await Self.timedPull(api, after: state.cursor, limit: limit, clientId: state.clientId)
                }
            }
            let (page, seconds) = fetched
            link.recordPage(records: page.response.records.count, seconds: seconds)
            if page.response.more, page.response.cursor != state.cursor {
                let (api, cursor, client) = (api, page.response.cursor, state.clientId)
                let limit = link.pullLimit(preferred: pullPageSize, largest: PullResponse.largestPage)
                ahead = (cursor, Task { try? await Self.timedPull(api, after: cursor, limit: limit, clientId: client) })
            }
            try store.write { db in try PullApplier.apply(db, page: page, now: now()) }
            summary.pulledRecords += page.response.records.count
            summary.goneRecords += page.response.gone.count
            progress(.pulled(records: page.response.records.count, gone: page.response.gone.count))
            if !page.response.more { return }
            guard page.response.cursor != state.cursor else {
                throw ClientError(code: "pull_no_progress", zh: "服务器表示还有更多变更，但游标没有前进",
                                  en: "the server says more changes are waiting but its cursor did not move")
            }
        }
    }

    /// One pull page and the seconds its request took.
    private static func timedPull(_ api: APIClient, after cursor: String?, limit: Int, clientId: UUID)
        async throws -> (PulledPage, Double) {
        let started = ContinuousClock.now
        let page = try await api.pullPage(after: cursor, limit: limit, clientId: clientId)
        return (page, (ContinuousClock.now - started).inSeconds)
    }

    /// Runs `operation` under the retry policy the link calls for, telling `progress` of each wait.
    private func retrying<T: Sendable>(_ progress: (SyncEvent) -> Void,
                                       _ operation: () async throws -> T) async throws -> T {
        try await SyncRetry(base: retry, patience: patience, link: link, patienceLimit: patienceLimit)
            .run(onRetry: { error, attempt, delay in
            progress(.retrying(reason: error.clientError.message, attempt: attempt, delay: delay))
        }, operation)
    }
}
