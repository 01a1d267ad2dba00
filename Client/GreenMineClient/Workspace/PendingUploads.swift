import Foundation
import GRDB
import GreenMineShared

/// The bytes waiting to be uploaded: the distinct files queued attaches use, and how much of them
/// uploads in progress have already sent (the server may turn out to have some already).
public struct PendingUploads: Codable, Sendable, Hashable {
    /// Distinct files.
    public var files: Int
    /// Their total size.
    public var bytes: Int64
    /// Bytes the server has already acknowledged of uploads in progress.
    public var sentBytes: Int64

    /// Reads the figures inside the caller's read transaction.
    static func load(_ db: Database) throws -> PendingUploads {
        let rows = try Row.fetchAll(db, sql: """
            SELECT DISTINCT json_extract(mutation, '$.attachment.sha256') FROM outbox
            WHERE json_extract(mutation, '$.op') = 'attach'
            """)
        var result = PendingUploads(files: 0, bytes: 0, sentBytes: 0)
        for row in rows {
            guard let sha256: String = row[0] else { continue }
            result.files += 1
            result.bytes += try LocalBlob.find(db, sha256)?.size ?? 0
            result.sentBytes += try UploadInProgress.find(db, sha256)?.offset ?? 0
        }
        return result
    }
}
