import Foundation
import PostgresNIO

/// The PostgreSQL schema, in migrations applied in order and recorded in `schema_migrations`. Every
/// instance migrates at start inside one transaction holding a transaction-level advisory lock, so
/// instances starting together apply each migration once and none starts on half a schema.
enum PostgresSchema {
    /// The key of the advisory lock migrations hold ("GreenMin" in ASCII).
    static let lockKey: Int64 = 0x4772_6565_6E4D_696E

    /// Each migration: its id and its statements, in order. The tables of the other stores come with
    /// their PostgreSQL implementations (issue 13).
    static let migrations: [(id: String, statements: [String])] = [
        ("v1-settings", [
            "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        ]),
        ("v2-login-failures", [
            "CREATE TABLE login_failures (key TEXT NOT NULL, at DOUBLE PRECISION NOT NULL)",
            "CREATE INDEX login_failures_key ON login_failures (key, at)",
            "CREATE INDEX login_failures_at ON login_failures (at)",
        ]),
        // The records and what a push writes beside them: the SQLite schema's tables as they stand after
        // its v10 (ServerSchema.swift), with flags as integers so both backends share the visibility
        // SQL (Visibility.swift). Change numbers come from one counter row (`change_counter`), taken
        // with a row lock in the committing transaction: numbers commit in order (docs/DECISIONS.md,
        // "The pull cursor on PostgreSQL").
        ("v3-records", [
            """
            CREATE TABLE orgs (
                credit_code TEXT PRIMARY KEY, name TEXT NOT NULL CHECK (length(name) > 0),
                region TEXT NOT NULL, created_at DOUBLE PRECISION NOT NULL)
            """,
            """
            CREATE TABLE users (
                id TEXT PRIMARY KEY,
                username TEXT NOT NULL,
                role TEXT NOT NULL CHECK (role IN ('enterprise','county','city','province','assessor','ministry')),
                org_id TEXT REFERENCES orgs(credit_code), region TEXT, agency TEXT,
                password_hash BYTEA NOT NULL, password_salt BYTEA NOT NULL, kdf TEXT NOT NULL,
                must_change INTEGER NOT NULL DEFAULT 0, created_at DOUBLE PRECISION NOT NULL,
                CHECK (role <> 'enterprise' OR org_id IS NOT NULL),
                CHECK (role NOT IN ('county','city','province') OR region IS NOT NULL),
                CHECK (role <> 'assessor' OR agency IS NOT NULL))
            """,
            "CREATE UNIQUE INDEX users_username ON users (lower(username))",
            """
            CREATE TABLE records (
                id TEXT PRIMARY KEY, kind TEXT NOT NULL, version INTEGER NOT NULL CHECK (version >= 1),
                state TEXT NOT NULL, org_id TEXT, region TEXT, parent_id TEXT, licence TEXT, agency TEXT,
                owner_user TEXT, creator_client TEXT, province_code TEXT, city_code TEXT, county_code TEXT,
                review_visible INTEGER NOT NULL, review_seen INTEGER NOT NULL DEFAULT 0,
                deleted INTEGER NOT NULL DEFAULT 0, change_seq BIGINT NOT NULL, body TEXT NOT NULL, search_text TEXT)
            """,
            "CREATE INDEX records_change ON records (change_seq)",
            "CREATE INDEX records_parent ON records (parent_id)",
            "CREATE INDEX records_licence ON records (licence, kind, state)",
            "CREATE TABLE change_counter (only_row INTEGER PRIMARY KEY CHECK (only_row = 1), value BIGINT NOT NULL)",
            "INSERT INTO change_counter (only_row, value) VALUES (1, 0)",
            """
            CREATE TABLE record_versions (
                record_id TEXT NOT NULL, version INTEGER NOT NULL, client_id TEXT, user_id TEXT NOT NULL,
                changed_paths TEXT NOT NULL, body TEXT NOT NULL, created_at DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (record_id, version))
            """,
            """
            CREATE TABLE clients (
                client_id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id),
                last_seq INTEGER NOT NULL CHECK (last_seq >= 0))
            """,
            """
            CREATE TABLE mutation_results (
                client_id TEXT NOT NULL, seq INTEGER NOT NULL, status TEXT NOT NULL, record_id TEXT,
                version INTEGER, detail TEXT, PRIMARY KEY (client_id, seq))
            """,
            """
            CREATE TABLE audit_events (
                seq BIGSERIAL PRIMARY KEY, record_id TEXT NOT NULL, action TEXT NOT NULL, actor_id TEXT NOT NULL,
                actor_name TEXT NOT NULL, role TEXT NOT NULL, org_id TEXT, server_time DOUBLE PRECISION NOT NULL,
                device_time DOUBLE PRECISION, from_state TEXT, to_state TEXT, version INTEGER NOT NULL, comment TEXT)
            """,
            "CREATE INDEX audit_record ON audit_events (record_id, seq)",
            """
            CREATE TABLE licences (
                number TEXT PRIMARY KEY, holder TEXT NOT NULL, credit_code TEXT NOT NULL, mine_name TEXT NOT NULL,
                main_mineral TEXT NOT NULL, mining_method TEXT NOT NULL, scale DOUBLE PRECISION,
                area DOUBLE PRECISION, region TEXT NOT NULL, valid_from TEXT NOT NULL, valid_to TEXT NOT NULL)
            """,
            """
            CREATE TABLE catalogues (
                id TEXT PRIMARY KEY, version TEXT NOT NULL, body TEXT NOT NULL, imported_at DOUBLE PRECISION NOT NULL,
                import_order BIGSERIAL)
            """,
            """
            CREATE TABLE blobs (
                sha256 TEXT PRIMARY KEY, size BIGINT NOT NULL, mime TEXT NOT NULL, uploaded_by TEXT,
                created_at DOUBLE PRECISION NOT NULL)
            """,
            """
            CREATE TABLE blob_owners (
                sha256 TEXT NOT NULL REFERENCES blobs(sha256), user_id TEXT NOT NULL, PRIMARY KEY (sha256, user_id))
            """,
            "CREATE TABLE record_blobs (sha256 TEXT NOT NULL, record_id TEXT NOT NULL, PRIMARY KEY (sha256, record_id))",
            "CREATE TABLE record_files (record_id TEXT NOT NULL, sha256 TEXT NOT NULL, PRIMARY KEY (sha256, record_id))",
            "CREATE INDEX record_files_record ON record_files (record_id)",
            """
            CREATE TABLE record_exits (
                seq BIGSERIAL PRIMARY KEY, record_id TEXT NOT NULL, change_seq BIGINT NOT NULL, org_id TEXT,
                province_code TEXT, city_code TEXT, county_code TEXT, agency TEXT)
            """,
            "CREATE INDEX record_exits_change ON record_exits (change_seq)",
            """
            CREATE FUNCTION record_exit() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO record_exits (record_id, change_seq, org_id, province_code, city_code, county_code, agency)
                VALUES (OLD.id, NEW.change_seq, OLD.org_id, OLD.province_code, OLD.city_code, OLD.county_code,
                        OLD.agency);
                RETURN NEW;
            END $$
            """,
            """
            CREATE TRIGGER record_exit AFTER UPDATE OF org_id, province_code, city_code, county_code, agency
            ON records FOR EACH ROW
            WHEN (OLD.review_seen = 1 AND (OLD.org_id IS DISTINCT FROM NEW.org_id
                OR OLD.province_code IS DISTINCT FROM NEW.province_code OR OLD.city_code IS DISTINCT FROM NEW.city_code
                OR OLD.county_code IS DISTINCT FROM NEW.county_code OR OLD.agency IS DISTINCT FROM NEW.agency))
            EXECUTE FUNCTION record_exit()
            """,
            """
            CREATE TABLE agencies (
                code TEXT PRIMARY KEY CHECK (length(code) > 0), name TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
                provinces TEXT NOT NULL DEFAULT '', created_at DOUBLE PRECISION NOT NULL)
            """,
        ]),
        // Bearer tokens and console sessions (SQLite's v1 and v9): one row per token, so a revocation
        // on one instance holds on every other at the next read (`TokenCache` keeps a grant 2 s at most).
        ("v4-tokens", [
            """
            CREATE TABLE tokens (
                hash BYTEA PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                created_at DOUBLE PRECISION NOT NULL, expires_at DOUBLE PRECISION NOT NULL,
                revoked_at DOUBLE PRECISION, idle_limit DOUBLE PRECISION, last_used_at DOUBLE PRECISION)
            """,
            "CREATE INDEX tokens_user ON tokens (user_id)",
        ]),
        // The home page's support contacts and downloads (SQLite's v11-portal); the ministry's rows have
        // the province ''.
        ("v5-portal", [
            """
            CREATE TABLE portal_support (
                province TEXT PRIMARY KEY, name TEXT, phone TEXT, email TEXT, hours TEXT,
                updated_at DOUBLE PRECISION NOT NULL)
            """,
            """
            CREATE TABLE portal_downloads (
                id BIGSERIAL PRIMARY KEY, province TEXT NOT NULL, title TEXT NOT NULL CHECK (length(title) > 0),
                name TEXT NOT NULL, sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
                size BIGINT NOT NULL CHECK (size >= 0), mime TEXT NOT NULL,
                published_at DOUBLE PRECISION NOT NULL, withdrawn_at DOUBLE PRECISION)
            """,
            "CREATE INDEX portal_downloads_sha256 ON portal_downloads (sha256)",
        ]),
        // Resumable uploads (SQLite's v2 and v6). `offset` is a reserved word here: always quoted.
        ("v6-uploads", [
            """
            CREATE TABLE uploads (
                id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id),
                length BIGINT NOT NULL CHECK (length >= 0),
                "offset" BIGINT NOT NULL CHECK ("offset" >= 0 AND "offset" <= length),
                sha256 TEXT NOT NULL, filename TEXT NOT NULL, filetype TEXT NOT NULL,
                created_at DOUBLE PRECISION NOT NULL, expires_at DOUBLE PRECISION NOT NULL,
                completed_sha256 TEXT, completed_at DOUBLE PRECISION)
            """,
            "CREATE INDEX uploads_user ON uploads (user_id)",
        ]),
        // When each change was made, for the work queue's time filters (SQLite's `change_log`): written
        // by the same statement that takes the change number. Changes before it get their version's time.
        ("v7-change-log", [
            "CREATE TABLE change_log (seq BIGINT PRIMARY KEY, at DOUBLE PRECISION NOT NULL)",
            """
            INSERT INTO change_log (seq, at)
            SELECT r.change_seq, v.created_at FROM records r
            JOIN record_versions v ON v.record_id = r.id AND v.version = r.version
            """,
        ]),
        // An upload's write claim (`UploadStore.claimWrite`): one instance writes an upload at a time.
        ("v8-upload-writer", [
            "ALTER TABLE uploads ADD COLUMN writer TEXT, ADD COLUMN writer_until DOUBLE PRECISION",
        ]),
        // The work queue's counts and pages and the dashboard read records by kind and state (SQLite
        // has its covering `records_queue` for the same).
        ("v9-records-kind-state", [
            "CREATE INDEX records_kind_state ON records (kind, state, change_seq)",
        ]),
    ]

    static func migrate(_ database: PostgresDatabase) async throws {
        let logger = database.logger
        try await database.transaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
            try await connection.query("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    id TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
                """, logger: logger)
            var applied: Set<String> = []
            for try await id in try await connection.query("SELECT id FROM schema_migrations", logger: logger)
                .decode(String.self) {
                applied.insert(id)
            }
            for migration in migrations where !applied.contains(migration.id) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query("INSERT INTO schema_migrations (id) VALUES (\(migration.id))", logger: logger)
            }
        }
    }
}
