import Foundation
import GreenMineShared
import Logging
import PostgresNIO

/// `UploadStore` on PostgreSQL (migration `v6-uploads`): uploads and the blobs they become, shared by
/// every instance (the bytes are in the shared `BlobStore`).
public struct PostgresUploadStore: UploadStore {
    let database: PostgresDatabase
    let regions: RegionTable

    public init(database: PostgresDatabase, regions: RegionTable = .standard) {
        self.database = database
        self.regions = regions
    }

    private func rows(_ sql: String, _ values: [SQLArgument] = []) async throws -> [PostgresRandomAccessRow] {
        try await database.rows(sql, values)
    }

    public func create(_ upload: UploadRecord) async throws {
        _ = try await rows("""
            INSERT INTO uploads (id, user_id, length, "offset", sha256, filename, filetype, created_at, expires_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(upload.id.storedString), .text(upload.userId), .integer(Int(upload.length)),
                  .integer(Int(upload.offset)), .text(upload.sha256), .text(upload.filename), .text(upload.filetype),
                  .real(upload.createdAt.timeIntervalSince1970), .real(upload.expiresAt.timeIntervalSince1970)])
    }

    public func upload(_ id: UUID, userId: String) async throws -> UploadRecord? {
        try await rows("SELECT * FROM uploads WHERE id = ? AND user_id = ?", [.text(id.storedString), .text(userId)])
            .first.map(Self.upload)
    }

    public func setOffset(_ id: UUID, offset: Int64, expiresAt: Date) async throws {
        _ = try await rows(#"UPDATE uploads SET "offset" = ?, expires_at = ? WHERE id = ?"#,
                           [.integer(Int(offset)), .real(expiresAt.timeIntervalSince1970), .text(id.storedString)])
    }

    public func remove(_ id: UUID) async throws {
        _ = try await rows("DELETE FROM uploads WHERE id = ?", [.text(id.storedString)])
    }

    public func activeCount(userId: String, now: Date) async throws -> Int {
        try await rows("""
            SELECT count(*) AS n FROM uploads WHERE user_id = ? AND expires_at > ? AND completed_sha256 IS NULL
            """, [.text(userId), .real(now.timeIntervalSince1970)]).first?.get("n") ?? 0
    }

    public func claimWrite(_ id: UUID, holder: String, now: Date, until: Date) async throws -> Bool {
        try await !rows(UploadClaimSQL.claim + " RETURNING id", [.text(holder), .real(until.timeIntervalSince1970),
                                                                  .text(id.storedString), .text(holder),
                                                                  .real(now.timeIntervalSince1970)]).isEmpty
    }

    public func renewWrite(_ id: UUID, holder: String, until: Date) async throws -> Bool {
        try await !rows(UploadClaimSQL.renew + " RETURNING id",
                        [.real(until.timeIntervalSince1970), .text(id.storedString), .text(holder)]).isEmpty
    }

    public func releaseWrite(_ id: UUID, holder: String) async throws {
        _ = try await rows(UploadClaimSQL.release, [.text(id.storedString), .text(holder)])
    }

    public func expired(now: Date) async throws -> [UploadRecord] {
        try await rows("SELECT * FROM uploads WHERE expires_at <= ?", [.real(now.timeIntervalSince1970)]).map(Self.upload)
    }

    public func complete(_ upload: UploadRecord, mime: String, at: Date) async throws {
        let logger = database.logger
        try await database.transaction { connection in
            try await PostgresSQL.execute(connection, """
                INSERT INTO blobs (sha256, size, mime, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING
                """, [.text(upload.sha256), .integer(Int(upload.length)), .text(mime), .text(upload.userId),
                      .real(at.timeIntervalSince1970)], logger: logger)
            try await PostgresSQL.execute(connection, """
                INSERT INTO blob_owners (sha256, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING
                """, [.text(upload.sha256), .text(upload.userId)], logger: logger)
            try await PostgresSQL.execute(connection, """
                UPDATE uploads SET "offset" = length, completed_sha256 = ?, completed_at = ?, expires_at = ? WHERE id = ?
                """, [.text(upload.sha256), .real(at.timeIntervalSince1970), .real(upload.expiresAt.timeIntervalSince1970),
                      .text(upload.id.storedString)], logger: logger)
        }
    }

    public func readableBlob(_ sha256: String, user: AuthenticatedUser) async throws -> BlobInfo? {
        let filter = VisibilityFilter(user: user, regions: regions)
        return try await rows(SQLiteUploadStore.readableBlobSelect(filter),
                              [.text(sha256), .text(user.info.id)] + filter.values).first.map {
            BlobInfo(sha256: try $0.get("sha256"), size: try $0.get("size"), mime: try $0.get("mime"))
        }
    }

    public func isKnownBlob(_ sha256: String) async throws -> Bool {
        try await rows("""
            SELECT EXISTS (SELECT 1 FROM record_blobs WHERE sha256 = ?) OR EXISTS (SELECT 1 FROM blobs WHERE sha256 = ?)
                AS known
            """, [.text(sha256), .text(sha256)]).first?.get("known") ?? false
    }

    static func upload(_ row: PostgresRandomAccessRow) throws -> UploadRecord {
        UploadRecord(id: UUID(text: try row.get("id") as String) ?? UUID(), userId: try row.get("user_id"),
                     length: try row.get("length"), offset: try row.get("offset"), sha256: try row.get("sha256"),
                     filename: try row.get("filename"), filetype: try row.get("filetype"),
                     createdAt: Date(timeIntervalSince1970: try row.get("created_at")),
                     expiresAt: Date(timeIntervalSince1970: try row.get("expires_at")),
                     completedSHA256: try row.get("completed_sha256"),
                     completedAt: (try row.get("completed_at", as: Double?.self)).map(Date.init(timeIntervalSince1970:)))
    }
}
