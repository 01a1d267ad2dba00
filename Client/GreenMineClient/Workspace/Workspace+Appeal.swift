import Foundation
import GRDB
import GreenMineShared

/// One line of `appeal list`.
public struct AppealListItem: Codable, Sendable, Hashable {
    public var id: UUID
    public var state: RecordState
    public var reason: String?
    /// The record appealed, its kind and state as this device last saw them.
    public var appealedId: UUID?
    public var appealedKind: RecordKind?
    public var appealedState: RecordState?
    public var mineName: String?
    public var files: Int
    public var pendingChanges: Int
    public var updatedAt: Date?
}

extension Workspace {
    /// 在线申诉: a new appeal on a rejected or removed pre-application or application, with its
    /// files, submitted at once — the creation, each attach and the submit queued in one transaction.
    public func fileAppeal(on prefix: String, reason: String, sources: [AttachmentSource] = [],
                           blobs: BlobStore) throws -> (appeal: LocalRecord, files: [AttachedFile]) {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        let fields: [String: JSONValue] = ["appeal.reason": .string(reason)]
        let parent = try store.read { db in
            let parent = try IdPrefix.record(db, prefix, kinds: [.preApplication, .application])
            try requireCanAppeal(db, parent, fields: fields)
            return parent
        }
        let prepared = sources.isEmpty ? [] : try AttachmentPreparation.prepare(
            sources, kind: .appeal, existing: [], slot: .byContent(.appeal), blobs: blobs)
        let placed = try AttachmentPreparation.place(prepared, blobs: blobs)
        let id = makeUUID()
        let now = now()
        return try AttachmentPreparation.recording(placed, blobs: blobs, store: store) {
            try store.write { db in
                guard let current = try LocalRecord.find(db, parent.id), !current.working.deleted else {
                    throw ClientError(code: "unknown_id", zh: "记录 \(parent.id.lowercased) 已不存在",
                                      en: "the record \(parent.id.lowercased) no longer exists")
                }
                try requireCanAppeal(db, current, fields: fields)
                try requireCreatable(.appeal)
                _ = try MutationQueue.create(db, id: id, kind: .appeal, orgId: user.orgId, parentId: current.id,
                                             fields: fields, now: now)
                let files = try AttachmentPreparation.queue(db, prepared, on: id, user: user, now: now)
                guard let created = try LocalRecord.find(db, id) else {
                    throw StoreError.corrupt(what: "record \(id.lowercased)", reason: "vanished while being created")
                }
                try MutationQueue.queue(db, PendingChange(op: .transition, transition: .submit), on: created, now: now)
                guard let submitted = try LocalRecord.find(db, id) else {
                    throw StoreError.corrupt(what: "record \(id.lowercased)", reason: "vanished while being submitted")
                }
                return (submitted, files)
            }
        }
    }

    /// The appeals in this store, newest first.
    public func appealListing() throws -> [AppealListItem] {
        try store.read { db in
            let pending = try Self.pendingCounts(db)
            return try LocalRecord.all(db, kind: .appeal).map { local in
                let parent = try local.parentId.flatMap { try LocalRecord.find(db, $0) }
                return AppealListItem(
                    id: local.id, state: local.working.state, reason: local.working.text("appeal.reason"),
                    appealedId: local.parentId, appealedKind: parent?.kind, appealedState: parent?.working.state,
                    mineName: parent?.working.text("basic.mineName"), files: local.working.attachments.count,
                    pendingChanges: pending[local.id.lowercased] ?? 0, updatedAt: local.working.updatedAt)
            }
        }
    }

    /// Refuses unless this user may appeal `parent` now with these fields: the shared appeal rule
    /// (a rejected or removed pre-application or application), the enterprise's own record, no
    /// appeal of it still open, and the appeal's submit decided by the workflow with its data check.
    private func requireCanAppeal(_ db: Database, _ parent: LocalRecord, fields: [String: JSONValue]) throws {
        var appeal = Record(id: parent.id, kind: .appeal, orgId: user.orgId, region: parent.working.region,
                            parentId: parent.id, fields: fields)
        appeal.state = .draft
        if let violation = Workflow.editViolation(by: actor, on: WorkflowSubject(record: appeal, parent: parent.working)) {
            throw ClientError(violation)
        }
        if let violation = Workflow.scopeViolation(actor: actor, subject: WorkflowSubject(record: parent.working)) {
            throw ClientError(violation)
        }
        if let violation = AppealRules.violation(parent: parent.working) { throw ClientError(violation) }
        if let existing = try RecordChildren.of(db, parent.id, kind: .appeal)
            .first(where: { AppealRules.openStates.contains($0.working.state) }) {
            throw ClientError(AppealRules.alreadyOpen(existing.working))
        }
        let findings = DataCheck.run(appeal, context: checkContext())
        let decision = Workflow.decide(.submit, by: actor, on: WorkflowSubject(record: appeal, parent: parent.working),
                                       facts: WorkflowFacts(dataCheckFindings: findings))
        if let violation = decision.violation {
            throw ClientError(violation, details: findings.filter { $0.severity == .error }.map {
                LocalizedText(zh: "\($0.path)：\($0.message.zh)", en: "\($0.path): \($0.message.en)")
            })
        }
    }
}
