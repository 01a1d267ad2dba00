import Foundation
import GRDB

/// Server-wide settings (the certificate signing key), one store for every instance of a deployment.
public protocol SettingsStore: Sendable {
    /// The value stored under `key`; when there is none yet, stores `proposed` and returns it. Instances
    /// starting at once all get the one value written first.
    func value(forKey key: String, storingIfAbsent proposed: String) async throws -> String
}

/// `SettingsStore` in the SQLite database's `settings` table.
public struct SQLiteSettingsStore: SettingsStore {
    let writer: any DatabaseWriter

    public init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    public func value(forKey key: String, storingIfAbsent proposed: String) async throws -> String {
        try await writer.write { db in
            try db.execute(sql: "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
                           arguments: [key, proposed])
            return try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = ?", arguments: [key]) ?? proposed
        }
    }
}
