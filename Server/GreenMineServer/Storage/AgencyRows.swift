import Foundation
import GRDB
import GreenMineShared

/// The `agencies` table (migration `v8-agencies`): one row per assessment agency; `provinces` holds
/// the province codes it serves, comma-separated (empty: every province).
enum AgencyRows {
    static func all(_ db: Database) throws -> [Agency] {
        try Row.fetchAll(db, sql: "SELECT code, name, provinces FROM agencies ORDER BY code").map { row in
            let provinces: String = row["provinces"]
            return Agency(code: row["code"], name: row["name"],
                          provinces: provinces.split(separator: ",").map(String.init))
        }
    }

    /// Inserts a checked agency; a nil code takes the next free `AGnnnn`.
    static func insert(_ db: Database, code: String?, name: String, provinces: [String], at: Date) throws -> Agency {
        let agency = try chosen(existing: try all(db), code: code, name: name, provinces: provinces)
        try db.execute(sql: "INSERT INTO agencies (code, name, provinces, created_at) VALUES (?, ?, ?, ?)",
                       arguments: [agency.code, name, provinces.joined(separator: ","), at.timeIntervalSince1970])
        return agency
    }

    /// The agency to add beside `existing`: refused when its name or code is taken (`agency_exists`); a
    /// nil code becomes the next free `AGnnnn`. Both backends decide here.
    static func chosen(existing: [Agency], code: String?, name: String, provinces: [String]) throws -> Agency {
        if existing.contains(where: { $0.name == name }) {
            throw ServiceError(.conflict, code: "agency_exists", en: "an agency named \(name) exists already",
                               zh: "名称为“\(name)”的评估机构已存在")
        }
        if let code, existing.contains(where: { $0.code.caseInsensitiveCompare(code) == .orderedSame }) {
            throw ServiceError(.conflict, code: "agency_exists", en: "an agency with code \(code) exists already",
                               zh: "代码为“\(code)”的评估机构已存在")
        }
        let taken = Set(existing.map { $0.code.uppercased() })
        let chosen = code ?? (1...).lazy.map { String(format: "AG%04d", $0) }.first { !taken.contains($0) } ?? name
        return Agency(code: chosen, name: name, provinces: provinces)
    }
}

extension SQLiteRegistryStore {
    public func agencies() async throws -> [Agency] {
        try await writer.read { db in try AgencyRows.all(db) }
    }

    public func addAgency(code: String?, name: String, provinces: [String], at: Date) async throws -> Agency {
        try await writer.write { db in
            try AgencyRows.insert(db, code: code, name: name, provinces: provinces, at: at)
        }
    }
}
