import Foundation
import GRDB

/// A tus upload this client started (`uploads` table): its URL is remembered so that a restart of
/// the client resumes the upload instead of starting it again.
public struct UploadInProgress: Codable, Sendable, Hashable {
    /// The blob being uploaded.
    public var sha256: String
    /// The upload's URL as the server's `Location` gave it (a path below the server's base URL).
    public var url: String
    /// The file's size.
    public var length: Int64
    /// The bytes the server has acknowledged, as last heard.
    public var offset: Int64
    /// Device time the upload was created.
    public var created: Date

    public init(sha256: String, url: String, length: Int64, offset: Int64, created: Date) {
        self.sha256 = sha256
        self.url = url
        self.length = length
        self.offset = offset
        self.created = created
    }
}

extension UploadInProgress {
    /// The upload of this blob, if one was started.
    static func find(_ db: Database, _ sha256: String) throws -> UploadInProgress? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM uploads WHERE sha256 = ?", arguments: [sha256]) else {
            return nil
        }
        let sha256: String = row["sha256"]
        return UploadInProgress(
            sha256: sha256, url: row["url"], length: row["length"], offset: row["offset"],
            created: try StoreJSON.date(row["created"], what: "upload \(sha256)") ?? Date(timeIntervalSince1970: 0))
    }

    /// Every upload in progress, by blob.
    static func all(_ db: Database) throws -> [String: UploadInProgress] {
        var found: [String: UploadInProgress] = [:]
        for sha256 in try String.fetchAll(db, sql: "SELECT sha256 FROM uploads") {
            if let upload = try find(db, sha256) { found[sha256] = upload }
        }
        return found
    }

    /// Remembers a new upload (replacing any older one of the same blob).
    static func save(_ db: Database, _ upload: UploadInProgress) throws {
        try db.execute(sql: """
            INSERT OR REPLACE INTO uploads (sha256, url, length, offset, created) VALUES (?, ?, ?, ?, ?)
            """, arguments: [upload.sha256, upload.url, upload.length, upload.offset, StoreJSON.date(upload.created)])
    }

    /// Records the offset the server acknowledged.
    static func setOffset(_ db: Database, _ sha256: String, offset: Int64) throws {
        try db.execute(sql: "UPDATE uploads SET offset = ? WHERE sha256 = ?", arguments: [offset, sha256])
    }

    /// Forgets the upload (finished, expired, or refused).
    static func remove(_ db: Database, _ sha256: String) throws {
        try db.execute(sql: "DELETE FROM uploads WHERE sha256 = ?", arguments: [sha256])
    }
}
