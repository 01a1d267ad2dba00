import Foundation
import GreenMineShared
import Logging
import PostgresNIO

/// `PortalStore` on PostgreSQL (migration `v5-portal`), the same rows as `SQLitePortalStore`.
public struct PostgresPortalStore: PortalStore {
    let database: PostgresDatabase

    public init(database: PostgresDatabase) {
        self.database = database
    }

    private func rows(_ sql: String, _ values: [SQLArgument] = []) async throws -> [PostgresRandomAccessRow] {
        try await database.rows(sql, values)
    }

    public func setSupport(_ contact: SupportContact) async throws {
        _ = try await rows("""
            INSERT INTO portal_support (province, name, phone, email, hours, updated_at) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (province) DO UPDATE SET name = excluded.name, phone = excluded.phone, email = excluded.email,
                hours = excluded.hours, updated_at = excluded.updated_at
            """, [.text(contact.province ?? ""), .text(contact.name), .text(contact.phone), .text(contact.email),
                  .text(contact.hours), .real(contact.updatedAt.timeIntervalSince1970)])
    }

    public func supportContacts() async throws -> [SupportContact] {
        try await rows("SELECT * FROM portal_support ORDER BY province").map { row in
            let province: String = try row.get("province")
            return SupportContact(province: province.isEmpty ? nil : province, name: try row.get("name"),
                                  phone: try row.get("phone"), email: try row.get("email"), hours: try row.get("hours"),
                                  updatedAt: Date(timeIntervalSince1970: try row.get("updated_at")))
        }
    }

    public func publish(title: String, name: String, blob: BlobInfo, province: String?, at: Date) async throws
        -> PortalDownload {
        let id: Int64 = try await rows("""
            INSERT INTO portal_downloads (province, title, name, sha256, size, mime, published_at)
            VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id
            """, [.text(province ?? ""), .text(title), .text(name), .text(blob.sha256), .integer(Int(blob.size)),
                  .text(blob.mime), .real(at.timeIntervalSince1970)]).first?.get("id") ?? 0
        return PortalDownload(id: Int(id), title: title, name: name, sha256: blob.sha256, size: blob.size,
                              mime: blob.mime, province: province, publishedAt: at)
    }

    public func withdraw(_ id: Int, at: Date) async throws -> Bool {
        try await !rows("UPDATE portal_downloads SET withdrawn_at = ? WHERE id = ? AND withdrawn_at IS NULL RETURNING id",
                        [.real(at.timeIntervalSince1970), .integer(id)]).isEmpty
    }

    public func downloads(provinces: [String]?, withdrawn: Bool) async throws
        -> [(download: PortalDownload, withdrawnAt: Date?)] {
        let (filter, values) = SQLitePortalStore.filter(provinces: provinces, withdrawn: withdrawn)
        return try await rows("SELECT * FROM portal_downloads WHERE \(filter) ORDER BY id DESC", values).map { row in
            let province: String = try row.get("province")
            let withdrawnAt: Double? = try row.get("withdrawn_at")
            return (PortalDownload(id: Int(try row.get("id", as: Int64.self)), title: try row.get("title"),
                                   name: try row.get("name"), sha256: try row.get("sha256"), size: try row.get("size"),
                                   mime: try row.get("mime"), province: province.isEmpty ? nil : province,
                                   publishedAt: Date(timeIntervalSince1970: try row.get("published_at"))),
                    withdrawnAt.map(Date.init(timeIntervalSince1970:)))
        }
    }

    public func publishedBlob(_ sha256: String, provinces: [String]?) async throws -> BlobInfo? {
        let (filter, values) = SQLitePortalStore.filter(provinces: provinces, withdrawn: false)
        return try await rows("SELECT size, mime FROM portal_downloads WHERE sha256 = ? AND \(filter) LIMIT 1",
                              [.text(sha256)] + values).first
            .map { BlobInfo(sha256: sha256, size: try $0.get("size"), mime: try $0.get("mime")) }
    }
}
