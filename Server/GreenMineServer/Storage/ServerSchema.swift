import GRDB

/// The server's SQLite schema, as one migrator. Constraints live in the schema.
enum ServerSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
            CREATE TABLE orgs (
                credit_code TEXT PRIMARY KEY NOT NULL,
                name TEXT NOT NULL CHECK (length(name) > 0),
                region TEXT NOT NULL,
                created_at REAL NOT NULL
            );
            CREATE TABLE users (
                id TEXT PRIMARY KEY NOT NULL,
                username TEXT NOT NULL UNIQUE COLLATE NOCASE,
                role TEXT NOT NULL CHECK (role IN ('enterprise','county','city','province','assessor','ministry')),
                org_id TEXT REFERENCES orgs(credit_code),
                region TEXT,
                agency TEXT,
                password_hash BLOB NOT NULL,
                password_salt BLOB NOT NULL,
                kdf TEXT NOT NULL,
                must_change INTEGER NOT NULL DEFAULT 0,
                created_at REAL NOT NULL,
                CHECK (role <> 'enterprise' OR org_id IS NOT NULL),
                CHECK (role NOT IN ('county','city','province') OR region IS NOT NULL),
                CHECK (role <> 'assessor' OR agency IS NOT NULL)
            );
            CREATE TABLE tokens (
                hash BLOB PRIMARY KEY NOT NULL,
                user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                created_at REAL NOT NULL,
                expires_at REAL NOT NULL,
                revoked_at REAL
            );
            CREATE INDEX tokens_user ON tokens(user_id);
            CREATE TABLE records (
                id TEXT PRIMARY KEY NOT NULL,
                kind TEXT NOT NULL,
                version INTEGER NOT NULL CHECK (version >= 1),
                state TEXT NOT NULL,
                org_id TEXT,
                region TEXT,
                parent_id TEXT,
                licence TEXT,
                agency TEXT,
                owner_user TEXT,
                creator_client TEXT,
                province_code TEXT,
                city_code TEXT,
                county_code TEXT,
                review_visible INTEGER NOT NULL,
                deleted INTEGER NOT NULL DEFAULT 0,
                change_seq INTEGER NOT NULL,
                body TEXT NOT NULL
            );
            CREATE INDEX records_change ON records(change_seq);
            CREATE INDEX records_parent ON records(parent_id);
            CREATE INDEX records_licence ON records(licence, kind, state);
            CREATE TABLE record_versions (
                record_id TEXT NOT NULL,
                version INTEGER NOT NULL,
                client_id TEXT,
                user_id TEXT NOT NULL,
                changed_paths TEXT NOT NULL,
                body TEXT NOT NULL,
                created_at REAL NOT NULL,
                PRIMARY KEY (record_id, version)
            ) WITHOUT ROWID;
            CREATE TABLE change_log (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                record_id TEXT NOT NULL,
                version INTEGER NOT NULL,
                at REAL NOT NULL
            );
            CREATE TABLE clients (
                client_id TEXT PRIMARY KEY NOT NULL,
                user_id TEXT NOT NULL REFERENCES users(id),
                last_seq INTEGER NOT NULL CHECK (last_seq >= 0)
            );
            CREATE TABLE mutation_results (
                client_id TEXT NOT NULL,
                seq INTEGER NOT NULL,
                status TEXT NOT NULL,
                record_id TEXT,
                version INTEGER,
                detail TEXT,
                PRIMARY KEY (client_id, seq)
            ) WITHOUT ROWID;
            CREATE TABLE audit_events (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                record_id TEXT NOT NULL,
                action TEXT NOT NULL,
                actor_id TEXT NOT NULL,
                actor_name TEXT NOT NULL,
                role TEXT NOT NULL,
                org_id TEXT,
                server_time REAL NOT NULL,
                device_time REAL,
                from_state TEXT,
                to_state TEXT,
                version INTEGER NOT NULL,
                comment TEXT
            );
            CREATE INDEX audit_record ON audit_events(record_id, seq);
            CREATE TABLE licences (
                number TEXT PRIMARY KEY NOT NULL,
                holder TEXT NOT NULL,
                credit_code TEXT NOT NULL,
                mine_name TEXT NOT NULL,
                main_mineral TEXT NOT NULL,
                mining_method TEXT NOT NULL,
                scale REAL,
                area REAL,
                region TEXT NOT NULL,
                valid_from TEXT NOT NULL,
                valid_to TEXT NOT NULL
            );
            CREATE TABLE catalogues (
                id TEXT PRIMARY KEY NOT NULL,
                version TEXT NOT NULL,
                body TEXT NOT NULL,
                imported_at REAL NOT NULL
            );
            CREATE TABLE blobs (
                sha256 TEXT PRIMARY KEY NOT NULL,
                size INTEGER NOT NULL,
                mime TEXT NOT NULL,
                uploaded_by TEXT,
                created_at REAL NOT NULL
            );
            CREATE TABLE settings (
                key TEXT PRIMARY KEY NOT NULL,
                value TEXT NOT NULL
            );
            """)
        }
        migrator.registerMigration("v2-uploads") { db in
            try db.execute(sql: """
            CREATE TABLE uploads (
                id TEXT PRIMARY KEY NOT NULL,
                user_id TEXT NOT NULL REFERENCES users(id),
                length INTEGER NOT NULL CHECK (length >= 0),
                offset INTEGER NOT NULL CHECK (offset >= 0 AND offset <= length),
                sha256 TEXT NOT NULL,
                filename TEXT NOT NULL,
                filetype TEXT NOT NULL,
                created_at REAL NOT NULL,
                expires_at REAL NOT NULL
            );
            CREATE INDEX uploads_user ON uploads(user_id);
            CREATE TABLE blob_owners (
                sha256 TEXT NOT NULL REFERENCES blobs(sha256),
                user_id TEXT NOT NULL,
                PRIMARY KEY (sha256, user_id)
            ) WITHOUT ROWID;
            CREATE TABLE record_blobs (
                sha256 TEXT NOT NULL,
                record_id TEXT NOT NULL,
                PRIMARY KEY (sha256, record_id)
            ) WITHOUT ROWID;
            """)
        }
        migrator.registerMigration("v3-review-seen") { db in
            // Whether authorities could ever see a record: once set it stays, so a withdrawal reaches
            // their `gone`, while drafts they never saw stay out of it (Visibility.swift).
            try db.execute(sql: """
            ALTER TABLE records ADD COLUMN review_seen INTEGER NOT NULL DEFAULT 0;
            UPDATE records SET review_seen = 1 WHERE review_visible = 1
                OR id IN (SELECT record_id FROM audit_events WHERE action = 'submit')
                OR parent_id IN (SELECT record_id FROM audit_events WHERE action = 'submit');
            """)
        }
        migrator.registerMigration("v4-publish-catalogues") { db in
            // Catalogues imported before they were published as records reach devices too.
            try CatalogueMigration.publishUnpublished(db)
        }
        migrator.registerMigration("v5-record-exits") { db in
            // When a record an authority has seen leaves someone's reach — its county, city, province or
            // assigned agency changes — the old audience is written down with the change number, so
            // their next pull lists the record as `gone` (Visibility.swift).
            try db.execute(sql: """
            CREATE TABLE record_exits (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                record_id TEXT NOT NULL,
                change_seq INTEGER NOT NULL,
                org_id TEXT,
                province_code TEXT,
                city_code TEXT,
                county_code TEXT,
                agency TEXT
            );
            CREATE INDEX record_exits_change ON record_exits(change_seq);
            CREATE TRIGGER record_exit AFTER UPDATE OF org_id, province_code, city_code, county_code, agency ON records
            WHEN OLD.review_seen = 1 AND (OLD.org_id IS NOT NEW.org_id OR OLD.province_code IS NOT NEW.province_code
                OR OLD.city_code IS NOT NEW.city_code OR OLD.county_code IS NOT NEW.county_code
                OR OLD.agency IS NOT NEW.agency)
            BEGIN
                INSERT INTO record_exits (record_id, change_seq, org_id, province_code, city_code, county_code, agency)
                VALUES (OLD.id, NEW.change_seq, OLD.org_id, OLD.province_code, OLD.city_code, OLD.county_code, OLD.agency);
            END;
            """)
        }
        migrator.registerMigration("v6-completed-uploads") { db in
            // A finished upload keeps its row until it expires, so `HEAD` still answers its offset
            // (= length) and the blob's SHA-256 when the answer to the last PATCH was lost.
            try db.execute(sql: """
            ALTER TABLE uploads ADD COLUMN completed_sha256 TEXT;
            ALTER TABLE uploads ADD COLUMN completed_at REAL;
            """)
        }
        migrator.registerMigration("v7-record-files") { db in
            // The files each record has attached now (`record_blobs` keeps every file any version
            // ever had, so blobs are never deleted): a blob is read only through a record that has
            // it now, so a file detached in draft is not readable by reviewers after the submit.
            try db.execute(sql: """
            CREATE TABLE record_files (
                record_id TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                PRIMARY KEY (sha256, record_id)
            ) WITHOUT ROWID;
            CREATE INDEX record_files_record ON record_files(record_id);
            INSERT OR IGNORE INTO record_files (record_id, sha256)
                SELECT r.id, lower(json_extract(a.value, '$.sha256'))
                FROM records r, json_each(r.body, '$.attachments') a
                WHERE json_extract(a.value, '$.sha256') IS NOT NULL;
            """)
        }
        migrator.registerMigration("v8-agencies") { db in
            // Assessment agencies are kept by the server (`agencies add`). Every agency name already
            // carried by an assessor account or an assigned application becomes one, serving every
            // province, with a code in order of name (AG0001, …). Assessments are stamped with the
            // agency of their application (what counted for them until now), so that an application
            // assigned again leaves the old agency's assessment behind (`AgencyRules.counts`): in
            // place, in the current body and its snapshot, as a server-kept field every version had.
            try db.execute(sql: """
            CREATE TABLE agencies (
                code TEXT PRIMARY KEY NOT NULL COLLATE NOCASE CHECK (length(code) > 0),
                name TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
                provinces TEXT NOT NULL DEFAULT '',
                created_at REAL NOT NULL
            );
            INSERT INTO agencies (code, name, provinces, created_at)
                SELECT printf('AG%04d', row_number() OVER (ORDER BY name)), name, '', CAST(strftime('%s', 'now') AS REAL)
                FROM (SELECT agency AS name FROM users WHERE agency IS NOT NULL AND length(agency) > 0
                      UNION SELECT agency FROM records
                      WHERE kind = 'application' AND agency IS NOT NULL AND length(agency) > 0);
            UPDATE records SET body = json_set(body, '$.fields."review.agency"', agency)
                WHERE kind = 'assessment' AND agency IS NOT NULL
                  AND json_extract(body, '$.fields."review.agency"') IS NULL;
            UPDATE record_versions SET body = (SELECT r.body FROM records r WHERE r.id = record_versions.record_id)
                WHERE EXISTS (SELECT 1 FROM records r WHERE r.id = record_versions.record_id
                              AND r.version = record_versions.version AND r.kind = 'assessment'
                              AND r.agency IS NOT NULL);
            """)
        }
        migrator.registerMigration("v9-console-sessions") { db in
            // Console sessions lapse after an idle time (`idle_limit`, seconds; NULL for API tokens);
            // their last use is written at most once a minute (AuthService.touchInterval). The public
            // directory lists certificates by number.
            try db.execute(sql: """
            ALTER TABLE tokens ADD COLUMN idle_limit REAL;
            ALTER TABLE tokens ADD COLUMN last_used_at REAL;
            CREATE INDEX records_certificate_number ON records(json_extract(body, '$.fields."certificate.number"'))
                WHERE kind = 'certificate';
            """)
        }
        migrator.registerMigration("v10-console-queue") { db in
            // The work queue over 100,000 records: its counts and its search are served by one covering
            // index (kind and state first, then every column the visibility and the search read);
            // `search_text` is what the search box matches (QueueSearchText), written with every record.
            try db.execute(sql: "ALTER TABLE records ADD COLUMN search_text TEXT")
            try db.execute(sql: "UPDATE records SET search_text = \(QueueSearchText.sql)")
            try db.execute(sql: """
            CREATE INDEX records_queue ON records(kind, state, review_visible, deleted, province_code, city_code,
                county_code, agency, region, search_text, change_seq, id);
            """)
        }
        SQLitePortalStore.registerMigration(&migrator)
        SQLiteLoginFailureStore.registerMigration(&migrator)
        SQLiteUploadStore.registerMigration(&migrator)
        migrator.registerMigration("v14-partial-indexes") { db in
            // Only what authorities may see is ever in a work queue or the dashboard (each of their
            // queries has the term `r.review_visible = 1`, which is what lets SQLite use a partial
            // index), and only children have a parent. So a top-level draft, most of what a mine
            // pushes, writes neither entry: a mutation wrote 12 b-tree entries, the queue's the widest
            // (docs/DECISIONS.md, "Two partial indexes"). The queue index was also the only one
            // starting with the kind, so the two reads of records that are never review-visible get
            // small ones of their own: notices newest first, and a user's own records (profiles).
            try db.execute(sql: """
            DROP INDEX records_queue;
            CREATE INDEX records_queue ON records(kind, state, review_visible, deleted, province_code, city_code,
                county_code, agency, region, search_text, change_seq, id) WHERE review_visible = 1;
            DROP INDEX records_parent;
            CREATE INDEX records_parent ON records(parent_id) WHERE parent_id IS NOT NULL;
            CREATE INDEX records_notice ON records(change_seq) WHERE kind = 'notice';
            CREATE INDEX records_owner ON records(owner_user, kind) WHERE owner_user IS NOT NULL;
            """)
        }
        migrator.registerMigration("v15-versions-in-order") { db in
            // New versions are appended in the order they are written, found by a unique index on (record,
            // version). Clustered on that key (WITHOUT ROWID), every version of ~1.2 KB went into a random
            // page of the table, so a batch of 500 creates dirtied, wrote to the log and later checkpointed
            // about one page per version (docs/DECISIONS.md, "The push's pages"). The versions already
            // kept are copied in key order, the old table's own, so nothing is sorted.
            try db.execute(sql: """
            CREATE TABLE record_versions_in_order (
                record_id TEXT NOT NULL,
                version INTEGER NOT NULL,
                client_id TEXT,
                user_id TEXT NOT NULL,
                changed_paths TEXT NOT NULL,
                body TEXT NOT NULL,
                created_at REAL NOT NULL
            );
            INSERT INTO record_versions_in_order (record_id, version, client_id, user_id, changed_paths, body, created_at)
                SELECT record_id, version, client_id, user_id, changed_paths, body, created_at FROM record_versions;
            DROP TABLE record_versions;
            ALTER TABLE record_versions_in_order RENAME TO record_versions;
            CREATE UNIQUE INDEX record_versions_key ON record_versions(record_id, version);
            """)
        }
        return migrator
    }
}
