import Foundation
import GRDB
import GreenMineShared

extension Workspace {
    /// Records under the review workflow (pre-applications, applications, appeals) in this store,
    /// newest first, optionally only in one state and within one division.
    public func reviewListing(state: RecordState? = nil, region: String? = nil) throws -> [ReviewListItem] {
        try store.read { db in
            let pending = try Self.pendingCounts(db)
            var items: [ReviewListItem] = []
            for kind in [RecordKind.preApplication, .application, .appeal] {
                for local in try LocalRecord.all(db, kind: kind) {
                    var record = local.working
                    if let state, record.state != state { continue }
                    var mine = record
                    if kind == .appeal, let parent = try local.parentId.flatMap({ try LocalRecord.find(db, $0) }) {
                        mine = parent.working
                        if record.region == nil { record.region = mine.region }
                    }
                    if let region {
                        guard let theirs = record.region, RegionTable.standard.contains(region, theirs) else { continue }
                    }
                    let registry = try mine.text(FormSchema.licencePath).flatMap { try LicenceCache.find(db, number: $0) }
                    items.append(ReviewListItem(
                        id: local.id, kind: kind, state: record.state,
                        mineName: mine.text("basic.mineName") ?? registry?.mineName,
                        licenceNumber: mine.text(FormSchema.licencePath),
                        enterprise: Self.holderName(mine, registry: registry), region: record.region,
                        agency: record.text(WorkflowFields.agency), pendingChanges: pending[local.id.lowercased] ?? 0,
                        updatedAt: record.updatedAt))
                }
            }
            return items.sorted { ($0.updatedAt ?? .distantFuture) > ($1.updatedAt ?? .distantFuture) }
        }
    }

    /// The holder's name for the list: the form's, else the licence registry's (a pre-application has
    /// no holder field), else the mine's name; the credit code only when nothing names it (issue 14).
    static func holderName(_ mine: Record, registry: LicenceInfo?) -> String? {
        if let holder = mine.text("basic.holder") { return holder }
        if let holder = registry?.holder, !holder.isEmpty { return holder }
        return mine.text("basic.mineName") ?? registry?.mineName ?? mine.orgId
    }

    /// One record under review in full: form, data check, evidence, assessment and score,
    /// certificates, appeals, and what this user may do with it now. Its refusals count as seen.
    public func reviewDetail(_ prefix: String) throws -> ReviewDetail {
        let context = checkContext()
        return try store.write { db in
            let local = try IdPrefix.record(db, prefix, kinds: Array(WorkflowTable.reviewedKinds))
            let detail = RecordDetail(
                record: local.working, base: local.base,
                pending: try OutboxEntry.pending(db, recordId: local.id).map(\.mutation),
                conflicts: try LocalConflict.open(db, recordId: local.id),
                rejections: try Rejection.of(db, recordId: local.id))
            try Rejection.markSeen(db, recordId: local.id)
            let findings = DataCheck.run(local.working, context: context)
            let certificates = try RecordChildren.of(db, local.id, kind: .certificate).compactMap {
                CertificateRecord.signed(in: $0.working)
            }
            let evidence = try RecordChildren.of(db, local.id, kind: .evidence).map(\.working)
            let assessment = try RecordChildren.assessment(db, of: local.id)
            var indicatorNames: [String: LocalizedText] = [:]
            if !evidence.isEmpty, let catalogue = try AssessmentCatalogue.of(db, application: local.working,
                                                                             assessment: assessment?.working) {
                for code in evidence.compactMap({ $0.text("evidence.indicator") }) {
                    indicatorNames[code] = catalogue.item(code: code)?.name
                }
            }
            return ReviewDetail(
                detail: detail, findings: findings,
                appealed: try RecordChildren.workflowParent(db, of: local),
                evidence: evidence, indicatorNames: indicatorNames,
                assessment: try assessment.map { try Self.score(db, application: local.working, assessment: $0.working) },
                certificates: certificates,
                appeals: try RecordChildren.of(db, local.id, kind: .appeal).map(\.working),
                allowed: try allowedTransitions(db, local, findings: findings))
        }
    }

    /// Fires a reviewer's or assessor's transition offline (accept, opinion, return, reject, assign,
    /// completeAssessment, approve, remove): decided by the shared workflow with the facts this
    /// device holds (the assessment and its score), queued, and the working copy moved on.
    public func review(_ transition: Transition, on prefix: String, kinds: [RecordKind]? = nil,
                       comment: String? = nil, agency: String? = nil) throws -> ReviewOutcome {
        let now = now()
        let comment = Self.trimmed(comment)
        var agency = Self.trimmed(agency)
        return try store.write { db in
            let local = try IdPrefix.record(db, prefix, kinds: kinds ?? Array(WorkflowTable.reviewedKinds))
            let subject = WorkflowSubject(record: local.working, parent: try RecordChildren.workflowParent(db, of: local))
            var (facts, note) = try Self.facts(db, for: transition, on: local, now: now)
            if transition == .assign, let known = try AgencyCache.known(db) {
                // Checked against the list of the last sync; a code typed is sent as the agency's name.
                facts.agencies = known
                agency = agency.map { AgencyRules.resolve($0, among: known)?.name ?? $0 }
            } else if transition == .assign {
                note = LocalizedText(zh: "本机尚无评估机构名单（同步后获取），机构名称由服务器检查",
                                     en: "this device holds no list of agencies yet (a sync fetches it); the server checks the name")
            }
            let decision = Workflow.decide(transition, by: actor, on: subject, comment: comment, agency: agency,
                                           facts: facts)
            if let violation = decision.violation {
                throw ClientError(violation)
            }
            try MutationQueue.queue(db, PendingChange(op: .transition, transition: transition, comment: comment,
                                                      agency: agency), on: local, now: now)
            guard let updated = try LocalRecord.find(db, local.id) else {
                throw StoreError.corrupt(what: "record \(local.id.lowercased)", reason: "vanished")
            }
            return ReviewOutcome(record: updated, note: note, agency: agency)
        }
    }

    /// The facts a transition's preconditions need, from what this store holds; and a note when a
    /// rule cannot be checked here (an assessment against a catalogue this device does not hold).
    static func facts(_ db: Database, for transition: Transition,
                      on local: LocalRecord, now: Date) throws -> (WorkflowFacts, LocalizedText?) {
        var facts = WorkflowFacts()
        guard let rule = WorkflowTable.rule(transition, kind: local.kind) else { return (facts, nil) }
        let needsAssessment = rule.preconditions.contains(.assessmentRecorded)
            || rule.preconditions.contains(.assessmentPasses)
        guard needsAssessment, let assessment = try RecordChildren.assessment(db, of: local.id) else {
            return (facts, nil)
        }
        let catalogues = try AssessmentCatalogue(db)
        guard let catalogue = catalogues.of(application: local.working, assessment: assessment.working) else {
            facts.assessmentRecorded = true
            let id = catalogues.id(application: local.working, assessment: assessment.working)
            return (facts, LocalizedText(
                zh: "本机没有评价指标体系“\(id)”，评分规则由服务器在同步时检查",
                en: "this device does not hold the catalogue '\(id)'; the server checks its rules at the sync"))
        }
        let sheet = AssessmentSheet.scoresheet(of: assessment.working)
        facts.assessmentRecorded = AssessmentSheet.isComplete(sheet, catalogue: catalogue)
        facts.assessmentFailures = catalogue.score(sheet).reasons
        facts.assessmentFindings = [DataCheck.reportFinding(assessment.working, catalogue)].compactMap { $0 }
        return (facts, nil)
    }

    /// An assessment's score against its catalogue, when this device holds the catalogue.
    static func score(_ db: Database, application: Record, assessment: Record) throws -> AssessmentScore {
        let catalogues = try AssessmentCatalogue(db)
        let id = catalogues.id(application: application, assessment: assessment)
        guard let catalogue = catalogues.find(id: id) else {
            return AssessmentScore(assessment: assessment, catalogueId: id, catalogueName: nil, passRules: nil,
                                   complete: false, result: nil)
        }
        let sheet = AssessmentSheet.scoresheet(of: assessment)
        return AssessmentScore(assessment: assessment, catalogueId: catalogue.id, catalogueName: catalogue.name,
                               passRules: catalogue.passRules,
                               complete: AssessmentSheet.isComplete(sheet, catalogue: catalogue),
                               result: catalogue.score(sheet))
    }

    /// The transitions the user may fire on the record now, a comment and an agency supposed given
    /// (an application's approved pre-application is left to the server).
    private func allowedTransitions(_ db: Database, _ local: LocalRecord,
                                    findings: [Finding]) throws -> [Transition] {
        let subject = WorkflowSubject(record: local.working, parent: try RecordChildren.workflowParent(db, of: local))
        return try WorkflowTable.transitions(for: local.kind).filter { transition in
            var (facts, _) = try Self.facts(db, for: transition, on: local, now: now())
            facts.dataCheckFindings = findings
            facts.approvedPreApplicationExists = true
            return Workflow.decide(transition, by: actor, on: subject, comment: "-", agency: "-",
                                   facts: facts).violation == nil
        }
    }

    static func pendingCounts(_ db: Database) throws -> [String: Int] {
        var result: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT record_id, COUNT(*) FROM outbox GROUP BY record_id") {
            result[row[0]] = row[1]
        }
        return result
    }

    static func trimmed(_ text: String?) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return text
    }
}
