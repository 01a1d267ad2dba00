import Foundation
import GRDB
import GreenMineShared

extension SQLiteRecordStore {
    /// The live children of a record that the user may see (the pull's visibility), oldest first.
    public func visibleChildren(of parent: UUID, user: AuthenticatedUser) async throws -> [GreenMineShared.Record] {
        let filter = VisibilityFilter(user: user, regions: regions)
        let decoder = WireCoding.decoder()
        return try await writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT r.body FROM records r WHERE r.parent_id = ? AND \(filter.visible) ORDER BY r.change_seq
                """, arguments: [parent.storedString] + filter.arguments).map { row in
                try decoder.decode(GreenMineShared.Record.self, from: Data((row["body"] as String).utf8))
            }
        }
    }

    /// The catalogue an application is scored against, as the push path finds it
    /// (`MutationApplier.catalogue(forApplication:assessment:)`): nil when the server lacks it.
    public func scoringCatalogue(forApplication application: GreenMineShared.Record,
                                 assessment: GreenMineShared.Record?) async throws -> Catalogue? {
        let regions = self.regions
        return try await writer.read { db in
            let tx = SQLiteRecordTransaction(db: db, regions: regions)
            let id = CatalogueRecord.id(forApplication: application, assessment: assessment,
                                        inForce: try tx.catalogueInForce() ?? Catalogue.sample.id)
            if id == Catalogue.sample.id { return Catalogue.sample }
            return try tx.catalogue(id)
        }
    }
}
