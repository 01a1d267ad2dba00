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

/// The catalogue an application is scored against, as far as this device knows catalogues: the
/// sample ships with the client; imported ones arrive as `catalogue` records at sync.
enum AssessmentCatalogue {
    /// The catalogue records this device holds.
    static func records(_ db: Database) throws -> [Record] {
        try LocalRecord.all(db, kind: .catalogue).map(\.working)
    }

    /// The id of the catalogue an application is scored against (the Shared rule).
    static func id(_ db: Database, application: Record, assessment: Record?) throws -> String {
        CatalogueRecord.id(forApplication: application, assessment: assessment,
                           inForce: CatalogueRecord.inForceId(among: try records(db)))
    }

    /// That catalogue; nil when this device does not hold it (not synced since it was imported).
    static func of(_ db: Database, application: Record, assessment: Record?) throws -> Catalogue? {
        try find(db, id: try id(db, application: application, assessment: assessment))
    }

    /// A catalogue by id: the sample, or one synced to this device.
    static func find(_ db: Database, id: String) throws -> Catalogue? {
        if id == Catalogue.sample.id { return Catalogue.sample }
        return try records(db).lazy.filter { $0.text(CatalogueRecord.idPath) == id }
            .compactMap(CatalogueRecord.catalogue(in:)).first
    }
}
