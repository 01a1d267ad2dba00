import Foundation
import GRDB
import GreenMineShared

/// A certificate verification key this device holds (from `GET /v1/keys`), and where it came from.
public struct StoredVerificationKey: Codable, Sendable, Hashable {
    /// The key as the server lists it.
    public var key: VerificationKey
    /// The server it was fetched from.
    public var server: String?
    /// When it was last fetched.
    public var fetchedAt: Date
}

/// The `verification_keys` table: every key fetched at login or sync, kept so that certificates
/// signed with an older key still verify offline.
enum VerificationKeyStore {
    /// Adds the table to the store's schema.
    static func registerMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3-verification-keys") { db in
            try db.execute(sql: """
                CREATE TABLE verification_keys (
                    key_id TEXT PRIMARY KEY NOT NULL CHECK (length(key_id) > 0),
                    algorithm TEXT NOT NULL,
                    public_key TEXT NOT NULL,
                    server TEXT,
                    fetched_at TEXT NOT NULL
                );
                """)
        }
    }

    /// Stores (or refreshes) keys fetched from `server`.
    static func save(_ db: Database, _ keys: [VerificationKey], server: String?, at date: Date) throws {
        for key in keys {
            try db.execute(sql: """
                INSERT OR REPLACE INTO verification_keys (key_id, algorithm, public_key, server, fetched_at)
                VALUES (?, ?, ?, ?, ?)
                """, arguments: [key.keyId, key.algorithm, key.publicKey, server, StoreJSON.date(date)])
        }
    }

    /// Every key held, by key id.
    static func all(_ db: Database) throws -> [String: StoredVerificationKey] {
        var keys: [String: StoredVerificationKey] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT * FROM verification_keys ORDER BY key_id") {
            let id: String = row["key_id"]
            let fetched = try StoreJSON.date(row["fetched_at"], what: "verification key \(id)") ?? Date(timeIntervalSince1970: 0)
            keys[id] = StoredVerificationKey(
                key: VerificationKey(keyId: id, algorithm: row["algorithm"], publicKey: row["public_key"]),
                server: row["server"], fetchedAt: fetched)
        }
        return keys
    }
}
