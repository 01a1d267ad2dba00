import Foundation
import GRDB

/// Opens the server's SQLite database (WAL) and runs the migrations.
public enum ServerDatabase {
    /// Opens (creating when needed) the database at `path`, migrated to the current schema.
    public static func open(path: String) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        // Kept alive by this closure, which every connection of the pool keeps (`WALCheckpointer`).
        let checkpointer = WALCheckpointer(path: path)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            // The writer keeps more pages in memory (16 MB instead of SQLite's 2 MB: a push batch touches
            // pages all over the records, versions and audit trees, keyed by random UUIDs) and the WAL is
            // checkpointed every 4,000 pages beside it (`WALCheckpointer`), by the writer itself at
            // 8,000 pages not copied instead of SQLite's 1,000, so a page written by many batches is
            // copied into the database less often. Trade-off: after a power loss (not a crash of the
            // process, which loses nothing in WAL mode), synchronous = NORMAL may roll back up to ~32 MB
            // of commits instead of ~4 MB. Push: ~8,500/s → ~11,000/s (docs/BENCHMARKS.md).
            if !db.configuration.readonly {
                try db.execute(sql: "PRAGMA cache_size = -16000")
                checkpointer.install(on: db)
            }
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        try ServerSchema.migrator.migrate(pool)
        return pool
    }
}
