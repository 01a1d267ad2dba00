import Foundation
import GRDB

/// Which notices the user has read (kept on this device only).
enum NoticesRead {
    static func isRead(_ db: Database, _ id: UUID) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM notices_read WHERE record_id = ?)",
                          arguments: [id.lowercased]) ?? false
    }

    static func readIds(_ db: Database) throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT record_id FROM notices_read"))
    }

    static func markRead(_ db: Database, _ id: UUID, at date: Date) throws {
        try db.execute(sql: "INSERT OR IGNORE INTO notices_read (record_id, read_at) VALUES (?, ?)",
                       arguments: [id.lowercased, StoreJSON.date(date)])
    }

    static func unreadCount(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: """
            SELECT COUNT(*) FROM records WHERE kind = 'notice' AND deleted = 0
              AND id NOT IN (SELECT record_id FROM notices_read)
            """) ?? 0
    }
}
