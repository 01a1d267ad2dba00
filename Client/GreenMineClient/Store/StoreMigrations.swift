import Foundation
import GRDB

/// The store's schema, as one migrator; constraints live in the schema.
enum StoreMigrations {
    /// Migrations a read-only store may lack and still be read: v8 only changes how a record is kept
    /// (`working` NULL = the base), and a store before it holds every working copy.
    static let readableWithout: Set<String> = ["v8-working-when-changed"]

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE records (
                    id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36 AND id = lower(id)),
                    kind TEXT NOT NULL,
                    parent_id TEXT,
                    base TEXT,
                    base_version INTEGER CHECK (base_version IS NULL OR base_version >= 1),
                    origin TEXT,
                    working TEXT NOT NULL,
                    state TEXT NOT NULL,
                    deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
                    updated_local TEXT NOT NULL,
                    CHECK ((base IS NULL) = (base_version IS NULL))
                );
                CREATE INDEX records_by_kind ON records(kind, state);
                CREATE INDEX records_by_parent ON records(parent_id);

                CREATE TABLE outbox (
                    seq INTEGER PRIMARY KEY NOT NULL CHECK (seq >= 1),
                    record_id TEXT NOT NULL,
                    mutation TEXT NOT NULL,
                    queued_at TEXT NOT NULL
                );
                CREATE INDEX outbox_by_record ON outbox(record_id, seq);

                CREATE TABLE conflicts (
                    id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36 AND id = lower(id)),
                    record_id TEXT NOT NULL,
                    path TEXT NOT NULL,
                    mine TEXT NOT NULL,
                    theirs TEXT NOT NULL,
                    seq INTEGER NOT NULL,
                    created_at TEXT NOT NULL,
                    resolved_at TEXT,
                    resolution TEXT CHECK (resolution IN ('mine', 'theirs', 'set')),
                    CHECK ((resolved_at IS NULL) = (resolution IS NULL))
                );
                CREATE UNIQUE INDEX conflicts_open ON conflicts(record_id, path) WHERE resolved_at IS NULL;

                CREATE TABLE rejections (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    seq INTEGER NOT NULL,
                    record_id TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    op TEXT NOT NULL,
                    transition TEXT,
                    code TEXT NOT NULL,
                    message TEXT NOT NULL,
                    message_zh TEXT,
                    created_at TEXT NOT NULL,
                    seen INTEGER NOT NULL DEFAULT 0 CHECK (seen IN (0, 1))
                );
                CREATE INDEX rejections_by_record ON rejections(record_id);

                CREATE TABLE sync_state (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    client_id TEXT NOT NULL,
                    next_seq INTEGER NOT NULL DEFAULT 1 CHECK (next_seq >= 1),
                    cursor TEXT,
                    last_seq_acked INTEGER NOT NULL DEFAULT 0 CHECK (last_seq_acked >= 0),
                    last_sync_at TEXT,
                    server_url TEXT,
                    user TEXT
                );

                CREATE TABLE licences (
                    number TEXT PRIMARY KEY NOT NULL,
                    info TEXT NOT NULL,
                    fetched_at TEXT NOT NULL
                );

                CREATE TABLE notices_read (
                    record_id TEXT PRIMARY KEY NOT NULL,
                    read_at TEXT NOT NULL
                );
                """)
        }
        migrator.registerMigration("v2-attachments") { db in
            // `blobs`: the files in the home's blob store (`blobs/aa/<sha256>`); a row exists only once
            // its file is in place. `uploads`: tus uploads in progress, so a restart resumes them.
            try db.execute(sql: """
                CREATE TABLE blobs (
                    sha256 TEXT PRIMARY KEY NOT NULL CHECK (length(sha256) = 64 AND sha256 = lower(sha256)),
                    size INTEGER NOT NULL CHECK (size > 0),
                    mime TEXT NOT NULL,
                    stored_at TEXT NOT NULL
                );

                CREATE TABLE uploads (
                    sha256 TEXT PRIMARY KEY NOT NULL CHECK (length(sha256) = 64 AND sha256 = lower(sha256)),
                    url TEXT NOT NULL,
                    length INTEGER NOT NULL CHECK (length > 0),
                    offset INTEGER NOT NULL DEFAULT 0 CHECK (offset >= 0 AND offset <= length),
                    created TEXT NOT NULL
                );
                """)
        }
        VerificationKeyStore.registerMigration(&migrator)
        migrator.registerMigration("v4-seq-sent") { db in
            // The highest seq ever put on the wire. Queued mutations above it were never sent, so
            // their seqs may be reordered (a change waiting for its file goes last); a store from
            // before counts everything queued as sent.
            try db.execute(sql: """
                ALTER TABLE sync_state ADD COLUMN max_seq_sent INTEGER NOT NULL DEFAULT 0;
                UPDATE sync_state SET max_seq_sent = next_seq - 1;
                """)
        }
        AgencyCache.registerMigration(&migrator)
        RecordCounts.registerMigration(&migrator)
        PortalCache.registerMigration(&migrator)
        migrator.registerMigration("v8-working-when-changed") { db in
            // A record whose working copy equals its base keeps its JSON once: `working` is NULL then
            // (issue 15: the first sync of 100,000 records wrote every snapshot twice). SQLite cannot
            // drop a NOT NULL, so the table is made again, with its indexes and the counts' triggers.
            try db.execute(sql: """
                CREATE TABLE records_new (
                    id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36 AND id = lower(id)),
                    kind TEXT NOT NULL,
                    parent_id TEXT,
                    base TEXT,
                    base_version INTEGER CHECK (base_version IS NULL OR base_version >= 1),
                    origin TEXT,
                    working TEXT,
                    state TEXT NOT NULL,
                    deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
                    updated_local TEXT NOT NULL,
                    CHECK ((base IS NULL) = (base_version IS NULL)),
                    CHECK (working IS NOT NULL OR base IS NOT NULL)
                );
                INSERT INTO records_new (id, kind, parent_id, base, base_version, origin, working, state, deleted,
                                         updated_local)
                    SELECT id, kind, parent_id, base, base_version, origin,
                           CASE WHEN working IS base THEN NULL ELSE working END, state, deleted, updated_local
                    FROM records;
                DROP TABLE records;
                ALTER TABLE records_new RENAME TO records;
                CREATE INDEX records_by_kind ON records(kind, state);
                CREATE INDEX records_by_parent ON records(parent_id);
                \(RecordCounts.triggers)
                """)
        }
        return migrator
    }
}
