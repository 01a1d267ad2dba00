import Foundation
import GRDB
import GreenMineShared

extension Workspace {
    /// The applications in this store with their scoring progress (an assessor sees only those
    /// assigned to its agency), newest first.
    public func assessmentListing() throws -> [AssessmentListItem] {
        try store.read { db in
            let pending = try Self.pendingCounts(db)
            let catalogues = try AssessmentCatalogue(db)
            return try LocalRecord.all(db, kind: .application).map { application in
                let record = application.working
                let assessment = try RecordChildren.assessment(db, of: application.id)
                let known = catalogues.of(application: record, assessment: assessment?.working)
                let catalogue = known ?? Catalogue.sample
                let sheet = assessment.map { AssessmentSheet.scoresheet(of: $0.working) } ?? Scoresheet()
                let result = assessment != nil && known != nil ? catalogue.score(sheet) : nil
                let queued = (pending[application.id.lowercased] ?? 0)
                    + (assessment.map { pending[$0.id.lowercased] ?? 0 } ?? 0)
                return AssessmentListItem(
                    id: application.id, state: record.state, mineName: record.text("basic.mineName"),
                    licenceNumber: record.text(FormSchema.licencePath), region: record.region,
                    agency: record.text(WorkflowFields.agency), assessmentId: assessment?.id,
                    scoredItems: catalogue.allItems.filter { sheet.items[$0.code] != nil }.count,
                    totalItems: catalogue.allItems.count,
                    statedPrerequisites: catalogue.prerequisites.filter { sheet.prerequisites[$0.code] != nil }.count,
                    totalPrerequisites: catalogue.prerequisites.count,
                    total: result?.total, passed: result?.passed, pendingChanges: queued)
            }
        }
    }

    /// An application's scoresheet: the catalogue's prerequisites and items with the points given.
    public func assessmentSheet(_ prefix: String) throws -> AssessmentSheetView {
        try store.read { db in
            let application = try IdPrefix.record(db, prefix, kinds: [.application])
            return try Self.sheetView(db, application)
        }
    }

    /// Sets scores, prerequisite answers and the conclusion of an application's assessment: the
    /// assessment record is made on first use (naming the application's catalogue), then patched. Only
    /// values that differ are queued; one transaction.
    public func score(_ prefix: String, values: [String: JSONValue], summary: String? = nil) throws -> ScoreUpdate {
        var values = values
        if let summary = Self.trimmed(summary) { values["assessment.summary"] = .string(summary) }
        let now = now()
        let id = makeUUID()
        return try store.write { db in
            let application = try IdPrefix.record(db, prefix, kinds: [.application])
            if let existing = try RecordChildren.assessment(db, of: application.id) {
                try Self.requireEditable(db, existing, user: user)
                var changes: [String: JSONValue] = [:]
                for (path, value) in values where (existing.working.fields[path] ?? .null) != value {
                    changes[path] = value
                }
                guard !changes.isEmpty else { return ScoreUpdate(assessment: existing, created: false, changes: [:]) }
                try MutationQueue.queue(db, PendingChange(op: .patch, set: changes), on: existing, now: now)
                guard let updated = try LocalRecord.find(db, existing.id) else {
                    throw StoreError.corrupt(what: "record \(existing.id.lowercased)", reason: "vanished")
                }
                return ScoreUpdate(assessment: updated, created: false, changes: changes)
            }
            try requireCanAssess(application)
            var fields = values.filter { $0.value != .null }
            fields["assessment.catalogueId"] = .string(try AssessmentCatalogue.id(db, application: application.working,
                                                                                  assessment: nil))
            try requireCreatable(.assessment)
            let created = try MutationQueue.create(db, id: id, kind: .assessment, orgId: nil, parentId: application.id,
                                                   fields: fields, now: now)
            return ScoreUpdate(assessment: created, created: true, changes: fields)
        }
    }

    /// 提交评估结果: queues `completeAssessment`; refused here while the scoresheet is incomplete,
    /// by another agency's assessor, or when the application is not being assessed.
    public func submitAssessment(_ prefix: String) throws -> ReviewOutcome {
        do {
            return try review(.completeAssessment, on: prefix, kinds: [.application])
        } catch var error as ClientError where error.code == "assessment_missing" {
            let view = try assessmentSheet(prefix)
            if !view.unstatedPrerequisites.isEmpty {
                error.details.append(LocalizedText(
                    zh: "未填写的先决条件：\(view.unstatedPrerequisites.joined(separator: "、"))",
                    en: "prerequisites not answered: \(view.unstatedPrerequisites.joined(separator: ", "))"))
            }
            let missing = view.unscoredItems
            if !missing.isEmpty {
                let shown = missing.prefix(12).joined(separator: ", ") + (missing.count > 12 ? " …" : "")
                error.details.append(LocalizedText(zh: "未评分的评分项（\(missing.count)）：\(shown)",
                                                   en: "items not scored (\(missing.count)): \(shown)"))
            }
            throw error
        }
    }

    /// Attaches the assessment report (PDF, slot `assessment.report`) to an application's
    /// assessment, making the assessment record first when scoring has not started; one transaction.
    public func attachReport(_ prefix: String, sources: [AttachmentSource],
                             blobs: BlobStore) throws -> (record: LocalRecord, files: [AttachedFile]) {
        let (application, existing) = try scoringTarget(prefix)
        if let existing {
            return try attach(sources, to: existing.id.lowercased, kinds: [.assessment],
                              slot: .named("assessment.report"), blobs: blobs)
        }
        let prepared = try AttachmentPreparation.prepare(sources, kind: .assessment, existing: [],
                                                         slot: .named("assessment.report"), blobs: blobs)
        let placed = try AttachmentPreparation.place(prepared, blobs: blobs)
        let id = makeUUID()
        let now = now()
        return try AttachmentPreparation.recording(placed, blobs: blobs, store: store) {
            try store.write { db in
                guard let current = try LocalRecord.find(db, application.id), !current.working.deleted else {
                    throw ClientError(code: "unknown_id", zh: "申请 \(application.id.lowercased) 已不存在",
                                      en: "the application \(application.id.lowercased) no longer exists")
                }
                try requireCanAssess(current)
                try requireCreatable(.assessment)
                _ = try MutationQueue.create(db, id: id, kind: .assessment, orgId: nil, parentId: current.id,
                                             fields: ["assessment.catalogueId": .string(
                                                 try AssessmentCatalogue.id(db, application: current.working, assessment: nil))],
                                             now: now)
                let files = try AttachmentPreparation.queue(db, prepared, on: id, user: user, now: now)
                guard let record = try LocalRecord.find(db, id) else {
                    throw StoreError.corrupt(what: "record \(id.lowercased)", reason: "vanished while being created")
                }
                return (record, files)
            }
        }
    }

    /// Refuses unless this user may score the application now (checked before asking anything).
    public func requireCanScore(_ prefix: String) throws {
        _ = try scoringTarget(prefix)
    }

    /// The application and its assessment (if scoring started), once this user may score it now.
    private func scoringTarget(_ prefix: String) throws -> (LocalRecord, LocalRecord?) {
        try store.read { db in
            let application = try IdPrefix.record(db, prefix, kinds: [.application])
            let existing = try RecordChildren.assessment(db, of: application.id)
            if let existing { try Self.requireEditable(db, existing, user: user) } else { try requireCanAssess(application) }
            return (application, existing)
        }
    }

    /// Refuses unless this user may score the application now: an assessor of the assigned agency,
    /// while it is being assessed (the shared edit rule for assessments).
    private func requireCanAssess(_ application: LocalRecord) throws {
        let assessment = Record(id: application.id, kind: .assessment, parentId: application.id)
        if let violation = Workflow.editViolation(by: actor, on: WorkflowSubject(record: assessment,
                                                                                 parent: application.working)) {
            throw ClientError(violation)
        }
    }

    static func sheetView(_ db: Database, _ application: LocalRecord) throws -> AssessmentSheetView {
        let assessment = try RecordChildren.assessment(db, of: application.id)
        let catalogues = try AssessmentCatalogue(db)
        guard let catalogue = catalogues.of(application: application.working, assessment: assessment?.working) else {
            let id = catalogues.id(application: application.working, assessment: assessment?.working)
            throw ClientError(code: "catalogue_unknown",
                              zh: "本机还没有该申请使用的评价指标体系“\(id)”，无法在本机评分；请先运行 greenmine sync",
                              en: "this device does not hold the catalogue '\(id)' this application is scored against yet; run greenmine sync first")
        }
        let sheet = assessment.map { AssessmentSheet.scoresheet(of: $0.working) } ?? Scoresheet()
        var evidence: [String: Int] = [:]
        for record in try RecordChildren.of(db, application.id, kind: .evidence) {
            if let code = record.working.text("evidence.indicator") { evidence[code, default: 0] += 1 }
        }
        return AssessmentSheetView(
            application: application, assessment: assessment, catalogue: catalogue, sheet: sheet,
            result: catalogue.score(sheet), complete: AssessmentSheet.isComplete(sheet, catalogue: catalogue),
            evidence: evidence,
            pending: try assessment.map { try OutboxEntry.pending(db, recordId: $0.id).map(\.mutation) } ?? [])
    }
}
