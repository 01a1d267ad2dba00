import Crypto
import Foundation
import GreenMineShared

/// Importing an indicator catalogue: it is stored for the server's own checks and published as a
/// `catalogue` record that every device pulls, in one transaction. Re-importing the same catalogue id
/// makes a new version of the same record.
enum CatalogueImport {
    /// The administrator acting through `greenmine-server catalogue import`, as the audit names it.
    static let administrator = AuthenticatedUser(
        info: UserInfo(id: "server-admin", username: "greenmine-server", role: .ministry), orgRegion: nil, tokenHash: [])

    /// Stores the catalogue and its record; returns the record as saved.
    static func run(_ catalogue: Catalogue, at now: Date, in tx: any RecordTransaction) throws -> Record {
        try tx.importCatalogue(catalogue, at: now)
        let id = recordId(for: catalogue.id)
        let previous = try tx.record(id)?.record
        let fields = try CatalogueRecord.fields(of: catalogue, importedAt: now)
        let record = Record(id: id, kind: .catalogue, version: (previous?.version ?? 0) + 1, state: .approved,
                            fields: fields, updatedAt: now, updatedBy: administrator.info.id)
        try tx.save(StoredRecord(record: record, creatorClient: nil), parent: nil,
                    changedPaths: previous == nil ? ["@created"] : fields.keys.sorted(),
                    userId: administrator.info.id, clientId: nil, at: now)
        try tx.audit(AuditEntry(recordId: id, action: "importCatalogue", actor: administrator, serverTime: now,
                                deviceTime: nil, fromState: previous?.state, toState: .approved,
                                version: record.version, comment: "\(catalogue.id) \(catalogue.version)"))
        return record
    }

    /// The record id of a catalogue: a name-based UUID (version 5 layout) of its catalogue id, so the
    /// same catalogue always lands on the same record.
    static func recordId(for catalogueId: String) -> UUID {
        var bytes = Array(Insecure.SHA1.hash(data: Array("greenmine-catalogue:\(catalogueId)".utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}
