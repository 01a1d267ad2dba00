import Foundation
import GreenMineShared
import Logging
import PostgresNIO

/// `RegistryStore` on PostgreSQL: the licence registry, the imported catalogues' list and the agencies.
/// An agency is added under a lock on its table, so two instances never hand out one `AG` code.
public struct PostgresRegistryStore: RegistryStore {
    let database: PostgresDatabase

    public init(database: PostgresDatabase) {
        self.database = database
    }

    private func rows(_ sql: String, _ values: [SQLArgument] = []) async throws -> [PostgresRandomAccessRow] {
        try await database.rows(sql, values)
    }

    public func upsertLicences(_ licences: [LicenceInfo]) async throws {
        let logger = database.logger
        try await database.transaction { connection in
            for licence in licences {
                try await PostgresSQL.execute(connection, """
                    INSERT INTO licences (number, holder, credit_code, mine_name, main_mineral, mining_method, scale,
                                          area, region, valid_from, valid_to)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (number) DO UPDATE SET holder = excluded.holder, credit_code = excluded.credit_code,
                        mine_name = excluded.mine_name, main_mineral = excluded.main_mineral,
                        mining_method = excluded.mining_method, scale = excluded.scale, area = excluded.area,
                        region = excluded.region, valid_from = excluded.valid_from, valid_to = excluded.valid_to
                    """, [.text(licence.number), .text(licence.holder), .text(licence.creditCode),
                          .text(licence.mineName), .text(licence.mainMineral), .text(licence.miningMethod),
                          .real(licence.scale), .real(licence.area), .text(licence.region), .text(licence.validFrom),
                          .text(licence.validTo)], logger: logger)
            }
        }
    }

    public func licence(_ number: String) async throws -> LicenceInfo? {
        try await rows("SELECT * FROM licences WHERE number = ?", [.text(number)]).first.map(Self.info)
    }

    public func licences(creditCode: String) async throws -> [LicenceInfo] {
        try await rows("SELECT * FROM licences WHERE credit_code = ? ORDER BY number", [.text(creditCode)]).map(Self.info)
    }

    public func catalogues() async throws -> [(id: String, version: String)] {
        try await rows("SELECT id, version FROM catalogues ORDER BY id").map { (try $0.get("id"), try $0.get("version")) }
    }

    public func agencies() async throws -> [Agency] {
        let logger = database.logger
        return try await database.client.withConnection { connection in
            try await Self.agencies(connection, logger: logger)
        }
    }

    public func addAgency(code: String?, name: String, provinces: [String], at: Date) async throws -> Agency {
        let logger = database.logger
        return try await database.transaction { connection in
            try await PostgresSQL.execute(connection, "LOCK TABLE agencies IN SHARE ROW EXCLUSIVE MODE", logger: logger)
            let agency = try AgencyRows.chosen(existing: try await Self.agencies(connection, logger: logger),
                                               code: code, name: name, provinces: provinces)
            try await PostgresSQL.execute(connection, """
                INSERT INTO agencies (code, name, provinces, created_at) VALUES (?, ?, ?, ?)
                """, [.text(agency.code), .text(name), .text(provinces.joined(separator: ",")),
                      .real(at.timeIntervalSince1970)], logger: logger)
            return agency
        }
    }

    /// Every agency, by code (`provinces` comma-separated in its row, as on SQLite).
    static func agencies(_ connection: PostgresConnection, logger: Logger) async throws -> [Agency] {
        try await PostgresSQL.rows(connection, "SELECT code, name, provinces FROM agencies ORDER BY code", logger: logger)
            .map { row in
                let provinces: String = try row.get("provinces")
                return Agency(code: try row.get("code"), name: try row.get("name"),
                              provinces: provinces.split(separator: ",").map(String.init))
            }
    }

    /// A licence from its row.
    static func info(_ row: PostgresRandomAccessRow) throws -> LicenceInfo {
        LicenceInfo(number: try row.get("number"), holder: try row.get("holder"), creditCode: try row.get("credit_code"),
                    mineName: try row.get("mine_name"), mainMineral: try row.get("main_mineral"),
                    miningMethod: try row.get("mining_method"), scale: try row.get("scale"), area: try row.get("area"),
                    region: try row.get("region"), validFrom: try row.get("valid_from"), validTo: try row.get("valid_to"))
    }
}
