import Foundation
import GRDB
import GreenMineShared

/// Evidence just added: the new record, its files, and warnings about it.
public struct AddedEvidence: Sendable {
    public var record: LocalRecord
    public var files: [AttachedFile]
    /// Warnings (an indicator code the application's catalogue does not know).
    public var findings: [Finding]
}

/// The indicator items evidence may name for one application: its catalogue, when held here.
public struct EvidenceIndicators: Sendable {
    /// The application.
    public var application: UUID
    /// The id of the catalogue it is scored against.
    public var catalogueId: String
    /// That catalogue, when this device holds it.
    public var catalogue: Catalogue?
}

extension Workspace {
    /// 评价指标佐证材料: a new evidence record under an application (while it is submitted, under
    /// review or being assessed), for one indicator item, with its files — each one going to
    /// `evidence.pdf` or `evidence.image` by its content. One transaction: the record's creation and
    /// every `attach`, or nothing.
    public func addEvidence(to applicationPrefix: String, indicator: String, note: String?,
                            sources: [AttachmentSource], blobs: BlobStore) throws -> AddedEvidence {
        guard !sources.isEmpty else {
            throw ClientError(code: "evidence_needs_files", zh: "请给出至少一个佐证材料文件",
                              en: "give at least one evidence file")
        }
        let fields = try evidenceFields(indicator: indicator, note: note)
        let application = try store.read { db in
            let application = try IdPrefix.record(db, applicationPrefix, kinds: [.application])
            try requireEvidenceAllowed(on: application)
            // An indicator the catalogue does not have is an error (the data check's rule), before any copy.
            let catalogue = try AssessmentCatalogue.of(db, application: application.working,
                                                       assessment: try RecordChildren.assessment(db, of: application.id)?.working)
            let probe = Record(id: application.id, kind: .evidence, parentId: application.id, fields: fields)
            if let catalogue, let unknown = DataCheck.run(probe, context: DataCheckContext(now: self.now(), catalogue: catalogue))
                .first(where: { $0.code == "indicator_unknown" }) {
                throw ClientError(code: unknown.code, message: unknown.message, details: [LocalizedText(
                    zh: "可用的指标项：greenmine evidence indicators \(RecordPresenter.shortId(application.id))",
                    en: "the indicator items: greenmine evidence indicators \(RecordPresenter.shortId(application.id))")])
            }
            return application
        }
        let prepared = try AttachmentPreparation.prepare(sources, kind: .evidence, existing: [],
                                                         slot: .byContent(.evidence), blobs: blobs)
        let placed = try AttachmentPreparation.place(prepared, blobs: blobs)
        let id = makeUUID()
        let now = now()
        let (record, files) = try AttachmentPreparation.recording(placed, blobs: blobs, store: store) {
            try store.write { db in
                guard let current = try LocalRecord.find(db, application.id), !current.working.deleted else {
                    throw ClientError(code: "unknown_id", zh: "申请 \(application.id.lowercased) 已不存在",
                                      en: "the application \(application.id.lowercased) no longer exists")
                }
                try requireEvidenceAllowed(on: current)
                try requireCreatable(.evidence)
                _ = try MutationQueue.create(db, id: id, kind: .evidence, orgId: user.orgId, parentId: current.id,
                                             fields: fields, now: now)
                let files = try AttachmentPreparation.queue(db, prepared, on: id, user: user, now: now)
                guard let record = try LocalRecord.find(db, id) else {
                    throw StoreError.corrupt(what: "record \(id.lowercased)", reason: "vanished while being created")
                }
                return (record, files)
            }
        }
        let findings: [Finding] = []
        return AddedEvidence(record: record, files: files, findings: findings)
    }

    /// The indicator items of the catalogue an application is scored against (`evidence indicators`);
    /// `catalogue` is nil when this device does not hold it (then `catalogueId` names it).
    public func evidenceIndicators(_ applicationPrefix: String) throws -> EvidenceIndicators {
        try store.read { db in
            let application = try IdPrefix.record(db, applicationPrefix, kinds: [.application])
            let assessment = try RecordChildren.assessment(db, of: application.id)?.working
            let catalogues = try AssessmentCatalogue(db)
            return EvidenceIndicators(application: application.id,
                                      catalogueId: catalogues.id(application: application.working, assessment: assessment),
                                      catalogue: catalogues.of(application: application.working, assessment: assessment))
        }
    }

    /// The evidence form's fields, checked by the form schema.
    private func evidenceFields(indicator: String, note: String?) throws -> [String: JSONValue] {
        var fields: [String: JSONValue] = [:]
        let code = indicator.trimmingCharacters(in: .whitespaces)
        guard !code.isEmpty else {
            throw ClientError(code: "required", zh: "请用 --indicator 给出评价指标项编号",
                              en: "give the indicator item's code with --indicator")
        }
        fields["evidence.indicator"] = .string(code)
        if let note = note?.trimmingCharacters(in: .whitespacesAndNewlines), !note.isEmpty {
            fields["evidence.note"] = .string(note)
        }
        for (path, value) in fields {
            if let field = FormSchema.field(path, kind: .evidence), let violation = FieldRules.violation(of: value, for: field) {
                throw ClientError(violation)
            }
        }
        return fields
    }

    /// Refuses unless the user may add evidence under this application now (its state, the user's
    /// organisation), by the shared workflow rule.
    private func requireEvidenceAllowed(on application: LocalRecord) throws {
        let evidence = Record(id: application.id, kind: .evidence, orgId: user.orgId, parentId: application.id)
        if let violation = Workflow.editViolation(by: actor, on: WorkflowSubject(record: evidence, parent: application.working)) {
            throw ClientError(violation)
        }
    }
}
