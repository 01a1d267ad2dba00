import Foundation
import GRDB
import GreenMineShared

/// The child records of a record in the store: evidence, assessments, certificates, appeals.
enum RecordChildren {
    /// The live children of `parent` of one kind, oldest change first.
    static func of(_ db: Database, _ parent: UUID, kind: RecordKind) throws -> [LocalRecord] {
        try LocalRecord.fetchAll(db, sql: """
            SELECT * FROM records WHERE parent_id = ? AND kind = ? AND deleted = 0 ORDER BY updated_local, id
            """, arguments: [parent.lowercased, kind.rawValue])
    }

    /// The assessment that counts for an application, as the server picks it: the one changed last
    /// on the server; one not yet on the server (this device's own) counts as the latest.
    static func assessment(_ db: Database, of application: UUID) throws -> LocalRecord? {
        try of(db, application, kind: .assessment)
            .max { ($0.working.updatedAt ?? .distantFuture) < ($1.working.updatedAt ?? .distantFuture) }
    }

    /// The parent a workflow decision reads (for children only; an application's `parentId`, when a
    /// client set one, names its pre-application and is no workflow parent).
    static func workflowParent(_ db: Database, of local: LocalRecord) throws -> Record? {
        guard [.evidence, .assessment, .appeal, .certificate].contains(local.kind), let parent = local.parentId else {
            return nil
        }
        return try LocalRecord.find(db, parent)?.working
    }
}

/// The catalogue an assessment scores against, as far as this device knows catalogues.
enum AssessmentCatalogue {
    /// The catalogue an assessment names: the sample when it names none or the sample; nil for a
    /// catalogue this device does not hold (imported catalogues stay on the server for now).
    static func of(_ assessment: Record?) -> Catalogue? {
        guard let id = assessment?.text("assessment.catalogueId"), id != Catalogue.sample.id else {
            return Catalogue.sample
        }
        return nil
    }
}
