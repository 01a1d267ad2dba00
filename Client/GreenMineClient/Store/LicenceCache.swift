import Foundation
import GRDB
import GreenMineShared

/// The licence registry entries this device has seen, for autofill without a network.
enum LicenceCache {
    static func find(_ db: Database, number: String) throws -> LicenceInfo? {
        guard let text = try String.fetchOne(db, sql: "SELECT info FROM licences WHERE number = ?",
                                             arguments: [number]) else { return nil }
        return try StoreJSON.decode(LicenceInfo.self, text, what: "licence \(number)")
    }

    /// Every cached entry (entries that no longer decode are skipped).
    static func all(_ db: Database) throws -> [LicenceInfo] {
        try String.fetchAll(db, sql: "SELECT info FROM licences ORDER BY number").compactMap {
            try? StoreJSON.decode(LicenceInfo.self, $0, what: "licence")
        }
    }

    static func remove(_ db: Database, number: String) throws {
        try db.execute(sql: "DELETE FROM licences WHERE number = ?", arguments: [number])
    }

    static func save(_ db: Database, _ info: LicenceInfo, at date: Date) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO licences (number, info, fetched_at) VALUES (?, ?, ?)",
                       arguments: [info.number, try StoreJSON.encode(info), StoreJSON.date(date)])
    }
}
