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

    /// The assessment that counts for an application, as the server picks it: one made for the
    /// agency the application is assigned to now (`AgencyRules.counts`), the one changed last on the
    /// server; one not yet on the server (this device's own) counts as the latest.
    static func assessment(_ db: Database, of application: UUID) throws -> LocalRecord? {
        let parent = try LocalRecord.find(db, application)?.working
        return try of(db, application, kind: .assessment)
            .filter { child in parent.map { AgencyRules.counts(child.working, for: $0) } ?? true }
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
/// sample ships with the client; imported ones arrive as `catalogue` records at sync. Read once per
/// command (each catalogue decoded once), then asked per application.
struct AssessmentCatalogue {
    /// The id of the catalogue in force on this device (the newest import it holds, or the sample).
    let inForce: String
    private let byId: [String: Catalogue]

    init(_ db: Database) throws {
        let records = try LocalRecord.all(db, kind: .catalogue).map(\.working)
        inForce = CatalogueRecord.inForceId(among: records)
        var byId = [Catalogue.sample.id: Catalogue.sample]
        for record in records {
            guard let catalogue = CatalogueRecord.catalogue(in: record), byId[catalogue.id] == nil else { continue }
            byId[catalogue.id] = catalogue
        }
        self.byId = byId
    }

    /// The id of the catalogue an application is scored against (the Shared rule).
    func id(application: Record, assessment: Record?) -> String {
        CatalogueRecord.id(forApplication: application, assessment: assessment, inForce: inForce)
    }

    /// That catalogue; nil when this device does not hold it (not synced since it was imported).
    func of(application: Record, assessment: Record?) -> Catalogue? {
        find(id: id(application: application, assessment: assessment))
    }

    /// A catalogue by id: the sample, or one synced to this device.
    func find(id: String) -> Catalogue? { byId[id] }

    /// As `id(application:assessment:)`, reading the catalogues first.
    static func id(_ db: Database, application: Record, assessment: Record?) throws -> String {
        try AssessmentCatalogue(db).id(application: application, assessment: assessment)
    }

    /// As `of(application:assessment:)`, reading the catalogues first.
    static func of(_ db: Database, application: Record, assessment: Record?) throws -> Catalogue? {
        try AssessmentCatalogue(db).of(application: application, assessment: assessment)
    }
}
