import Foundation
import GRDB

/// Opens the server's SQLite database (WAL) and runs the migrations.
public enum ServerDatabase {
    /// Opens (creating when needed) the database at `path`, migrated to the current schema.
    public static func open(path: String) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        try ServerSchema.migrator.migrate(pool)
        return pool
    }
}
