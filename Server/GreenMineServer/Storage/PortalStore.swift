import Foundation
import GRDB
import GreenMineShared

/// What the home page publishes besides records (issue 14): support contacts and downloads, each the
/// ministry's (`province` nil) or one province's.
public protocol PortalStore: Sendable {
    /// Sets the support contact of `contact.province` (nil: the ministry's), replacing the one there was.
    func setSupport(_ contact: SupportContact) async throws
    /// Every support contact, the ministry's first, then by province.
    func supportContacts() async throws -> [SupportContact]
    /// Records a published file whose blob is in place; returns it with its number.
    func publish(title: String, name: String, blob: BlobInfo, province: String?, at: Date) async throws -> PortalDownload
    /// Withdraws a download (its row stays, marked); false when there is no such download or it is withdrawn already.
    func withdraw(_ id: Int, at: Date) async throws -> Bool
    /// Downloads, newest first: the ministry's and those of `provinces` (nil: every province's);
    /// withdrawn ones only with `withdrawn`.
    func downloads(provinces: [String]?, withdrawn: Bool) async throws -> [(download: PortalDownload, withdrawnAt: Date?)]
    /// The blob of a download not withdrawn that the ministry published, or one of `provinces` did (nil: any).
    func publishedBlob(_ sha256: String, provinces: [String]?) async throws -> BlobInfo?
}

/// `PortalStore` on the server's SQLite database: tables `portal_support` and `portal_downloads`
/// (migration `v11-portal`). The ministry's rows have the province `''` (so the primary key holds).
public struct SQLitePortalStore: PortalStore {
    let writer: any DatabaseWriter

    public init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    /// Adds the tables to the server's schema.
    static func registerMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v11-portal") { db in
            try db.execute(sql: """
            CREATE TABLE portal_support (
                province TEXT PRIMARY KEY NOT NULL,
                name TEXT, phone TEXT, email TEXT, hours TEXT,
                updated_at REAL NOT NULL
            );
            CREATE TABLE portal_downloads (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                province TEXT NOT NULL,
                title TEXT NOT NULL CHECK (length(title) > 0),
                name TEXT NOT NULL,
                sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
                size INTEGER NOT NULL CHECK (size >= 0),
                mime TEXT NOT NULL,
                published_at REAL NOT NULL,
                withdrawn_at REAL
            );
            CREATE INDEX portal_downloads_sha256 ON portal_downloads(sha256);
            """)
        }
    }

    public func setSupport(_ contact: SupportContact) async throws {
        try await writer.write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO portal_support (province, name, phone, email, hours, updated_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [contact.province ?? "", contact.name, contact.phone, contact.email, contact.hours,
                                 contact.updatedAt.timeIntervalSince1970])
        }
    }

    public func supportContacts() async throws -> [SupportContact] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM portal_support ORDER BY province").map { row in
                let province: String = row["province"]
                return SupportContact(province: province.isEmpty ? nil : province, name: row["name"],
                                      phone: row["phone"], email: row["email"], hours: row["hours"],
                                      updatedAt: Date(timeIntervalSince1970: row["updated_at"]))
            }
        }
    }

    public func publish(title: String, name: String, blob: BlobInfo, province: String?, at: Date) async throws
        -> PortalDownload {
        try await writer.write { db in
            try db.execute(sql: """
                INSERT INTO portal_downloads (province, title, name, sha256, size, mime, published_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [province ?? "", title, name, blob.sha256, blob.size, blob.mime, at.timeIntervalSince1970])
            return PortalDownload(id: Int(db.lastInsertedRowID), title: title, name: name, sha256: blob.sha256,
                                  size: blob.size, mime: blob.mime, province: province, publishedAt: at)
        }
    }

    public func withdraw(_ id: Int, at: Date) async throws -> Bool {
        try await writer.write { db in
            try db.execute(sql: "UPDATE portal_downloads SET withdrawn_at = ? WHERE id = ? AND withdrawn_at IS NULL",
                           arguments: [at.timeIntervalSince1970, id])
            return db.changesCount > 0
        }
    }

    public func downloads(provinces: [String]?, withdrawn: Bool) async throws
        -> [(download: PortalDownload, withdrawnAt: Date?)] {
        try await writer.read { db in
            let (filter, arguments) = Self.filter(provinces: provinces, withdrawn: withdrawn)
            return try Row.fetchAll(db, sql: "SELECT * FROM portal_downloads WHERE \(filter) ORDER BY id DESC",
                                    arguments: arguments.statementArguments).map { row in
                let province: String = row["province"]
                let withdrawnAt: Double? = row["withdrawn_at"]
                return (PortalDownload(id: row["id"], title: row["title"], name: row["name"], sha256: row["sha256"],
                                       size: row["size"], mime: row["mime"], province: province.isEmpty ? nil : province,
                                       publishedAt: Date(timeIntervalSince1970: row["published_at"])),
                        withdrawnAt.map(Date.init(timeIntervalSince1970:)))
            }
        }
    }

    public func publishedBlob(_ sha256: String, provinces: [String]?) async throws -> BlobInfo? {
        try await writer.read { db in
            let (filter, arguments) = Self.filter(provinces: provinces, withdrawn: false)
            return try Row.fetchOne(db, sql: "SELECT size, mime FROM portal_downloads WHERE sha256 = ? AND \(filter) LIMIT 1",
                                    arguments: ([.text(sha256)] + arguments).statementArguments)
                .map { BlobInfo(sha256: sha256, size: $0["size"], mime: $0["mime"]) }
        }
    }

    /// The rows a reader of `provinces` may see (the ministry's always; nil: every province's); both
    /// backends run it.
    static func filter(provinces: [String]?, withdrawn: Bool) -> (String, [SQLArgument]) {
        var clauses: [String] = withdrawn ? [] : ["withdrawn_at IS NULL"]
        var values: [SQLArgument] = []
        if let provinces {
            let scopes = [""] + provinces
            clauses.append("province IN (\(scopes.map { _ in "?" }.joined(separator: ", ")))")
            values += scopes.map { .text($0) }
        }
        return (clauses.isEmpty ? "1 = 1" : clauses.joined(separator: " AND "), values)
    }
}
