import Foundation
import GRDB
import GreenMineShared

/// The home page's support contact and downloads as this device last fetched them (`GET /v1/portal`,
/// at login and at the end of each sync), in one row, so that `status` shows them offline.
enum PortalCache {
    /// Adds the table to the store's schema.
    static func registerMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v7-portal") { db in
            try db.execute(sql: """
                CREATE TABLE portal (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    body TEXT NOT NULL,
                    fetched_at TEXT NOT NULL
                );
                """)
        }
    }

    /// Replaces the row by the server's answer.
    static func replace(_ db: Database, with portal: PortalResponse, at date: Date) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO portal (id, body, fetched_at) VALUES (1, ?, ?)",
                       arguments: [try StoreJSON.encode(portal), StoreJSON.date(date)])
    }

    /// What was last fetched and when; nil when nothing was.
    static func load(_ db: Database) throws -> (portal: PortalResponse, fetchedAt: Date)? {
        guard let row = try Row.fetchOne(db, sql: "SELECT body, fetched_at FROM portal WHERE id = 1") else { return nil }
        let portal = try StoreJSON.decode(PortalResponse.self, row["body"], what: "the cached home page")
        guard let fetchedAt = try StoreJSON.date(row["fetched_at"], what: "the cached home page's date") else { return nil }
        return (portal, fetchedAt)
    }

    /// The download numbered `id`, as last fetched; refused when this device knows none of that number.
    static func download(_ db: Database, id: Int) throws -> PortalDownload {
        guard let download = try load(db)?.portal.downloads.first(where: { $0.id == id }) else {
            throw ClientError(code: "download_unknown",
                              zh: "没有编号为 \(id) 的下载资料（greenmine downloads 列出本机同步到的资料；先运行 greenmine sync）",
                              en: "no download numbered \(id) (greenmine downloads lists those synced here; run greenmine sync first)")
        }
        return download
    }
}

/// Keeps this device's copy of the home page's contact and downloads, at login and at each sync:
/// best effort; no network, an older server or an error keep what was there.
enum PortalPrefetch {
    static func refresh(store: Store, api: APIClient, now: Date) async {
        guard let portal = try? await api.portal() else { return }
        try? store.write { try PortalCache.replace($0, with: portal, at: now) }
    }
}
