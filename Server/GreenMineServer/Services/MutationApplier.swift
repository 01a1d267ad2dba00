import Foundation
import GreenMineShared

/// A permanent refusal of one mutation; it becomes a `rejected` result and the queue moves on.
struct Refusal: Error {
    var detail: APIErrorDetail

    init(_ violation: RuleViolation, findings: [Finding]? = nil) {
        detail = APIErrorDetail(violation, findings: findings)
    }

    init(code: String, en: String, zh: String) {
        detail = APIErrorDetail(code: code, message: en, messageZh: zh)
    }
}

/// Applies one mutation inside a push transaction: create, patch (with the merge rule), delete,
/// transition (strict, through the Shared workflow table), attach and detach (set operations).
struct MutationApplier {
    let tx: any RecordTransaction
    let user: AuthenticatedUser
    let clientId: UUID
    let now: Date
    let regions: RegionTable
    let signer: CertificateSigner
    /// Makes ids for records the server creates (certificates).
    let environmentId: @Sendable () -> UUID

    var actor: Actor { user.actor }

    /// The result of a mutation; refusals become `rejected`, storage failures throw.
    func apply(_ mutation: Mutation) async throws -> MutationResult {
        do {
            switch mutation.op {
            case .create: return try await create(mutation)
            case .patch: return try await patch(mutation)
            case .delete: return try await delete(mutation)
            // A transition writes the record, then its consequences (a certificate, an upheld appeal's
            // effect on the appealed record), which can still be refused: a savepoint undoes all of it.
            // The other operations refuse before their first write (a savepoint costs ~10 µs each).
            case .transition: return try await tx.undoingOnError { try await transition(mutation) }
            case .attach: return try await attach(mutation)
            case .detach: return try await detach(mutation)
            }
        } catch let refusal as Refusal {
            return MutationResult(seq: mutation.seq, status: .rejected, error: refusal.detail)
        }
    }

    // MARK: create

    func create(_ mutation: Mutation) async throws -> MutationResult {
        if mutation.kind == .profile, let stored = try await tx.record(mutation.recordId), stored.record.kind == .profile,
           stored.record.fields[WorkflowFields.owner]?.string == user.info.id {
            // The user's one profile (`ProfileIdentity`) made on a second device before it synced:
            // its fields are a change of the same record (issue 14).
            var change = mutation
            change.op = .patch
            change.baseVersion = stored.record.version
            return try await patch(change)
        }
        if try await tx.exists(mutation.recordId) {
            throw Refusal(code: "already_exists", en: "a record with this id already exists",
                          zh: "该记录标识已存在")
        }
        if let violation = CreationRules.violation(creating: mutation.kind, role: actor.role) {
            throw Refusal(violation)
        }
        if mutation.kind == .profile, try await tx.ownedRecordExists(kind: .profile, ownerUser: user.info.id) {
            throw Refusal(code: "profile_exists", en: "you already have a profile; change it instead",
                          zh: "个人资料已存在，请直接修改")
        }
        let parent = try await parentForCreate(mutation)
        var fields: [String: JSONValue] = [:]
        for (path, value) in try validated(mutation.set ?? [:], kind: mutation.kind) where value != .null {
            fields[path] = value
        }
        if mutation.kind == .profile || mutation.kind == .notice {
            fields[WorkflowFields.owner] = .string(user.info.id)
        }
        if mutation.kind == .assessment, let agency = parent?.fields[WorkflowFields.agency] {
            // Whose assessment it is: it counts only while the application stays with that agency.
            fields[WorkflowFields.agency] = agency
        }
        var record = Record(
            id: mutation.recordId, kind: mutation.kind, version: 1,
            state: mutation.kind == .notice ? .approved : .draft,
            orgId: [.preApplication, .application, .evidence, .appeal].contains(mutation.kind) ? actor.orgId : nil,
            region: nil, parentId: mutation.parentId, fields: fields, updatedAt: now, updatedBy: user.info.id)
        record.region = region(of: record, parent: parent)
        if record.kind == .notice, let violation = NoticeScope.scope(&record, by: actor, regions: regions) {
            throw Refusal(violation)
        }
        if let violation = Workflow.editViolation(by: actor, on: WorkflowSubject(record: record, parent: parent),
                                                  regions: regions) {
            throw Refusal(violation)
        }
        try await save(record, parent: parent, creator: clientId, changed: ["@created"] + fields.keys.sorted())
        try await audit(record, mutation, action: "create", from: nil)
        return MutationResult(seq: mutation.seq, status: .applied, record: record)
    }

    private func parentForCreate(_ mutation: Mutation) async throws -> Record? {
        let needsParent: Set<RecordKind> = [.evidence, .assessment, .appeal]
        guard let parentId = mutation.parentId else {
            if needsParent.contains(mutation.kind) {
                throw Refusal(code: "parent_required", en: "\(mutation.kind.englishWithArticle) needs a parent record",
                              zh: "\(mutation.kind.label.zh)必须指定所属记录")
            }
            return nil
        }
        guard let parent = try await tx.visibleRecord(parentId, to: user)?.record else {
            throw Refusal(code: "parent_not_found", en: "the parent record does not exist or is not visible to you",
                          zh: "所属记录不存在或无权查看")
        }
        switch mutation.kind {
        case .evidence, .assessment:
            guard parent.kind == .application else { throw wrongParent(mutation.kind) }
        case .appeal:
            if let violation = AppealRules.violation(parent: parent) { throw Refusal(violation) }
            if let open = try await tx.children(of: parent.id, kind: .appeal).first(where: { AppealRules.openStates.contains($0.state) }) {
                throw Refusal(AppealRules.alreadyOpen(open))
            }
        case .application:
            guard parent.kind == .preApplication else { throw wrongParent(mutation.kind) }
        default:
            throw wrongParent(mutation.kind)
        }
        return parent
    }

    private func wrongParent(_ kind: RecordKind) -> Refusal {
        Refusal(code: "parent_kind", en: "that record cannot be the parent of \(kind.englishWithArticle)",
                zh: "该记录不能作为\(kind.label.zh)的所属记录")
    }

    // MARK: patch and delete

    func patch(_ mutation: Mutation) async throws -> MutationResult {
        let stored = try await loadVisible(mutation)
        let parent = try await parentRecord(of: stored.record)
        try checkEditable(stored.record, parent: parent)
        let set = try validated(mutation.set ?? [:], kind: mutation.kind)
        let foreign = try await foreignVersions(stored, base: baseVersion(mutation, stored))
        let outcome = MutationEffect.patch(stored.record, set: set,
                                           foreign: .init(versions: foreign.map(\.changedPaths)),
                                           parentRegion: parent?.region, regions: regions, at: now, by: user.info.id)
        let record = outcome.record
        if !outcome.changed.isEmpty {
            try await save(record, parent: parent, creator: stored.creatorClient, changed: outcome.changed)
            try await audit(record, mutation, action: "patch", from: stored.record.state)
        }
        return MutationResult(seq: mutation.seq, status: outcome.status, record: record,
                              conflicts: outcome.conflicts.isEmpty ? nil : outcome.conflicts)
    }

    func delete(_ mutation: Mutation) async throws -> MutationResult {
        let stored = try await loadVisible(mutation)
        let parent = try await parentRecord(of: stored.record)
        if let violation = Workflow.deleteViolation(by: actor, on: WorkflowSubject(record: stored.record, parent: parent),
                                                    regions: regions) {
            throw Refusal(violation)
        }
        try await refuseIfStale(stored, mutation)
        var record = stored.record
        record.deleted = true
        record = bumped(record)
        try await save(record, parent: parent, creator: stored.creatorClient, changed: ["@deleted"])
        try await audit(record, mutation, action: "delete", from: stored.record.state)
        return MutationResult(seq: mutation.seq, status: .applied, record: record)
    }

    // MARK: shared steps

    /// The record the mutation names, if the user may see it and it is of the stated kind and live.
    func loadVisible(_ mutation: Mutation) async throws -> StoredRecord {
        guard let stored = try await tx.visibleRecord(mutation.recordId, to: user) else {
            // Withdrawn tells a reviewer why a record it saw went away; a draft never submitted is
            // not to be known to exist at all.
            if let hidden = try await tx.record(mutation.recordId)?.record, hidden.state == .draft, !hidden.deleted,
               actor.role != .enterprise, WorkflowTable.reviewedKinds.contains(hidden.kind), try await tx.wasUnderReview(hidden.id),
               Workflow.scopeViolation(actor: actor, subject: WorkflowSubject(record: hidden), regions: regions) == nil {
                throw Refusal(code: "withdrawn", en: "the enterprise has withdrawn this record; it is no longer under review",
                              zh: "企业已撤回该记录，无法继续审核")
            }
            throw Refusal(code: "not_found", en: "no such record, or you may not see it", zh: "记录不存在或无权查看")
        }
        guard stored.record.kind == mutation.kind else {
            throw Refusal(code: "kind_mismatch",
                          en: "the record is a \(stored.record.kind.rawValue), not a \(mutation.kind.rawValue)",
                          zh: "记录类型不符")
        }
        guard !stored.record.deleted else {
            throw Refusal(code: "deleted", en: "the record has been deleted", zh: "该记录已删除")
        }
        return stored
    }

    func parentRecord(of record: Record) async throws -> Record? {
        guard let parentId = record.parentId, record.kind != .application else { return nil }
        return try await tx.record(parentId)?.record
    }

    func checkEditable(_ record: Record, parent: Record?) throws {
        if let violation = Workflow.editViolation(by: actor, on: WorkflowSubject(record: record, parent: parent),
                                                  regions: regions) {
            throw Refusal(violation)
        }
    }

    /// The version the mutation was made on: its `baseVersion`, or the creation when this client
    /// created the record and queued the change before it had a server version.
    func baseVersion(_ mutation: Mutation, _ stored: StoredRecord) throws -> Int {
        if let base = mutation.baseVersion, base > 0 {
            guard base <= stored.record.version else {
                throw Refusal(code: "bad_base_version",
                              en: "baseVersion \(base) is newer than the record's version \(stored.record.version)",
                              zh: "baseVersion 大于记录当前版本")
            }
            return base
        }
        if stored.creatorClient == clientId { return 1 }
        throw Refusal(code: "base_version_required", en: "a change to an existing record needs its baseVersion",
                      zh: "修改已有记录须提供 baseVersion")
    }

    /// Versions after `base` made by anyone but this client.
    func foreignVersions(_ stored: StoredRecord, base: Int) async throws -> [VersionInfo] {
        guard base < stored.record.version else { return [] }
        return try await tx.versions(of: stored.record.id, after: base).filter { $0.clientId != clientId }
    }

    func refuseIfStale(_ stored: StoredRecord, _ mutation: Mutation) async throws {
        let foreign = try await foreignVersions(stored, base: baseVersion(mutation, stored))
        guard let first = foreign.first else { return }
        // A reviewer (or another device) moved the record on: say where it is now, since trying
        // again after a sync would not help (e.g. a withdrawal after the province accepted).
        if let transition = mutation.transition, let moved = foreign.last(where: { $0.changedPaths.contains("@state") }) {
            let state = stored.record.state.label
            throw Refusal(code: "stale",
                          en: "after you last saw this record, someone else moved it to \(state.en) (version \(moved.version)), so your \(transition.label.en) was not applied; sync to see where it stands",
                          zh: "在您上次同步之后，他人已将该记录变为“\(state.zh)”（版本 \(moved.version)），您的“\(transition.label.zh)”未执行；请先同步查看最新状态")
        }
        throw Refusal(code: "stale",
                      en: "someone else changed this record (version \(first.version)) after you last saw it; sync and try again",
                      zh: "在您上次同步之后，他人已修改该记录（版本 \(first.version)），请先同步再操作")
    }

    /// Checks every path and value a mutation sets: known to the kind's form, not kept by the server,
    /// and of the field's type. Format and bounds are left to the data check, so drafts may be incomplete.
    func validated(_ set: [String: JSONValue], kind: RecordKind) throws -> [String: JSONValue] {
        for (path, value) in set {
            if WorkflowFields.isServerManaged(path) {
                throw Refusal(code: "field_server_managed", en: "\(path) is kept by the server and cannot be set",
                              zh: "\(path) 由服务器维护，不能修改")
            }
            if kind == .assessment, let violation = Self.scoreViolation(path, value) {
                throw Refusal(violation)
            }
            if kind == .assessment, path.hasPrefix("scores.") || path.hasPrefix("prerequisites.") { continue }
            guard let field = FormSchema.field(path, kind: kind) else {
                throw Refusal(code: "unknown_field", en: "the \(kind.label.en) form has no field \(path)",
                              zh: "\(kind.label.zh)表单中没有字段 \(path)")
            }
            if let violation = FieldRules.typeViolation(of: value, for: field) {
                throw Refusal(RuleViolation(code: "invalid_field", message: violation.message))
            }
            if let text = value.string, text.count > 100_000 {
                throw Refusal(code: "invalid_field", en: "\(path) is too long", zh: "\(path) 内容过长")
            }
        }
        return set
    }

    static func scoreViolation(_ path: String, _ value: JSONValue) -> RuleViolation? {
        if path.hasPrefix("scores."), value != .null, value.number == nil {
            return RuleViolation(code: "invalid_field", zh: "\(path) 应为分数", en: "\(path) must be a number of points")
        }
        if path.hasPrefix("prerequisites."), value != .null, value.bool == nil {
            return RuleViolation(code: "invalid_field", zh: "\(path) 应为是或否", en: "\(path) must be true or false")
        }
        return nil
    }

    func region(of record: Record, parent: Record?) -> String? {
        MutationEffect.region(of: record, parentRegion: parent?.region, regions: regions)
    }

    func bumped(_ record: Record) -> Record {
        MutationEffect.stamped(record, at: now, by: user.info.id)
    }

    func save(_ record: Record, parent: Record?, creator: UUID?, changed: [String]) async throws {
        try await tx.save(StoredRecord(record: record, creatorClient: creator), parent: parent, changedPaths: changed,
                    userId: user.info.id, clientId: clientId, at: now)
    }

    func audit(_ record: Record, _ mutation: Mutation, action: String, from: RecordState?,
               comment: String? = nil) async throws {
        try await tx.audit(AuditEntry(recordId: record.id, action: action, actor: user, serverTime: now,
                                deviceTime: mutation.deviceTime, fromState: from, toState: record.state,
                                version: record.version, comment: comment ?? mutation.comment))
    }
}
