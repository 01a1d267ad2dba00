import Foundation
import GRDB
import GreenMineShared

/// The checks and copies before an attach is committed: every file probed and refused by the
/// shared rules before anything is copied, then each copied in one streaming pass and checked
/// again on what was actually read. A refusal removes every copy made and queues nothing.
enum AttachmentPreparation {
    /// Probes, checks and copies `sources` for a record of `kind` that already has `existing`.
    static func prepare(_ sources: [AttachmentSource], kind: RecordKind, existing: [AttachmentRef],
                        slot choice: SlotChoice, blobs: BlobStore) throws -> [PreparedFile] {
        // Refuse on size and type first: a 100 MB + 1 byte video is refused without being read.
        var planned: [(AttachmentSource, String)] = []
        for source in sources {
            try requireName(source)
            let probe = try FileIngest.probe(source.path, shownAs: source.name)
            let slot = try choice.resolve(probe.type, name: source.name)
            if let violation = AttachmentRules.check(slot: slot, kind: kind, size: probe.size, type: probe.type,
                                                     name: AttachmentName.visible(source.name), existing: []) {
                throw refusal(violation, source)
            }
            planned.append((source, slot))
        }
        // The slot's room for the whole command, counted before anything is read.
        for slot in Set(planned.map(\.1)).sorted() {
            let adding = Set(planned.filter { $0.1 == slot }.map { $0.0.path.standardizedFileURL.path }).count
            // One file keeps the single-file wording ("already has 10"); several are counted together.
            if adding > 1, let violation = AttachmentRules.checkCount(slot: slot, kind: kind, adding: adding, existing: existing),
               let first = planned.first(where: { $0.1 == slot }) {
                throw refusal(violation, first.0)
            }
        }
        blobs.sweepTemporaries()
        var prepared: [PreparedFile] = []
        do {
            var current = existing
            for (source, slot) in planned {
                let ingested = try FileIngest.copy(source.path, to: try blobs.newTemporaryURL(), shownAs: source.name,
                                                   folder: blobs.homeFolder)
                let file = PreparedFile(source: source, ingested: ingested, slot: slot, type: ingested.type)
                prepared.append(file)
                try check(file, kind: kind, existing: current)
                current.append(file.reference)
            }
        } catch {
            discard(prepared)
            throw error
        }
        return prepared
    }

    /// The shared rules on the bytes as copied, then completeness (a cut-short JPEG or PDF).
    static func check(_ file: PreparedFile, kind: RecordKind, existing: [AttachmentRef]) throws {
        let shown = AttachmentName.visible(file.source.name)
        if let violation = AttachmentRules.check(slot: file.slot, kind: kind, sha256: file.ingested.sha256,
                                                 size: file.ingested.size, type: file.type, name: shown,
                                                 existing: existing) {
            throw refusal(violation, file.source)
        }
        if let type = file.type, !ContentSniffer.isComplete(type, tail: file.ingested.tail) {
            throw refusal(RuleViolation(
                code: "attachment_truncated",
                zh: "文件“\(shown)”的内容是\(type.label.zh)，但不完整（文件被截断），不能作为附件",
                en: "File “\(shown)” is a \(type.label.en) by its content but is cut short (truncated); it cannot be attached"),
                file.source)
        }
    }

    /// Removes the temporary copies of files that will not be committed.
    static func discard(_ files: [PreparedFile]) {
        for file in files {
            try? FileManager.default.removeItem(at: file.ingested.temporary)
        }
    }

    /// Moves the copies into the blob store; returns the hashes of the blobs this call newly
    /// placed (not those already there). When placing fails, every copy is removed and so is every
    /// blob this call placed, so nothing of the command stays behind.
    @discardableResult
    static func place(_ files: [PreparedFile], blobs: BlobStore) throws -> Set<String> {
        var placed: Set<String> = []
        do {
            for file in files {
                if try blobs.promote(file.ingested.temporary, as: file.ingested.sha256) {
                    placed.insert(file.ingested.sha256)
                }
            }
        } catch {
            discard(files)
            placed.forEach(blobs.remove)
            throw error
        }
        return placed
    }

    /// Runs the transaction that records the placed blobs. When it fails (a full disk, a read-only
    /// home, a refused rule), the blobs this command newly placed are removed — unless the store
    /// already records one of them (another command attached the same content meanwhile) — so a
    /// failed attach leaves no orphan file. A blob that was there before is never touched.
    static func recording<T>(_ placed: Set<String>, blobs: BlobStore, store: Store,
                             _ transaction: () throws -> T) throws -> T {
        do {
            return try transaction()
        } catch {
            let known = (try? store.read { db in try placed.filter { try LocalBlob.find(db, $0) != nil } }) ?? placed
            for sha256 in placed.subtracting(known) {
                blobs.remove(sha256)
            }
            throw error
        }
    }

    /// Inside the command's transaction: records each blob and queues an `attach` for each file the
    /// record does not hold yet, checking the rules again against the record as it is now.
    static func queue(_ db: Database, _ files: [PreparedFile], on id: UUID, user: UserInfo,
                      now: Date) throws -> [AttachedFile] {
        var attached: [AttachedFile] = []
        for file in files {
            guard let local = try LocalRecord.find(db, id) else {
                throw StoreError.corrupt(what: "record \(id.lowercased)", reason: "vanished while attaching")
            }
            try Workspace.requireEditable(db, local, user: user)
            try LocalBlob.save(db, LocalBlob(sha256: file.ingested.sha256, size: file.ingested.size, mime: file.mime,
                                             storedAt: now))
            let present = local.working.attachments.contains {
                $0.slot == file.slot && $0.sha256 == file.ingested.sha256
            }
            if !present {
                try check(file, kind: local.kind, existing: local.working.attachments)
                let named = MutationAttachment(slot: file.slot, sha256: file.ingested.sha256, name: file.source.name)
                try MutationQueue.queue(db, PendingChange(op: .attach, attachment: named), on: local, now: now)
            }
            attached.append(AttachedFile(slot: file.slot, name: file.source.name, sha256: file.ingested.sha256,
                                         size: file.ingested.size, mime: file.mime, queued: !present))
        }
        return attached
    }

    private static func requireName(_ source: AttachmentSource) throws {
        guard !source.name.isEmpty else {
            throw ClientError(code: "attachment_name_empty", zh: "附件名称不能为空", en: "the attachment's name must not be empty")
        }
    }

    /// A broken rule as the command's error: the rule's code and message (rule, file, limit), the
    /// file's path, and that nothing was attached.
    static func refusal(_ violation: RuleViolation, _ source: AttachmentSource) -> ClientError {
        ClientError(violation, details: [
            LocalizedText(zh: "文件路径：\(AttachmentName.visible(source.path.path))",
                          en: "file: \(AttachmentName.visible(source.path.path))"),
            LocalizedText(zh: "未添加任何附件。", en: "Nothing was attached."),
        ])
    }
}

extension PreparedFile {
    /// The reference the record gets.
    var reference: AttachmentRef {
        AttachmentRef(slot: slot, sha256: ingested.sha256, size: ingested.size, mime: mime, name: source.name)
    }
}
