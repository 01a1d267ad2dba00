import Foundation
import GRDB
import GreenMineShared

/// The number of live records per kind and state, kept by triggers as `records` changes, so that
/// `status` (首页) reads a few rows instead of counting the whole store (issue 14: 146 ms at 100,000
/// records before). The triggers are the only writers; the migration fills the table once.
enum RecordCounts {
    static func registerMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v6-record-counts") { db in
            try db.execute(sql: """
                CREATE TABLE record_counts (
                    kind TEXT NOT NULL,
                    state TEXT NOT NULL,
                    count INTEGER NOT NULL CHECK (count >= 0),
                    PRIMARY KEY (kind, state)
                ) WITHOUT ROWID;
                INSERT INTO record_counts (kind, state, count)
                    SELECT kind, state, COUNT(*) FROM records WHERE deleted = 0 GROUP BY kind, state;
                \(triggers)
                """)
        }
    }

    /// The triggers that keep the counts (made again whenever `records` is rebuilt). Migrations v6 and v8
    /// both create them from this text: never edit it; a change needs a new migration that drops and
    /// re-creates them.
    static let triggers = """
        CREATE TRIGGER record_counts_insert AFTER INSERT ON records WHEN NEW.deleted = 0
        BEGIN
            INSERT INTO record_counts (kind, state, count) VALUES (NEW.kind, NEW.state, 1)
                ON CONFLICT (kind, state) DO UPDATE SET count = count + 1;
        END;
        CREATE TRIGGER record_counts_delete AFTER DELETE ON records WHEN OLD.deleted = 0
        BEGIN
            UPDATE record_counts SET count = count - 1 WHERE kind = OLD.kind AND state = OLD.state;
        END;
        CREATE TRIGGER record_counts_update AFTER UPDATE OF kind, state, deleted ON records
            WHEN OLD.kind IS NOT NEW.kind OR OLD.state IS NOT NEW.state OR OLD.deleted IS NOT NEW.deleted
        BEGIN
            UPDATE record_counts SET count = count - 1
                WHERE OLD.deleted = 0 AND kind = OLD.kind AND state = OLD.state;
            INSERT INTO record_counts (kind, state, count) SELECT NEW.kind, NEW.state, 1 WHERE NEW.deleted = 0
                ON CONFLICT (kind, state) DO UPDATE SET count = count + 1;
        END;
        """

    /// The counts of live records, by kind and state (kinds or states this client does not know are skipped).
    static func all(_ db: Database) throws -> [StatusReport.Count] {
        try Row.fetchAll(db, sql: "SELECT kind, state, count FROM record_counts WHERE count > 0 ORDER BY kind, state")
            .compactMap { row -> StatusReport.Count? in
                guard let kind = RecordKind(rawValue: row[0]), let state = RecordState(rawValue: row[1]) else { return nil }
                return StatusReport.Count(kind: kind, state: state, count: row[2])
            }
    }
}
