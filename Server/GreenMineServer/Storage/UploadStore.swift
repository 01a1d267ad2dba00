import Foundation
import GRDB
import GreenMineShared

/// One resumable upload (tus 1.0.0), in progress or complete until it expires.
public struct UploadRecord: Sendable, Hashable {
    public var id: UUID
    public var userId: String
    /// Total bytes announced by `Upload-Length`.
    public var length: Int64
    /// Bytes received and made durable.
    public var offset: Int64
    /// The SHA-256 the client declared (lowercase hex); checked at the last byte.
    public var sha256: String
    public var filename: String
    public var filetype: String
    public var createdAt: Date
    public var expiresAt: Date
    /// The blob's SHA-256 once the last byte arrived and was verified (then `offset == length`).
    public var completedSHA256: String? = nil
    /// When the upload completed.
    public var completedAt: Date? = nil

    /// True once the upload became a blob.
    public var isComplete: Bool { completedSHA256 != nil }
}

/// Uploads in progress and the blobs they become.
public protocol UploadStore: Sendable {
    func create(_ upload: UploadRecord) async throws
    /// An upload of this user.
    func upload(_ id: UUID, userId: String) async throws -> UploadRecord?
    func setOffset(_ id: UUID, offset: Int64, expiresAt: Date) async throws
    func remove(_ id: UUID) async throws
    /// Unfinished, unexpired uploads of a user (complete ones do not count).
    func activeCount(userId: String, now: Date) async throws -> Int
    /// Uploads past their expiry.
    func expired(now: Date) async throws -> [UploadRecord]
    /// Records a complete blob (or a new owner of a known one) and marks the upload complete (offset =
    /// length, its SHA-256, kept until `upload.expiresAt`), in one transaction.
    func complete(_ upload: UploadRecord, mime: String, at: Date) async throws
    /// A blob the user may read: they uploaded it, or they may see a record that uses it.
    func readableBlob(_ sha256: String, user: AuthenticatedUser) async throws -> BlobInfo?
    /// Every blob referenced by any record version or owned by an uploader (never to be deleted).
    func isKnownBlob(_ sha256: String) async throws -> Bool
    /// Takes the upload's write claim for `holder` until `until`, unless another holder's claim runs
    /// past `now`; true when taken. Instances sharing the store refuse a second writer this way, and a
    /// claim its holder stops renewing (the instance died) lapses at `until`.
    func claimWrite(_ id: UUID, holder: String, now: Date, until: Date) async throws -> Bool
    /// Moves `holder`'s claim on to `until` (a heartbeat while its PATCH runs); false when it is not theirs.
    func renewWrite(_ id: UUID, holder: String, until: Date) async throws -> Bool
    /// Gives `holder`'s claim back.
    func releaseWrite(_ id: UUID, holder: String) async throws
}

/// The write claim's SQL, the same on both backends (`?`: holder, until, id, holder, now).
enum UploadClaimSQL {
    static let claim = """
        UPDATE uploads SET writer = ?, writer_until = ?
        WHERE id = ? AND (writer IS NULL OR writer = ? OR writer_until < ?)
        """
    /// `?`: until, id, holder.
    static let renew = "UPDATE uploads SET writer_until = ? WHERE id = ? AND writer = ?"
    /// `?`: id, holder.
    static let release = "UPDATE uploads SET writer = NULL, writer_until = NULL WHERE id = ? AND writer = ?"
}

/// `UploadStore` on the server's SQLite database.
public struct SQLiteUploadStore: UploadStore {
    let writer: any DatabaseWriter
    let regions: RegionTable

    public init(writer: any DatabaseWriter, regions: RegionTable = .standard) {
        self.writer = writer
        self.regions = regions
    }

    public func create(_ upload: UploadRecord) async throws {
        try await writer.write { db in
            try db.execute(sql: """
                INSERT INTO uploads (id, user_id, length, offset, sha256, filename, filetype, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [upload.id.storedString, upload.userId, upload.length, upload.offset, upload.sha256,
                                 upload.filename, upload.filetype, upload.createdAt.timeIntervalSince1970,
                                 upload.expiresAt.timeIntervalSince1970])
        }
    }

    public func upload(_ id: UUID, userId: String) async throws -> UploadRecord? {
        try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM uploads WHERE id = ? AND user_id = ?",
                             arguments: [id.storedString, userId]).map(Self.upload)
        }
    }

    public func setOffset(_ id: UUID, offset: Int64, expiresAt: Date) async throws {
        try await writer.write { db in
            try db.execute(sql: "UPDATE uploads SET offset = ?, expires_at = ? WHERE id = ?",
                           arguments: [offset, expiresAt.timeIntervalSince1970, id.storedString])
        }
    }

    public func remove(_ id: UUID) async throws {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM uploads WHERE id = ?", arguments: [id.storedString])
        }
    }

    public func activeCount(userId: String, now: Date) async throws -> Int {
        try await writer.read { db in
            try Int.fetchOne(db, sql: """
                SELECT count(*) FROM uploads WHERE user_id = ? AND expires_at > ? AND completed_sha256 IS NULL
                """,
                             arguments: [userId, now.timeIntervalSince1970]) ?? 0
        }
    }

    public func expired(now: Date) async throws -> [UploadRecord] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM uploads WHERE expires_at <= ?",
                             arguments: [now.timeIntervalSince1970]).map(Self.upload)
        }
    }

    public func complete(_ upload: UploadRecord, mime: String, at: Date) async throws {
        try await writer.write { db in
            try db.execute(sql: """
                INSERT OR IGNORE INTO blobs (sha256, size, mime, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?)
                """, arguments: [upload.sha256, upload.length, mime, upload.userId, at.timeIntervalSince1970])
            try db.execute(sql: "INSERT OR IGNORE INTO blob_owners (sha256, user_id) VALUES (?, ?)",
                           arguments: [upload.sha256, upload.userId])
            try db.execute(sql: """
                UPDATE uploads SET offset = length, completed_sha256 = ?, completed_at = ?, expires_at = ? WHERE id = ?
                """, arguments: [upload.sha256, at.timeIntervalSince1970, upload.expiresAt.timeIntervalSince1970,
                                 upload.id.storedString])
        }
    }

    public func readableBlob(_ sha256: String, user: AuthenticatedUser) async throws -> BlobInfo? {
        let filter = VisibilityFilter(user: user, regions: regions)
        return try await writer.read { db in
            return try Row.fetchOne(db, sql: Self.readableBlobSelect(filter),
                                    arguments: ([.text(sha256), .text(user.info.id)] + filter.values).statementArguments).map {
                BlobInfo(sha256: $0["sha256"], size: $0["size"], mime: $0["mime"])
            }
        }
    }

    public func isKnownBlob(_ sha256: String) async throws -> Bool {
        try await writer.read { db in
            try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM record_blobs WHERE sha256 = ?) OR EXISTS (SELECT 1 FROM blobs WHERE sha256 = ?)
                """, arguments: [sha256, sha256]) ?? false
        }
    }

    public func claimWrite(_ id: UUID, holder: String, now: Date, until: Date) async throws -> Bool {
        try await writer.write { db in
            try db.execute(sql: UploadClaimSQL.claim, arguments: [holder, until.timeIntervalSince1970, id.storedString,
                                                                  holder, now.timeIntervalSince1970])
            return db.changesCount == 1
        }
    }

    public func renewWrite(_ id: UUID, holder: String, until: Date) async throws -> Bool {
        try await writer.write { db in
            try db.execute(sql: UploadClaimSQL.renew, arguments: [until.timeIntervalSince1970, id.storedString, holder])
            return db.changesCount == 1
        }
    }

    public func releaseWrite(_ id: UUID, holder: String) async throws {
        try await writer.write { db in
            try db.execute(sql: UploadClaimSQL.release, arguments: [id.storedString, holder])
        }
    }

    /// The write claim's columns (issue 13: several instances on one store).
    static func registerMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v13-upload-writer") { db in
            try db.execute(sql: "ALTER TABLE uploads ADD COLUMN writer TEXT")
            try db.execute(sql: "ALTER TABLE uploads ADD COLUMN writer_until REAL")
        }
    }

    /// A blob the user may read (`?`s: its hash, the user's id, then the filter's values); both backends run it.
    static func readableBlobSelect(_ filter: VisibilityFilter) -> String {
        """
        SELECT b.sha256, b.size, b.mime FROM blobs b WHERE b.sha256 = ? AND (
            EXISTS (SELECT 1 FROM blob_owners o WHERE o.sha256 = b.sha256 AND o.user_id = ?)
            OR EXISTS (SELECT 1 FROM record_files rb JOIN records r ON r.id = rb.record_id
                       WHERE rb.sha256 = b.sha256 AND \(filter.visible)))
        """
    }

    static func upload(_ row: Row) -> UploadRecord {
        UploadRecord(id: UUID(text: row["id"] as String) ?? UUID(), userId: row["user_id"], length: row["length"],
                     offset: row["offset"], sha256: row["sha256"], filename: row["filename"],
                     filetype: row["filetype"], createdAt: Date(timeIntervalSince1970: row["created_at"]),
                     expiresAt: Date(timeIntervalSince1970: row["expires_at"]), completedSHA256: row["completed_sha256"],
                     completedAt: (row["completed_at"] as Double?).map(Date.init(timeIntervalSince1970:)))
    }
}
