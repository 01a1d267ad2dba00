import Foundation
import GreenMineShared
import Logging
import PostgresNIO

/// The PostgreSQL side of one push transaction (`PostgresRecordStore.write`), the same reads and writes
/// as `SQLiteRecordTransaction`; the transaction holds the `change_counter` row lock from its start, so
/// pushes on every instance take turns and change numbers commit in order.
struct PostgresRecordTransaction: RecordTransaction {
    let connection: PostgresConnection
    let regions: RegionTable
    let logger: Logger
    /// What the push writes at its end (nil where the transaction only reads).
    var pending: PostgresPendingWrites?

    /// The columns of a pending audit row, in order.
    static let auditColumns = """
        audit_events (record_id, action, actor_id, actor_name, role, org_id, server_time, device_time, from_state,
                      to_state, version, comment)
        """
    /// The columns of a pending result row, in order.
    static let resultColumns = "mutation_results (client_id, seq, status, record_id, version, detail)"

    private func writes() throws -> PostgresPendingWrites {
        guard let pending else { throw StoredDataCorrupt(what: "a PostgreSQL read transaction", reason: "asked to write") }
        return pending
    }

    private func rows(_ sql: String, _ values: [SQLArgument] = []) async throws -> [PostgresRandomAccessRow] {
        try await PostgresSQL.rows(connection, sql, values, logger: logger)
    }

    private func execute(_ sql: String, _ values: [SQLArgument] = []) async throws {
        try await PostgresSQL.execute(connection, sql, values, logger: logger)
    }

    /// Two pushes of one client on two instances take turns (under the counter's row lock every push
    /// transaction holds, `PostgresRecordStore.write`), whether or not its row exists yet: the second
    /// reads the first's last seq once the first has committed.
    func client(_ id: UUID) async throws -> (userId: String, lastSeq: Int)? {
        try await rows("SELECT user_id, last_seq FROM clients WHERE client_id = ?", [.text(id.storedString)])
            .first.map { (try $0.get("user_id"), try $0.get("last_seq")) }
    }

    func setClient(_ id: UUID, userId: String, lastSeq: Int) async throws {
        try await execute("""
            INSERT INTO clients (client_id, user_id, last_seq) VALUES (?, ?, ?)
            ON CONFLICT (client_id) DO UPDATE SET last_seq = excluded.last_seq
            """, [.text(id.storedString), .text(userId), .integer(lastSeq)])
    }

    func storedResult(client: UUID, seq: Int) async throws -> MutationResult? {
        if let result = pending?.storedResult(client: client, seq: seq) { return result }
        guard let row = try await rows("SELECT * FROM mutation_results WHERE client_id = ? AND seq = ?",
                                       [.text(client.storedString), .integer(seq)]).first else { return nil }
        var result = MutationResult(seq: seq, status: MutationStatus(rawValue: try row.get("status")) ?? .rejected)
        try SQLiteRecordTransaction.StoredDetail.restore(try row.get("detail"), into: &result)
        if let recordId: String = try row.get("record_id"), let version: Int = try row.get("version"),
           let body: String = try await rows("SELECT body FROM record_versions WHERE record_id = ? AND version = ?",
                                             [.text(recordId), .integer(version)]).first?.get("body") {
            result.record = try WireCoding.decodeFast(Record.self, from: Data(body.utf8))
        }
        return result
    }

    func storeResult(client: UUID, _ result: MutationResult) async throws {
        let detail = try SQLiteRecordTransaction.StoredDetail.column(of: result)
        try writes().result(result, client: client, values: [
            .text(client.storedString), .integer(result.seq), .text(result.status.rawValue),
            .text(result.record?.id.storedString), .integer(result.record?.version), .text(detail),
        ])
    }

    func exists(_ id: UUID) async throws -> Bool {
        try await !rows("SELECT 1 FROM records WHERE id = ?", [.text(id.storedString)]).isEmpty
    }

    func visibleRecord(_ id: UUID, to user: AuthenticatedUser) async throws -> StoredRecord? {
        let filter = VisibilityFilter(user: user, regions: regions)
        return try await rows("SELECT r.body, r.creator_client FROM records r WHERE r.id = ? AND \(filter.visible)",
                              [.text(id.storedString)] + filter.values).first.map(stored)
    }

    func record(_ id: UUID) async throws -> StoredRecord? {
        try await rows("SELECT body, creator_client FROM records WHERE id = ?", [.text(id.storedString)]).first.map(stored)
    }

    private func stored(_ row: PostgresRandomAccessRow) throws -> StoredRecord {
        let body: String = try row.get("body")
        let creator: String? = try row.get("creator_client")
        return StoredRecord(record: try WireCoding.decodeFast(Record.self, from: Data(body.utf8)),
                            creatorClient: creator.flatMap({ UUID(text: $0) }))
    }

    func snapshot(of id: UUID, version: Int) async throws -> Record? {
        try await rows("SELECT body FROM record_versions WHERE record_id = ? AND version = ?",
                       [.text(id.storedString), .integer(version)]).first.map {
            try WireCoding.decodeFast(Record.self, from: Data((try $0.get("body", as: String.self)).utf8))
        }
    }

    func versions(of id: UUID, after version: Int) async throws -> [VersionInfo] {
        try await rows("""
            SELECT version, client_id, changed_paths FROM record_versions
            WHERE record_id = ? AND version > ? ORDER BY version
            """, [.text(id.storedString), .integer(version)]).map { row in
            try VersionInfo(stored: id, version: try row.get("version"), client: try row.get("client_id"),
                            changedPaths: try row.get("changed_paths"))
        }
    }

    func save(_ stored: StoredRecord, parent: Record?, changedPaths: [String], userId: String, clientId: UUID?,
              at: Date) async throws {
        let record = stored.record
        let body = FastJSON.encode(record)
        let changeSeq = try writes().nextChange(at: at)
        // The row and its version in one statement (one round trip).
        let columns = VisibilityColumns.make(record, parent: parent, regions: regions)
        try await execute("WITH current_row AS (" + RecordRowSQL.upsert + " RETURNING 1) " + """
            INSERT INTO record_versions (record_id, version, client_id, user_id, changed_paths, body, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, RecordRowSQL.values(record, columns: columns, creator: stored.creatorClient, body: body,
                                     changeSeq: changeSeq)
                + [.text(record.id.storedString), .integer(record.version), .text(clientId?.storedString), .text(userId),
                   .text(FastJSON.encode(paths: changedPaths)), .text(body), .real(at.timeIntervalSince1970)])
        if changedPaths.contains("@attachments") {
            for attachment in record.attachments {
                try await execute("INSERT INTO record_blobs (sha256, record_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                                  [.text(attachment.sha256), .text(record.id.storedString)])
            }
            try await execute("DELETE FROM record_files WHERE record_id = ?", [.text(record.id.storedString)])
            for attachment in record.attachments {
                try await execute("INSERT INTO record_files (sha256, record_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                                  [.text(attachment.sha256), .text(record.id.storedString)])
            }
        }
    }

    func touchChildren(of parent: Record, at: Date) async throws {
        for row in try await rows("SELECT body, creator_client FROM records WHERE parent_id = ?",
                                  [.text(parent.id.storedString)]) {
            let child = try stored(row)
            try await upsertRow(child.record, parent: parent, creator: child.creatorClient, body: try row.get("body"),
                                changeSeq: try writes().nextChange(at: at))
        }
    }

    private func upsertRow(_ record: Record, parent: Record?, creator: UUID?, body: String, changeSeq: Int64)
        async throws {
        let columns = VisibilityColumns.make(record, parent: parent, regions: regions)
        try await execute(RecordRowSQL.upsert, RecordRowSQL.values(record, columns: columns, creator: creator, body: body,
                                                                   changeSeq: changeSeq))
    }

    func audit(_ entry: AuditEntry) async throws {
        let info = entry.actor.info
        try writes().audit([
                .text(entry.recordId.storedString), .text(entry.action), .text(info.id), .text(info.username),
                .text(info.role.rawValue), .text(info.orgId ?? info.agency ?? info.region),
                .real(entry.serverTime.timeIntervalSince1970),
                entry.deviceTime.map { .real($0.timeIntervalSince1970) } ?? .null,
                .text(entry.fromState?.rawValue), .text(entry.toState?.rawValue), .integer(entry.version),
                .text(entry.comment),
        ])
    }

    func approvedPreApplicationExists(licence: String, orgId: String) async throws -> Bool {
        try await !rows("""
            SELECT 1 FROM records WHERE licence = ? AND kind = 'preApplication' AND state = 'approved'
            AND org_id = ? AND deleted = 0
            """, [.text(licence), .text(orgId)]).isEmpty
    }

    func children(of parent: UUID, kind: RecordKind) async throws -> [Record] {
        try await rows("SELECT body, creator_client FROM records WHERE parent_id = ? AND kind = ? AND deleted = 0",
                       [.text(parent.storedString), .text(kind.rawValue)]).map { try stored($0).record }
    }

    func ownedRecordExists(kind: RecordKind, ownerUser: String) async throws -> Bool {
        try await !rows("SELECT 1 FROM records WHERE kind = ? AND owner_user = ? AND deleted = 0",
                        [.text(kind.rawValue), .text(ownerUser)]).isEmpty
    }

    func wasUnderReview(_ id: UUID) async throws -> Bool {
        try await rows("SELECT review_seen FROM records WHERE id = ?", [.text(id.storedString)]).first
            .map { try $0.get("review_seen", as: Int.self) == 1 } ?? false
    }

    func licence(_ number: String) async throws -> LicenceInfo? {
        try await rows("SELECT * FROM licences WHERE number = ?", [.text(number)]).first.map(PostgresRegistryStore.info)
    }

    func attachableBlob(_ sha256: String, by user: AuthenticatedUser) async throws -> BlobInfo? {
        try await rows(SQLiteRecordTransaction.attachableBlobSelect,
                       SQLiteRecordTransaction.attachableBlobValues(sha256, by: user)).first.map(blobInfo)
    }

    func blob(_ sha256: String) async throws -> BlobInfo? {
        try await rows("SELECT * FROM blobs WHERE sha256 = ?", [.text(sha256)]).first.map(blobInfo)
    }

    private func blobInfo(_ row: PostgresRandomAccessRow) throws -> BlobInfo {
        BlobInfo(sha256: try row.get("sha256"), size: try row.get("size"), mime: try row.get("mime"))
    }

    /// Certificate numbers: the upsert locks the counter's row, so two instances never take one number.
    func nextCounter(_ name: String) async throws -> Int {
        let value: String? = try await rows("""
            INSERT INTO settings (key, value) VALUES (?, '1')
            ON CONFLICT (key) DO UPDATE SET value = (settings.value::bigint + 1)::text RETURNING value
            """, [.text(name)]).first?.get("value")
        guard let value, let number = Int(value) else {
            throw StoredDataCorrupt(what: "settings.\(name)", reason: "not a number: \(value ?? "none")")
        }
        return number
    }

    func agencies() async throws -> [Agency] {
        try await PostgresRegistryStore.agencies(connection, logger: logger)
    }

    func catalogue(_ id: String) async throws -> Catalogue? {
        guard let body: String = try await rows("SELECT body FROM catalogues WHERE id = ?", [.text(id)]).first?
            .get("body") else { return nil }
        return try Catalogue.decode(json: Data(body.utf8))
    }

    func importCatalogue(_ catalogue: Catalogue, at: Date) async throws {
        let body = String(decoding: try WireCoding.encode(catalogue), as: UTF8.self)
        try await execute("""
            INSERT INTO catalogues (id, version, body, imported_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET version = excluded.version, body = excluded.body,
                imported_at = excluded.imported_at, import_order = nextval('catalogues_import_order_seq')
            """, [.text(catalogue.id), .text(catalogue.version), .text(body), .real(at.timeIntervalSince1970)])
    }

    func catalogueInForce() async throws -> String? {
        try await rows("SELECT id FROM catalogues ORDER BY imported_at DESC, import_order DESC LIMIT 1").first?.get("id")
    }

    /// The savepoint is not released after a mutation that went through (a round trip saved; the
    /// commit ends them all). Each has a name of its own, so that, nested, an outer one rolls back what
    /// an inner one kept; the buffered writes are rolled back with it.
    func undoingOnError<T>(_ body: () async throws -> T) async throws -> T {
        let pending = try writes()
        let mark = pending.mark
        let name = pending.nextSavepoint()
        try await execute("SAVEPOINT \(name)")
        do {
            return try await body()
        } catch {
            try await execute("ROLLBACK TO SAVEPOINT \(name)")
            pending.undo(to: mark)
            throw error
        }
    }
}
