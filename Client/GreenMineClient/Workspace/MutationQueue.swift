import Foundation
import GRDB
import GreenMineShared

/// What a command wants to queue; the queue adds seq, base version and device time.
struct PendingChange: Sendable {
    var op: MutationOp
    var set: [String: JSONValue]? = nil
    var transition: Transition? = nil
    var comment: String? = nil
    var agency: String? = nil
    var attachment: MutationAttachment? = nil
}

/// Appends mutations to the outbox and updates the working copy, inside the caller's transaction.
enum MutationQueue {
    /// Queues a change to an existing local record and returns the queued mutations (two when the
    /// record must first be created again because the server refused its creation).
    @discardableResult
    static func queue(_ db: Database, _ change: PendingChange, on record: LocalRecord,
                      now: Date) throws -> [Mutation] {
        var queued: [Mutation] = []
        if record.base == nil, change.op != .create,
           try !OutboxEntry.pending(db, recordId: record.id).contains(where: { $0.mutation.op == .create }) {
            // The server refused the creation: send the record's content as a new creation first.
            let content = record.working.fields.filter { !WorkflowFields.isServerManaged($0.key) }
            queued.append(try append(db, record: record, PendingChange(op: .create, set: content), now: now))
        }
        queued.append(try append(db, record: record, change, now: now))
        try WorkingCopy.rebuild(db, id: record.id, now: now)
        return queued
    }

    /// Stores a new record and queues its creation.
    @discardableResult
    static func create(_ db: Database, id: UUID, kind: RecordKind, orgId: String?, parentId: UUID?,
                       fields: [String: JSONValue], now: Date) throws -> LocalRecord {
        let blank = Record(id: id, kind: kind, orgId: orgId, parentId: parentId)
        let local = LocalRecord(id: id, kind: kind, parentId: parentId, base: nil, working: blank, origin: nil,
                                updatedLocal: now)
        try local.insert(db)
        _ = try append(db, record: local, PendingChange(op: .create, set: fields), now: now)
        guard let stored = try WorkingCopy.rebuild(db, id: id, now: now) else {
            throw StoreError.corrupt(what: "record \(id.lowercased)", reason: "vanished while being created")
        }
        return stored
    }

    private static func append(_ db: Database, record: LocalRecord, _ change: PendingChange,
                               now: Date) throws -> Mutation {
        let mutation = Mutation(
            seq: try SyncState.takeSeq(db), recordId: record.id, kind: record.kind, op: change.op,
            baseVersion: change.op == .create ? nil : record.base?.version, set: change.set,
            transition: change.transition, comment: change.comment, agency: change.agency,
            parentId: change.op == .create ? record.parentId : nil, attachment: change.attachment, deviceTime: now)
        try OutboxEntry(mutation: mutation, queuedAt: now).insert(db)
        return mutation
    }
}
