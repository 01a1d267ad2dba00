import Foundation
import GRDB
import GreenMineShared

/// The assessment agencies this device last fetched (`GET /v1/agencies`, at login and sync), so that
/// `review assign` checks the name offline and `review agencies` lists them.
enum AgencyCache {
    /// Adds the table to the store's schema.
    static func registerMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v5-agencies") { db in
            try db.execute(sql: """
                CREATE TABLE agencies (
                    code TEXT PRIMARY KEY NOT NULL CHECK (length(code) > 0),
                    name TEXT NOT NULL,
                    provinces TEXT NOT NULL,
                    fetched_at TEXT NOT NULL
                );
                """)
        }
    }

    /// Replaces the cached list by the server's answer.
    static func replace(_ db: Database, with agencies: [Agency], at date: Date) throws {
        try db.execute(sql: "DELETE FROM agencies")
        for agency in agencies {
            try db.execute(sql: "INSERT OR REPLACE INTO agencies (code, name, provinces, fetched_at) VALUES (?, ?, ?, ?)",
                           arguments: [agency.code, agency.name, agency.provinces.joined(separator: ","),
                                       StoreJSON.date(date)])
        }
    }

    /// The cached agencies, by code; nil when this device holds none (never fetched): the server decides.
    static func known(_ db: Database) throws -> [Agency]? {
        let agencies = try Row.fetchAll(db, sql: "SELECT code, name, provinces FROM agencies ORDER BY code").map { row in
            let provinces: String = row["provinces"]
            return Agency(code: row["code"], name: row["name"], provinces: provinces.split(separator: ",").map(String.init))
        }
        return agencies.isEmpty ? nil : agencies
    }
}

/// Keeps this device's copy of the agency list, at login and at each sync, for reviewers (county,
/// city, province, ministry): best effort; no network, an older server or an error change nothing.
enum AgencyPrefetch {
    static let roles: Set<Role> = [.county, .city, .province, .ministry]

    /// The number of agencies held now, or nil when nothing was fetched.
    @discardableResult
    static func refresh(store: Store, api: APIClient, now: Date) async -> Int? {
        guard let role = try? store.read({ try SyncState.load($0).user?.role }), roles.contains(role),
              let response = try? await api.agencies() else { return nil }
        do {
            try store.write { try AgencyCache.replace($0, with: response.agencies, at: now) }
            return response.agencies.count
        } catch {
            return nil
        }
    }
}
