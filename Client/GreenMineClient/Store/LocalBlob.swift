import Foundation
import GRDB

/// A file in the home's blob store, as the `blobs` table knows it: the row exists only once the
/// file is in place under `blobs/aa/<sha256>`.
public struct LocalBlob: Codable, Sendable, Hashable {
    /// Lowercase hex SHA-256 of the content (the file's name in the blob store).
    public var sha256: String
    /// Size in bytes.
    public var size: Int64
    /// The media type found from the content.
    public var mime: String
    /// Device time it was stored.
    public var storedAt: Date

    public init(sha256: String, size: Int64, mime: String, storedAt: Date) {
        self.sha256 = sha256
        self.size = size
        self.mime = mime
        self.storedAt = storedAt
    }
}

extension LocalBlob {
    /// The blob with this hash, if the store holds it.
    static func find(_ db: Database, _ sha256: String) throws -> LocalBlob? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM blobs WHERE sha256 = ?", arguments: [sha256]) else {
            return nil
        }
        return try LocalBlob(row: row)
    }

    /// The blobs with these hashes, by hash.
    static func find(_ db: Database, _ hashes: Set<String>) throws -> [String: LocalBlob] {
        var found: [String: LocalBlob] = [:]
        for sha256 in hashes {
            if let blob = try find(db, sha256) { found[sha256] = blob }
        }
        return found
    }

    /// Records a blob whose file is in place (a blob already known is left as it is).
    static func save(_ db: Database, _ blob: LocalBlob) throws {
        try db.execute(sql: "INSERT OR IGNORE INTO blobs (sha256, size, mime, stored_at) VALUES (?, ?, ?, ?)",
                       arguments: [blob.sha256, blob.size, blob.mime, StoreJSON.date(blob.storedAt)])
    }

    /// Forgets a blob (its file is gone or damaged).
    static func remove(_ db: Database, _ sha256: String) throws {
        try db.execute(sql: "DELETE FROM blobs WHERE sha256 = ?", arguments: [sha256])
    }

    private init(row: Row) throws {
        let sha256: String = row["sha256"]
        self.sha256 = sha256
        self.size = row["size"]
        self.mime = row["mime"]
        self.storedAt = try StoreJSON.date(row["stored_at"], what: "blob \(sha256)") ?? Date(timeIntervalSince1970: 0)
    }
}
