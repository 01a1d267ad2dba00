import Foundation
import GreenMineShared

/// Importing an indicator catalogue: it is stored for the server's own checks and published as a
/// `catalogue` record that every device pulls, in one transaction. A catalogue id names one content
/// for good — applications assigned under it are scored against exactly that — so importing the same
/// id again is a no-op when the content is the same and refused when it differs (import a revision
/// under a new id, e.g. `hebei-2024-2`).
enum CatalogueImport {
    /// The administrator acting through `greenmine-server catalogue import`, as the audit names it.
    static let administrator = AuthenticatedUser(
        info: UserInfo(id: "server-admin", username: "greenmine-server", role: .ministry), orgRegion: nil, tokenHash: [])

    /// Stores and publishes the catalogue; false when the very same catalogue was already imported.
    @discardableResult
    static func run(_ catalogue: Catalogue, at now: Date, recordId: UUID, in tx: any RecordTransaction) async throws -> Bool {
        if let existing = try await tx.catalogue(catalogue.id) {
            guard existing == catalogue else {
                throw ServiceError(.conflict, code: "catalogue_exists",
                                   en: "a different catalogue '\(catalogue.id)' was imported before; applications are "
                                       + "scored against it, so import this one under a new id",
                                   zh: "已导入过内容不同的评价指标体系“\(catalogue.id)”，已有申请按其评分；请以新的标识导入")
            }
            return false
        }
        try await tx.importCatalogue(catalogue, at: now)
        try await publish(catalogue, importedAt: now, recordId: recordId, in: tx)
        return true
    }

    /// Writes the `catalogue` record that carries an imported catalogue to every device, and its audit.
    static func publish(_ catalogue: Catalogue, importedAt: Date, recordId: UUID, in tx: any RecordTransaction) async throws {
        let fields = try CatalogueRecord.fields(of: catalogue, importedAt: importedAt)
        let record = Record(id: recordId, kind: .catalogue, version: 1, state: .approved, fields: fields,
                            updatedAt: importedAt, updatedBy: administrator.info.id)
        try await tx.save(StoredRecord(record: record, creatorClient: nil), parent: nil, changedPaths: ["@created"],
                    userId: administrator.info.id, clientId: nil, at: importedAt)
        try await tx.audit(AuditEntry(recordId: recordId, action: "importCatalogue", actor: administrator,
                                serverTime: importedAt, deviceTime: nil, fromState: nil, toState: .approved,
                                version: 1, comment: "\(catalogue.id) \(catalogue.version)"))
    }
}
