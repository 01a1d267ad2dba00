import Foundation
import GreenMineShared

/// Push and pull (DESIGN.md §4): seq bookkeeping, the merge rule, the workflow, the data check.
/// Knows nothing of HTTP; storage is behind `SyncRecordStore`.
public struct SyncService: Sendable {
    let store: any SyncRecordStore
    let environment: ServerEnvironment
    let regions: RegionTable
    let signer: CertificateSigner
    /// The most mutations one push may carry.
    public static let maxBatch = 1000
    /// The most records one pull page may carry.
    public static let maxPage = PullResponse.largestPage

    public init(store: any SyncRecordStore, environment: ServerEnvironment, signer: CertificateSigner,
                regions: RegionTable = .standard) {
        self.store = store
        self.environment = environment
        self.signer = signer
        self.regions = regions
    }

    /// Applies a batch in order, in one transaction: replays get their stored result, a gap is refused
    /// with the last seq applied, and each new mutation's effect and result are stored together.
    public func push(_ request: PushRequest, user: AuthenticatedUser) async throws -> PushResponse {
        try await push(request, user: user, continuing: false)
    }

    /// For a client the server itself runs (the web console): the mutations are numbered inside the
    /// transaction, continuing from the client's last seq, so two requests at once can never take the
    /// same seq (the second would get the first's stored result, and its own change would be lost).
    public func pushContinuing(clientId: UUID, mutations: [Mutation], user: AuthenticatedUser) async throws
        -> PushResponse {
        try await push(PushRequest(clientId: clientId, mutations: mutations), user: user, continuing: true)
    }

    private func push(_ request: PushRequest, user: AuthenticatedUser, continuing: Bool) async throws -> PushResponse {
        guard request.mutations.count <= Self.maxBatch else {
            throw ServiceError(.tooLarge, code: "batch_too_large",
                               en: "a push carries at most \(Self.maxBatch) mutations",
                               zh: "每次推送最多 \(Self.maxBatch) 条变更")
        }
        let now = environment.now()
        let regions = self.regions
        let signer = self.signer
        let newId = environment.newId
        return try await store.write { tx in
            let client = try await tx.client(request.clientId)
            if let client, client.userId != user.info.id {
                throw ServiceError(.forbidden, code: "client_mismatch",
                                   en: "this client id belongs to another user; log in again to get a new one",
                                   zh: "该客户端标识属于其他用户，请重新登录")
            }
            var last = client?.lastSeq ?? 0
            var mutations = request.mutations
            if continuing {
                for index in mutations.indices { mutations[index].seq = last + 1 + index }
            }
            try Self.checkContiguous(mutations, lastSeq: last)
            var results: [MutationResult] = []
            results.reserveCapacity(mutations.count)
            let applier = MutationApplier(tx: tx, user: user, clientId: request.clientId, now: now, regions: regions,
                                          signer: signer, environmentId: newId)
            for mutation in mutations {
                if mutation.seq <= last {
                    results.append(try await tx.storedResult(client: request.clientId, seq: mutation.seq)
                        ?? MutationResult(seq: mutation.seq, status: .rejected, error: APIErrorDetail(
                            code: "result_unknown", message: "this seq was applied but its result is not kept")))
                    continue
                }
                let result = try await applier.apply(mutation)
                try await tx.storeResult(client: request.clientId, result)
                last = mutation.seq
                results.append(result)
            }
            try await tx.setClient(request.clientId, userId: user.info.id, lastSeq: last)
            return PushResponse(results: results, lastSeq: last)
        }
    }

    /// Refuses a batch whose seqs are not consecutive or that starts after the next expected seq.
    static func checkContiguous(_ mutations: [Mutation], lastSeq: Int) throws {
        guard let first = mutations.first else { return }
        // `$0.seq < .max` first: a hostile seq of Int.max must be refused, not overflow and trap.
        let consecutive = zip(mutations, mutations.dropFirst()).allSatisfy { $0.seq < .max && $1.seq == $0.seq + 1 }
        guard first.seq >= 1, first.seq <= lastSeq + 1, consecutive else {
            throw ServiceError(.conflict, APIErrorDetail(
                code: "seq_gap",
                message: "mutations must continue from seq \(lastSeq + 1) without gaps; resend from there",
                messageZh: "变更序号须从 \(lastSeq + 1) 连续递增，请从该序号重新发送", lastSeq: lastSeq))
        }
    }

    /// One page of what changed after the cursor, for this user, with the last seq of `clientId`.
    public func pull(user: AuthenticatedUser, after cursor: String?, limit: Int?, clientId: UUID?) async throws
        -> PullPage {
        let position: Int64
        if let cursor, !cursor.isEmpty {
            guard let value = Int64(cursor), value >= 0 else {
                throw ServiceError(.badRequest, code: "bad_cursor", en: "the cursor is not one this server gave",
                                   zh: "同步游标无效")
            }
            position = value
        } else {
            position = 0
        }
        let size = limit ?? 1000
        guard (1...Self.maxPage).contains(size) else {
            throw ServiceError(.badRequest, code: "bad_limit", en: "limit must be between 1 and \(Self.maxPage)",
                               zh: "limit 须在 1 到 \(Self.maxPage) 之间")
        }
        return try await store.pull(user: user, after: position, limit: size, client: clientId)
    }

    /// The signed certificate held by a certificate record the user may see.
    public func certificate(_ id: UUID, user: AuthenticatedUser) async throws -> SignedCertificate {
        guard let record = try await store.visibleRecord(id, user: user), record.kind == .certificate,
              let text = record.text(SignedCertificate.fieldPath) else {
            throw ServiceError(.notFound, code: "not_found", en: "no such certificate, or you may not see it",
                               zh: "证书不存在或无权查看")
        }
        return try WireCoding.decode(SignedCertificate.self, from: Data(text.utf8))
    }

    /// The keys that verify certificates.
    public var keys: KeysResponse { KeysResponse(keys: [signer.verificationKey]) }

    /// The process monitoring log of a record the user may see.
    public func history(of id: UUID, user: AuthenticatedUser) async throws -> [HistoryEvent] {
        guard let events = try await store.history(of: id, user: user) else { throw ServiceError.recordNotFound }
        return events
    }
}
