import Foundation
import GRDB
import GreenMineShared

extension Workspace {
    /// Attaches files to a record offline: checks the shared rules, copies each file into the blob
    /// store in one streaming pass, and queues one `attach` per new file in one transaction. The
    /// working copy shows the files at once; `sync` uploads them before it pushes.
    public func attach(_ sources: [AttachmentSource], to prefix: String, kinds: [RecordKind], slot: SlotChoice,
                       blobs: BlobStore) throws -> (record: LocalRecord, files: [AttachedFile]) {
        let local = try store.read { db in
            let local = try IdPrefix.record(db, prefix, kinds: kinds)
            try Self.requireEditable(db, local, user: user)
            return local
        }
        let prepared = try AttachmentPreparation.prepare(sources, kind: local.kind, existing: local.working.attachments,
                                                         slot: slot, blobs: blobs)
        let placed = try AttachmentPreparation.place(prepared, blobs: blobs)
        let now = now()
        return try AttachmentPreparation.recording(placed, blobs: blobs, store: store) {
            try store.write { db in
                let files = try AttachmentPreparation.queue(db, prepared, on: local.id, user: user, now: now)
                guard let updated = try LocalRecord.find(db, local.id) else {
                    throw StoreError.corrupt(what: "record \(local.id.lowercased)", reason: "vanished")
                }
                return (updated, files)
            }
        }
    }

    /// Removes a file from a record offline (by its name as given, or a prefix of its SHA-256):
    /// queues a `detach`. The copy stays in the blob store.
    public func detach(_ file: String, from prefix: String) throws -> (record: LocalRecord, file: AttachmentRef) {
        let now = now()
        return try store.write { db in
            let local = try IdPrefix.record(db, prefix)
            let ref = try AttachmentMatch.one(file, in: local.working.attachments)
            try Self.requireEditable(db, local, user: user)
            let named = MutationAttachment(slot: ref.slot, sha256: ref.sha256)
            try MutationQueue.queue(db, PendingChange(op: .detach, attachment: named), on: local, now: now)
            guard let updated = try LocalRecord.find(db, local.id) else {
                throw StoreError.corrupt(what: "record \(local.id.lowercased)", reason: "vanished")
            }
            return (updated, ref)
        }
    }

    /// A record's files with where each one stands: queued or on the server, the bytes already
    /// uploaded, and whether the blob store holds a copy.
    public func attachments(of prefix: String, blobs: BlobStore) throws -> AttachmentListing {
        try store.read { db in
            let local = try IdPrefix.record(db, prefix)
            let queued = try OutboxEntry.pending(db, recordId: local.id).map(\.mutation)
                .filter { $0.op == .attach }.compactMap(\.attachment)
            let uploads = try UploadInProgress.all(db)
            let files = local.working.attachments.map { ref in
                let pending = queued.contains { $0.slot == ref.slot && $0.sha256 == ref.sha256 }
                return AttachmentListing.File(
                    slot: ref.slot, name: ref.name, size: ref.size, mime: ref.mime, sha256: ref.sha256,
                    status: pending ? .pending : .uploaded,
                    uploadedBytes: pending ? uploads[ref.sha256]?.offset : nil,
                    local: blobs.contains(ref.sha256, size: ref.size))
            }
            return AttachmentListing(recordId: local.id, kind: local.kind, state: local.working.state, files: files)
        }
    }

    /// The attachment of a record named by `file` (name as given, or SHA-256 prefix), for `get`.
    public func attachment(_ file: String, of prefix: String) throws -> (record: LocalRecord, file: AttachmentRef) {
        try store.read { db in
            let local = try IdPrefix.record(db, prefix)
            return (local, try AttachmentMatch.one(file, in: local.working.attachments))
        }
    }
}
