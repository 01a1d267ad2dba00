import Foundation
import GRDB
import GreenMineShared

/// Schema migration v4: publishes every catalogue imported before catalogues were published as records,
/// so assignments naming them can be scored on devices.
enum CatalogueMigration {
    static func publishUnpublished(_ db: Database) throws {
        let published = Set(try String.fetchAll(db, sql: """
            SELECT json_extract(body, '$.fields."catalogue.id"') FROM records WHERE kind = 'catalogue'
            """))
        var pending: [(catalogue: Catalogue, importedAt: Date)] = []
        for row in try Row.fetchAll(db, sql: "SELECT id, body, imported_at FROM catalogues ORDER BY imported_at") {
            let id: String = row["id"]
            guard !published.contains(id), let body: String = row["body"],
                  let catalogue = try? Catalogue.decode(json: Data(body.utf8)) else { continue }
            pending.append((catalogue, Date(timeIntervalSince1970: row["imported_at"])))
        }
        guard !pending.isEmpty else { return }
        let tx = SQLiteRecordTransaction(db: db, regions: .standard)
        let catalogues = pending
        try CallingThreadExecutor.run {
            for (catalogue, importedAt) in catalogues {
                try await CatalogueImport.publish(catalogue, importedAt: importedAt, recordId: UUID(), in: tx)
            }
        }
    }
}
