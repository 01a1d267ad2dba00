import Foundation
import GRDB
import GreenMineShared

/// Small things first (docs/DECISIONS.md, "Field links"): before a push, the never-sent part of the
/// queue is reordered so that an attach whose file the server does not hold yet goes last, and the
/// form data, the submit and every other record's changes go now.
///
/// - Only mutations above `max_seq_sent` move: the server has never seen their seqs, so giving
///   them other numbers from the same gapless range changes nothing it knows.
/// - A deferred attach keeps its `baseVersion` (the server accepts a file attached while the
///   record was editable that arrives after its submit: `Workflow.lateAttachAllowed`), and a
///   later detach of the same file on the same record goes with it.
/// - When the record's submit would fail the data check without the waiting files (a required
///   slot), that record's later changes and those of its children wait too, in their order: a
///   submit is never sent that the server would refuse for a file that is only slow. Kinds that
///   take no late files (evidence, assessment, appeal) keep their family's order the same way.
enum OutboxOrder {
    /// What a reordering did.
    struct Deferral: Equatable {
        /// The first deferred seq: everything below it can be pushed now.
        var firstDeferred: Int
        /// Deferred mutations.
        var count: Int
    }

    /// Reorders the never-sent mutations so that those waiting for `missing` blobs come last.
    /// Returns nil when nothing waits.
    static func deferWaiting(_ db: Database, missing: Set<String>, now: Date) throws -> Deferral? {
        guard !missing.isEmpty else { return nil }
        let sentThrough = try SyncState.maxSeqSent(db)
        let unsent = try OutboxEntry.batch(db, after: sentThrough, limit: Int.max)
        guard !unsent.isEmpty else { return nil }
        let waiting = try waitingSeqs(db, unsent.map(\.mutation), missing: missing, now: now)
        guard !waiting.isEmpty else { return nil }
        let ready = unsent.filter { !waiting.contains($0.seq) }
        let deferred = unsent.filter { waiting.contains($0.seq) }
        let seqs = unsent.map(\.seq)
        let order = ready + deferred
        if order.map(\.seq) != seqs {
            // Renumber through a range above every seq so the primary key never collides.
            let shift = (seqs.last ?? 0) + 1
            try db.execute(sql: "UPDATE outbox SET seq = seq + ? WHERE seq > ?", arguments: [shift, sentThrough])
            for (entry, seq) in zip(order, seqs) {
                var moved = entry
                moved.mutation.seq = seq
                try db.execute(sql: "DELETE FROM outbox WHERE seq = ?", arguments: [entry.seq + shift])
                try moved.insert(db)
            }
        }
        return Deferral(firstDeferred: seqs[ready.count], count: deferred.count)
    }

    /// The kinds whose files may arrive after their submit (`Workflow.lateAttachAllowed`). For
    /// the others (evidence, assessment, appeal) a waiting attach holds every later change of its
    /// record, its parent and their children: an assessor's report waits with the assessment's submit.
    static let lateAttachKinds: Set<RecordKind> = [.preApplication, .application]

    /// The seqs that wait: attaches of missing blobs, detaches of the same files after them, and
    /// — where the record's submit needs those files, or its kind takes no late files — the
    /// record's later mutations and those of its family.
    static func waitingSeqs(_ db: Database, _ mutations: [Mutation], missing: Set<String>,
                            now: Date) throws -> Set<Int> {
        var waiting: Set<Int> = []
        var heldRecords: [UUID: Int] = [:] // record → seq from which all its mutations wait
        // A record deleted later in the queue: its attaches stay where they are (the server answers
        // blob_missing, and the attach is dropped with the record), nothing waits for its files.
        let deleted = Set(mutations.filter { $0.op == .delete }.map(\.recordId))
        var parents: [UUID: UUID?] = [:]
        func parentId(_ mutation: Mutation) throws -> UUID? {
            if let parent = mutation.parentId { return parent }
            if let known = parents[mutation.recordId] { return known }
            let found = try LocalRecord.find(db, mutation.recordId)?.parentId
            parents[mutation.recordId] = found
            return found
        }
        var waitingFiles: [UUID: [MutationAttachment]] = [:]
        for mutation in mutations {
            if let from = heldRecords[mutation.recordId], mutation.seq >= from {
                waiting.insert(mutation.seq)
                continue
            }
            if let parent = try parentId(mutation), let from = heldRecords[parent], mutation.seq >= from {
                waiting.insert(mutation.seq)
                heldRecords[mutation.recordId] = min(heldRecords[mutation.recordId] ?? mutation.seq, mutation.seq)
                continue
            }
            guard let file = mutation.attachment else {
                if mutation.op == .transition, mutation.transition == .submit,
                   let files = waitingFiles[mutation.recordId],
                   try needsFiles(db, mutation.recordId, files, now: now) {
                    waiting.insert(mutation.seq)
                    heldRecords[mutation.recordId] = mutation.seq
                }
                continue
            }
            let sameFileWaits = waitingFiles[mutation.recordId]?.contains {
                $0.slot == file.slot && $0.sha256 == file.sha256
            } ?? false
            if mutation.op == .attach, missing.contains(file.sha256), !deleted.contains(mutation.recordId) {
                waiting.insert(mutation.seq)
                if Self.lateAttachKinds.contains(mutation.kind) {
                    waitingFiles[mutation.recordId, default: []].append(file)
                } else {
                    // No late attach for this kind: the record's family keeps its order.
                    heldRecords[mutation.recordId] = heldRecords[mutation.recordId] ?? mutation.seq
                    if let parent = try parentId(mutation) {
                        heldRecords[parent] = heldRecords[parent] ?? mutation.seq
                    }
                }
            } else if mutation.op == .detach, sameFileWaits {
                waiting.insert(mutation.seq)
            }
        }
        return waiting
    }

    /// True when the record, as the user made it, passes the data check but fails it without `files`.
    static func needsFiles(_ db: Database, _ id: UUID, _ files: [MutationAttachment], now: Date) throws -> Bool {
        guard let local = try LocalRecord.find(db, id) else { return false }
        var without = local.working
        without.attachments.removeAll { attachment in
            files.contains { $0.slot == attachment.slot && $0.sha256 == attachment.sha256 }
        }
        let context = DataCheckContext(now: now)
        return DataCheck.passes(DataCheck.run(local.working, context: context))
            && !DataCheck.passes(DataCheck.run(without, context: context))
    }
}
