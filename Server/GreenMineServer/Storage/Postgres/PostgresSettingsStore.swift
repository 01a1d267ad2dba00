import Foundation
import PostgresNIO

/// `SettingsStore` in PostgreSQL's `settings` table: an insert that does nothing when the key exists,
/// then a read, so every instance gets the value written first.
public struct PostgresSettingsStore: SettingsStore {
    let database: PostgresDatabase

    public init(database: PostgresDatabase) {
        self.database = database
    }

    public func value(forKey key: String, storingIfAbsent proposed: String) async throws -> String {
        let logger = database.logger
        try await database.client.query(
            "INSERT INTO settings (key, value) VALUES (\(key), \(proposed)) ON CONFLICT (key) DO NOTHING", logger: logger)
        for try await value in try await database.client.query("SELECT value FROM settings WHERE key = \(key)",
                                                                logger: logger).decode(String.self) {
            return value
        }
        throw StoredDataCorrupt(what: "settings.\(key)", reason: "missing right after it was stored")
    }
}
