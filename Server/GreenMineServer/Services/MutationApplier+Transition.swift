import Foundation
import GreenMineShared

extension MutationApplier {
    /// Fires a workflow transition: strict (refused as `stale` after a foreign version), decided by the
    /// Shared workflow table, with the data check and the assessment rules as its preconditions.
    func transition(_ mutation: Mutation) async throws -> MutationResult {
        guard let transition = mutation.transition else {
            throw Refusal(code: "transition_missing", en: "a transition mutation must name its transition",
                          zh: "缺少要执行的操作")
        }
        let stored = try await loadVisible(mutation)
        let parent = try await parentRecord(of: stored.record)
        try await refuseIfStale(stored, mutation)
        var record = stored.record
        var changed = ["@state"]
        if transition == .submit, [.preApplication, .application].contains(record.kind) {
            // The registry decides the licence, its holder and its region; its fields are its own.
            for (path, value) in try await registryChecked(record) where record.fields[path] != value {
                record.fields[path] = value
                changed.append(path)
            }
        }
        let facts = try await facts(for: transition, on: record)
        let decision = Workflow.decide(transition, by: actor, on: WorkflowSubject(record: record, parent: parent),
                                       comment: mutation.comment, agency: mutation.agency, facts: facts,
                                       regions: regions)
        let target: RecordState?
        switch decision {
        case .refused(let violation):
            let findings = violation.code == "data_check_failed" ? facts.dataCheckFindings : nil
            throw Refusal(violation, findings: findings)
        case .allowed(let to):
            target = to
        }
        var next = record
        if let target { next.state = target }
        if transition == .assign, let named = mutation.agency,
           let agency = AgencyRules.resolve(named, among: facts.agencies ?? []) {
            // The agency's name, whether the province typed its name or its code.
            next.fields[WorkflowFields.agency] = .string(agency.name)
            changed.append(WorkflowFields.agency)
            if next.fields[WorkflowFields.catalogue] == nil {
                // The catalogue in force now is the one this application is scored against, whatever
                // is imported later (and whichever agency it is assigned to again).
                next.fields[WorkflowFields.catalogue] = .string(try await tx.catalogueInForce() ?? Catalogue.sample.id)
                changed.append(WorkflowFields.catalogue)
            }
        }
        next = bumped(next)
        // The step travels with the record (issue 14): the reason of a return is readable offline.
        try ProcessTrail.append(HistoryEvent(
            seq: 0, recordId: next.id, action: transition.rawValue, actorId: user.info.id, actorName: user.info.username,
            role: actor.role, orgId: actor.orgId, serverTime: now, deviceTime: mutation.deviceTime,
            fromState: stored.record.state, toState: next.state, version: next.version, comment: mutation.comment),
            to: &next)
        changed.append(ProcessTrail.path)
        try await save(next, parent: parent, creator: stored.creatorClient, changed: changed)
        try await audit(next, mutation, action: transition.rawValue, from: stored.record.state)
        if transition == .approve, next.kind == .application {
            try await issueCertificate(for: next, mutation: mutation)
        }
        if transition == .remove {
            try await revokeCertificates(of: next, reason: mutation.comment, mutation: mutation)
        }
        if transition == .approve, next.kind == .appeal, let parent {
            try await uphold(next, on: parent, mutation: mutation)
        }
        if next.state != record.state || transition == .assign {
            try await tx.touchChildren(of: next, at: now)
        }
        return MutationResult(seq: mutation.seq, status: .applied, record: next)
    }

    /// The registry's values of the record's registry-backed fields, once the licence is known, held
    /// by the submitting organisation, valid today, and the region lies inside its registered region
    /// and the organisation's province (`LicenceRules`); refused otherwise.
    func registryChecked(_ record: Record) async throws -> [String: JSONValue] {
        let number = record.text(FormSchema.licencePath) ?? ""
        let licence = number.isEmpty ? nil : try await tx.licence(number)
        if let violation = LicenceRules.submitViolation(number: number, licence: licence, orgId: record.orgId,
                                                        today: now) {
            throw Refusal(violation)
        }
        guard let licence else { return [:] }
        if let region = record.text("basic.region"),
           let violation = LicenceRules.regionViolation(region: region, licence: licence, orgRegion: user.orgRegion,
                                                         regions: regions) {
            throw Refusal(violation)
        }
        return LicenceRules.registryFields(licence, kind: record.kind)
    }

    /// True when the first change of state after `base` is a submit by this client: the device that
    /// attached the file on the draft is the one that submitted it (another device's stale draft
    /// cannot add files to a record under review).
    func submittedBySameClient(_ id: UUID, after base: Int) async throws -> Bool {
        guard let change = try await tx.versions(of: id, after: base).first(where: { $0.changedPaths.contains("@state") }),
              change.clientId == clientId else { return false }
        return try await tx.snapshot(of: id, version: change.version)?.state == .submitted
    }

    /// An upheld appeal changes the record it appeals (`AppealRules.outcomeOfUpholding`): a rejected
    /// record is returned to the enterprise; a removed application is listed again with a new
    /// certificate (the revoked one stays revoked). Audited on that record as `upholdAppeal`.
    func uphold(_ appeal: Record, on appealed: Record, mutation: Mutation) async throws {
        guard let current = try await tx.record(appealed.id), let target = AppealRules.outcomeOfUpholding(current.record)
        else { return }
        var next = current.record
        next.state = target
        next = bumped(next)
        let grandparent = try await parentRecord(of: next)
        try await tx.save(StoredRecord(record: next, creatorClient: current.creatorClient), parent: grandparent,
                    changedPaths: ["@state"], userId: user.info.id, clientId: clientId, at: now)
        try await audit(next, mutation, action: "upholdAppeal", from: current.record.state,
                  comment: mutation.comment ?? appeal.text("appeal.reason"))
        if target == .approved, next.kind == .application {
            try await issueCertificate(for: next, mutation: mutation)
        }
        try await tx.touchChildren(of: next, at: now)
    }

    /// The facts the transition's preconditions need, computed only when needed.
    func facts(for transition: Transition, on record: Record) async throws -> WorkflowFacts {
        guard let rule = WorkflowTable.rule(transition, kind: record.kind) else { return WorkflowFacts() }
        var facts = WorkflowFacts()
        if rule.preconditions.contains(.agencyNamed) {
            facts.agencies = try await tx.agencies()
        }
        if rule.preconditions.contains(.dataCheckPasses) {
            facts.dataCheckFindings = DataCheck.run(record, context: DataCheckContext(now: now, regions: regions))
        }
        if rule.preconditions.contains(.approvedPreApplication), let licence = record.text(FormSchema.licencePath),
           let org = record.orgId {
            facts.approvedPreApplicationExists = try await tx.approvedPreApplicationExists(licence: licence, orgId: org)
        }
        if rule.preconditions.contains(.assessmentRecorded) || rule.preconditions.contains(.assessmentPasses) {
            let assessments = try await tx.children(of: record.id, kind: .assessment)
                .filter { AgencyRules.counts($0, for: record) }
                .sorted { ($0.updatedAt ?? .distantPast) < ($1.updatedAt ?? .distantPast) }
            if let assessment = assessments.last {
                let catalogue = try await catalogue(forApplication: record, assessment: assessment)
                let sheet = AssessmentSheet.scoresheet(of: assessment)
                facts.assessmentRecorded = AssessmentSheet.isComplete(sheet, catalogue: catalogue)
                facts.assessmentFailures = catalogue.score(sheet).reasons
                facts.assessmentFindings = [DataCheck.reportFinding(assessment, catalogue)].compactMap { $0 }
            }
        }
        return facts
    }

    /// The catalogue an application is scored against (`CatalogueRecord.id(forApplication:…)`); a
    /// catalogue the server does not hold is refused rather than replaced by another.
    func catalogue(forApplication application: Record, assessment: Record?) async throws -> Catalogue {
        let id = CatalogueRecord.id(forApplication: application, assessment: assessment,
                                    inForce: try await tx.catalogueInForce() ?? Catalogue.sample.id)
        if id == Catalogue.sample.id { return Catalogue.sample }
        guard let imported = try await tx.catalogue(id) else {
            throw Refusal(code: "catalogue_unknown", en: "the server holds no indicator catalogue '\(id)'",
                          zh: "服务器没有评价指标体系“\(id)”")
        }
        return imported
    }

    // MARK: attachments

    /// Adds (slot, sha256) to the record's set of files once the server holds the verified blob.
    /// A file the user attached while the record was editable may arrive after the submit
    /// (`Workflow.lateAttachAllowed`): such an attach is audited with a "late" comment.
    func attach(_ mutation: Mutation) async throws -> MutationResult {
        let (stored, parent, file, late) = try await attachmentTarget(mutation, allowingLate: true)
        let foreign = try await foreignVersions(stored, base: baseVersion(mutation, stored))
        let status: MutationStatus = foreign.isEmpty ? .applied : .merged
        let record = stored.record
        if record.attachment(slot: file.slot, sha256: file.sha256) != nil {
            return MutationResult(seq: mutation.seq, status: status, record: record)
        }
        guard let blob = try await tx.attachableBlob(file.sha256, by: user) else {
            throw Refusal(code: "blob_missing", en: "the server does not hold this file yet: upload it, then retry",
                          zh: "服务器尚未收到该文件，请先上传后重试")
        }
        let name = String((file.name ?? file.sha256).prefix(255))
        if let violation = AttachmentRules.check(slot: file.slot, kind: record.kind, sha256: blob.sha256,
                                                 size: blob.size, type: ContentType(mime: blob.mime), name: name,
                                                 existing: record.attachments) {
            throw Refusal(RuleViolation(code: "attachment_rule", message: violation.message))
        }
        guard var next = MutationEffect.attaching(AttachmentRef(slot: file.slot, sha256: blob.sha256, size: blob.size,
                                                                mime: blob.mime, name: name), to: record) else {
            return MutationResult(seq: mutation.seq, status: status, record: record)
        }
        next = bumped(next)
        try await save(next, parent: parent, creator: stored.creatorClient, changed: ["@attachments"])
        let comment = mutation.comment ?? name
        try await audit(next, mutation, action: "attach", from: record.state, comment: late.map {
            "\(comment) (late: attached at version \($0.version) while \($0.state.rawValue), arrived after the submit)"
        } ?? comment)
        return MutationResult(seq: mutation.seq, status: status, record: next)
    }

    /// Removes (slot, sha256) from the record's set of files; removing what is absent changes nothing.
    func detach(_ mutation: Mutation) async throws -> MutationResult {
        let (stored, parent, file, _) = try await attachmentTarget(mutation, allowingLate: false)
        let foreign = try await foreignVersions(stored, base: baseVersion(mutation, stored))
        let status: MutationStatus = foreign.isEmpty ? .applied : .merged
        let record = stored.record
        guard let (detached, removed) = MutationEffect.detaching(slot: file.slot, sha256: file.sha256, from: record) else {
            return MutationResult(seq: mutation.seq, status: status, record: record)
        }
        let next = bumped(detached)
        try await save(next, parent: parent, creator: stored.creatorClient, changed: ["@attachments"])
        try await audit(next, mutation, action: "detach", from: record.state, comment: mutation.comment ?? removed.name)
        return MutationResult(seq: mutation.seq, status: status, record: next)
    }

    /// The record, its parent and the file a mutation names, once the user may change its files; with
    /// `allowingLate`, also the base version and its state when only the late-attach rule allows it.
    private func attachmentTarget(_ mutation: Mutation, allowingLate: Bool) async throws
        -> (StoredRecord, Record?, MutationAttachment, (version: Int, state: RecordState)?) {
        guard var file = mutation.attachment else {
            throw Refusal(code: "attachment_missing", en: "an attach or detach must name the file",
                          zh: "缺少附件信息")
        }
        file.sha256 = file.sha256.lowercased()
        guard file.sha256.count == 64, file.sha256.allSatisfy(\.isHexDigit) else {
            throw Refusal(code: "bad_sha256", en: "sha256 must be 64 hexadecimal characters",
                          zh: "sha256 须为 64 位十六进制字符")
        }
        let stored = try await loadVisible(mutation)
        let parent = try await parentRecord(of: stored.record)
        let subject = WorkflowSubject(record: stored.record, parent: parent)
        guard let violation = Workflow.editViolation(by: actor, on: subject, regions: regions) else {
            return (stored, parent, file, nil)
        }
        // Only the bytes came late: the attach was made on a version that could be edited.
        // A record created offline and never pulled has no baseVersion: its creator's base is 1 (a draft).
        if allowingLate, let base = try? baseVersion(mutation, stored), base < stored.record.version,
           let then = try await tx.snapshot(of: stored.record.id, version: base),
           Workflow.lateAttachAllowed(by: actor, on: subject, stateAtBase: then.state, regions: regions),
           try await submittedBySameClient(stored.record.id, after: base) {
            return (stored, parent, file, (base, then.state))
        }
        throw Refusal(violation)
    }
}
