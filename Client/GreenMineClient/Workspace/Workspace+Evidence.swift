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
        var findings: [Finding] = []
        let code = indicator.trimmingCharacters(in: .whitespaces)
        let catalogue = try store.read { db in
            try AssessmentCatalogue.of(db, application: application.working,
                                       assessment: try RecordChildren.assessment(db, of: application.id)?.working)
        }
        if let catalogue, catalogue.item(code: code) == nil {
            findings.append(Finding(.warning, "evidence.indicator", RuleViolation(
                code: "indicator_unknown",
                zh: "评价指标体系“\(catalogue.name.zh)”中没有指标项 \(code)",
                en: "the catalogue '\(catalogue.name.en)' has no indicator item \(code)")))
        }
        return AddedEvidence(record: record, files: files, findings: findings)
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
