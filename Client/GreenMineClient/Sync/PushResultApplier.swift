import Foundation
import GRDB
import GreenMineShared

/// Applies the server's results for a pushed batch: new bases, conflicts, rejections, and the
/// removal of every acknowledged mutation — inside the caller's one transaction.
enum PushResultApplier {
    /// What applying a batch's results did.
    struct Applied {
        /// The results of the mutations the server settled.
        var outcomes: [MutationOutcome] = []
        /// Attaches the server could not apply yet (`blob_missing`), queued again after the upload.
        var requeued: [(seq: Int, newSeq: Int, name: String)] = []
        /// Attaches the server could not apply yet that a later queued detach cancels: dropped.
        var dropped = 0
    }

    /// Applies a batch's results. An attach refused with `blob_missing` is not a refusal: it is
    /// queued again (upload, then retry) — unless its upload failed for good in this sync
    /// (`failedUploads`), and then it is refused with the upload's reason.
    static func apply(_ db: Database, response: PushResponse, sent: [OutboxEntry], now: Date,
                      makeUUID: () -> UUID, failedUploads: [String: APIErrorDetail] = [:]) throws -> Applied {
        let bySeq = Dictionary(sent.map { ($0.seq, $0) }, uniquingKeysWith: { first, _ in first })
        var applied = Applied()
        var outcomes: [MutationOutcome] = []
        var newest: [UUID: Record] = [:]
        var touched: [UUID] = []
        var retry: [Mutation] = []
        for var result in response.results {
            guard let entry = bySeq[result.seq] else { continue }
            let mutation = entry.mutation
            if let record = result.record, record.version >= (newest[record.id]?.version ?? 0) {
                newest[record.id] = record
            }
            if result.status == .rejected, result.error?.code == "blob_missing", mutation.op == .attach,
               let file = mutation.attachment {
                if let failure = failedUploads[file.sha256] {
                    result.error = failure
                } else {
                    try OutboxEntry.remove(db, seq: result.seq)
                    if !touched.contains(mutation.recordId) { touched.append(mutation.recordId) }
                    if try isSuperseded(db, mutation) {
                        applied.dropped += 1
                    } else {
                        retry.append(mutation)
                    }
                    continue
                }
            }
            switch result.status {
            case .applied, .merged:
                break
            case .conflict:
                for field in result.conflicts ?? [] {
                    try LocalConflict.record(db, LocalConflict(
                        id: makeUUID(), recordId: mutation.recordId, path: field.path, mine: field.mine,
                        theirs: field.theirs, seq: mutation.seq, createdAt: now))
                }
            case .rejected:
                try reject(db, mutation, error: result.error, now: now)
            }
            try OutboxEntry.remove(db, seq: result.seq)
            if !touched.contains(mutation.recordId) { touched.append(mutation.recordId) }
            outcomes.append(MutationOutcome(
                seq: mutation.seq, recordId: mutation.recordId, kind: mutation.kind, op: mutation.op,
                transition: mutation.transition, status: result.status, version: result.record?.version,
                conflictPaths: (result.conflicts ?? []).map(\.path).sorted(), error: result.error))
        }
        let pending = try SyncedRecordWriter.pendingIds(db)
        for id in touched {
            if let record = newest[id], !pending.contains(id.lowercased) {
                try SyncedRecordWriter.write(db, record, now: now)
            } else {
                if let record = newest[id] { try adoptBase(db, record, local: try LocalRecord.find(db, id)) }
                try WorkingCopy.rebuild(db, id: id, now: now)
            }
        }
        // After the bases are adopted, so that a record created in this batch is not created again.
        for mutation in retry {
            if let newSeq = try requeue(db, mutation) {
                applied.requeued.append((mutation.seq, newSeq, mutation.attachment?.name ?? ""))
            } else {
                applied.dropped += 1
            }
        }
        try SyncState.setLastSeqAcked(db, response.lastSeq)
        applied.outcomes = outcomes
        return applied
    }

    /// True when a later queued change of the record detaches or attaches the same file, so an
    /// attach the server could not apply has nothing left to do. Asked while the batch's later
    /// mutations are still queued.
    private static func isSuperseded(_ db: Database, _ mutation: Mutation) throws -> Bool {
        guard let file = mutation.attachment else { return true }
        return try OutboxEntry.pending(db, recordId: mutation.recordId).map(\.mutation).contains {
            $0.seq > mutation.seq && [.attach, .detach].contains($0.op) && $0.attachment?.slot == file.slot
                && $0.attachment?.sha256 == file.sha256
        }
    }

    /// Queues an attach again at the end of the queue, unless the record is gone. Returns the new seq.
    /// It keeps its `baseVersion`: a file attached while the record was editable stays an attach
    /// made then, also when it arrives after the submit (`Workflow.lateAttachAllowed`).
    private static func requeue(_ db: Database, _ mutation: Mutation) throws -> Int? {
        guard let file = mutation.attachment, let local = try LocalRecord.find(db, mutation.recordId),
              !local.working.deleted else { return nil }
        guard local.base != nil else {
            let queued = try MutationQueue.queue(db, PendingChange(op: .attach, attachment: file), on: local,
                                                 now: mutation.deviceTime)
            return queued.last?.seq
        }
        var again = mutation
        again.seq = try SyncState.takeSeq(db)
        try OutboxEntry(mutation: again, queuedAt: mutation.deviceTime).insert(db)
        try WorkingCopy.rebuild(db, id: local.id, now: mutation.deviceTime)
        return again.seq
    }

    /// Keeps the server's reason, and what was typed for a record the server never accepted.
    private static func reject(_ db: Database, _ mutation: Mutation, error: APIErrorDetail?, now: Date) throws {
        let error = error ?? APIErrorDetail(code: "rejected", message: "refused by the server", messageZh: "被服务器拒绝")
        var rejection = Rejection(seq: mutation.seq, recordId: mutation.recordId, kind: mutation.kind, op: mutation.op,
                                  transition: mutation.transition, code: error.code, message: error.message,
                                  messageZh: error.messageZh, createdAt: now)
        try rejection.insert(db)
        guard var local = try LocalRecord.find(db, mutation.recordId), local.base == nil else { return }
        // The refused creation and field changes become where the record starts from until the
        // next change creates it again.
        let blank = Record(id: local.id, kind: local.kind, orgId: local.working.orgId, parentId: local.parentId)
        if mutation.op == .create {
            local.origin = MutationReplay.apply(mutation, to: blank)
        } else if mutation.op == .patch, let origin = local.origin {
            local.origin = MutationReplay.apply(mutation, to: origin)
        }
        try local.save(db)
    }

    /// Makes a server snapshot the record's base, unless the store already has a newer one.
    static func adoptBase(_ db: Database, _ record: Record, local: LocalRecord?) throws {
        if var local {
            if let base = local.base, base.version > record.version { return }
            local.base = record
            local.origin = nil
            try local.save(db)
        } else if !record.deleted {
            try LocalRecord(id: record.id, kind: record.kind, parentId: record.parentId, base: record,
                            working: record, origin: nil, updatedLocal: Date(timeIntervalSince1970: 0)).insert(db)
        }
    }
}
