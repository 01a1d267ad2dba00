import Foundation
import GRDB
import GreenMineShared

/// The licence registry (矿业权统一配号系统), the imported indicator catalogues and the assessment agencies.
public protocol RegistryStore: Sendable {
    /// Inserts or replaces licences, all in one transaction.
    func upsertLicences(_ licences: [LicenceInfo]) async throws
    /// One licence by number.
    func licence(_ number: String) async throws -> LicenceInfo?
    /// Every licence held by the organisation with this credit code, by number.
    func licences(creditCode: String) async throws -> [LicenceInfo]
    /// The ids and versions of imported catalogues.
    func catalogues() async throws -> [(id: String, version: String)]
    /// Every assessment agency, by code.
    func agencies() async throws -> [Agency]
    /// Adds an agency (already checked); refuses a name or code that exists (`agency_exists`). A nil
    /// code takes the next free `AG` number.
    func addAgency(code: String?, name: String, provinces: [String], at: Date) async throws -> Agency
}

/// `RegistryStore` on the server's SQLite database.
public struct SQLiteRegistryStore: RegistryStore {
    let writer: any DatabaseWriter

    public init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    public func upsertLicences(_ licences: [LicenceInfo]) async throws {
        try await writer.write { db in
            for licence in licences {
                try db.execute(sql: """
                    INSERT OR REPLACE INTO licences (number, holder, credit_code, mine_name, main_mineral,
                        mining_method, scale, area, region, valid_from, valid_to)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [licence.number, licence.holder, licence.creditCode, licence.mineName,
                                     licence.mainMineral, licence.miningMethod, licence.scale, licence.area,
                                     licence.region, licence.validFrom, licence.validTo])
            }
        }
    }

    public func licence(_ number: String) async throws -> LicenceInfo? {
        try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM licences WHERE number = ?", arguments: [number]).map(Self.info)
        }
    }

    public func licences(creditCode: String) async throws -> [LicenceInfo] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM licences WHERE credit_code = ? ORDER BY number",
                             arguments: [creditCode]).map(Self.info)
        }
    }

    static func info(_ row: Row) -> LicenceInfo {
        LicenceInfo(number: row["number"], holder: row["holder"], creditCode: row["credit_code"],
                    mineName: row["mine_name"], mainMineral: row["main_mineral"],
                    miningMethod: row["mining_method"], scale: row["scale"], area: row["area"],
                    region: row["region"], validFrom: row["valid_from"], validTo: row["valid_to"])
    }

    public func catalogues() async throws -> [(id: String, version: String)] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT id, version FROM catalogues ORDER BY id").map { ($0["id"], $0["version"]) }
        }
    }
}
