import Foundation
import GRDB
import GreenMineShared

/// Keeps a record's working copy equal to its base with every pending mutation replayed on it.
enum WorkingCopy {
    /// Replays `pending` over `start` (the base, or the origin when the server never accepted the
    /// record). A pending `create` starts from a blank record, except when a base exists: then the
    /// server already holds the record and the creation changes nothing locally. A pending `attach`
    /// takes its size and type from `blobs` (the blob store's rows, by hash) and its name from the
    /// mutation.
    static func replay(start: Record?, pending: [Mutation], blank: Record,
                       blobs: [String: LocalBlob] = [:]) -> Record? {
        var current = start
        let hasBase = start.map { $0.version > 0 } ?? false
        for mutation in pending {
            if mutation.op == .create {
                if !hasBase { current = MutationReplay.apply(mutation, to: blank) }
            } else if let record = current {
                current = MutationReplay.apply(mutation, to: record, attachment: attachment(of: mutation, blobs: blobs))
            }
        }
        return current
    }

    /// The full reference a pending `attach` adds, when its blob is in the store.
    static func attachment(of mutation: Mutation, blobs: [String: LocalBlob]) -> AttachmentRef? {
        guard mutation.op == .attach, let file = mutation.attachment, let blob = blobs[file.sha256] else { return nil }
        return AttachmentRef(slot: file.slot, sha256: file.sha256, size: blob.size, mime: blob.mime,
                             name: file.name ?? file.sha256)
    }

    /// Recomputes and saves the working copy of a record; removes the record when nothing is left of
    /// it (the server deleted it or never accepted it, and nothing is pending). Returns the record
    /// as stored, or nil when it was removed.
    @discardableResult
    static func rebuild(_ db: Database, id: UUID, now: Date) throws -> LocalRecord? {
        guard var local = try LocalRecord.find(db, id) else { return nil }
        let pending = try OutboxEntry.pending(db, recordId: id).map(\.mutation)
        let blank = Record(id: local.id, kind: local.kind, orgId: local.working.orgId, parentId: local.parentId)
        let hashes = Set(pending.compactMap { $0.op == .attach ? $0.attachment?.sha256 : nil })
        let blobs = hashes.isEmpty ? [:] : try LocalBlob.find(db, hashes)
        let replayed = replay(start: local.base ?? local.origin, pending: pending, blank: blank, blobs: blobs)
        let gone = replayed == nil || (pending.isEmpty && local.base?.deleted == true)
        guard let working = replayed, !gone else {
            try forget(db, id: id)
            return nil
        }
        local.working = working
        local.updatedLocal = now
        try local.save(db)
        return local
    }

    /// Removes a record and what hangs on it locally (open conflicts, read mark).
    static func forget(_ db: Database, id: UUID) throws {
        try LocalRecord.remove(db, id)
        try db.execute(sql: "DELETE FROM conflicts WHERE record_id = ? AND resolved_at IS NULL",
                       arguments: [id.lowercased])
        try db.execute(sql: "DELETE FROM notices_read WHERE record_id = ?", arguments: [id.lowercased])
    }
}
