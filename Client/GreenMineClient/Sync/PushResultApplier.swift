import Foundation
import GRDB
import GreenMineShared

/// Applies the server's results for a pushed batch: new bases, conflicts, rejections, and the
/// removal of every acknowledged mutation — inside the caller's one transaction.
enum PushResultApplier {
    static func apply(_ db: Database, response: PushResponse, sent: [OutboxEntry], now: Date,
                      makeUUID: () -> UUID) throws -> [MutationOutcome] {
        let bySeq = Dictionary(sent.map { ($0.seq, $0) }, uniquingKeysWith: { first, _ in first })
        var outcomes: [MutationOutcome] = []
        var newest: [UUID: Record] = [:]
        var touched: [UUID] = []
        for result in response.results {
            guard let entry = bySeq[result.seq] else { continue }
            let mutation = entry.mutation
            if let record = result.record, record.version >= (newest[record.id]?.version ?? 0) {
                newest[record.id] = record
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
        try SyncState.setLastSeqAcked(db, response.lastSeq)
        return outcomes
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
