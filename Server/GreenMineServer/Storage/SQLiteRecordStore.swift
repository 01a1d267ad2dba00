import Foundation
import GRDB
import GreenMineShared

/// `RecordStore` on the server's SQLite database.
public struct SQLiteRecordStore: RecordStore {
    let writer: any DatabaseWriter
    let regions: RegionTable
    /// Where pulls read on the calling thread (nil for a database without a file, which tests use).
    let pullReaders: CallingThreadReaders?

    public init(writer: any DatabaseWriter, regions: RegionTable = .standard) {
        self.writer = writer
        self.regions = regions
        pullReaders = (writer as? DatabasePool).map { CallingThreadReaders(pool: $0) }
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any RecordTransaction) async throws -> T) async throws -> T {
        let regions = self.regions
        return try await writer.write { db in
            let tx = SQLiteRecordTransaction(db: db, regions: regions)
            return try CallingThreadExecutor.run { try await body(tx) }
        }
    }

    /// The page and the client's last seq in one read (one snapshot, one trip to a reader: a no-op pull
    /// of `greenmine`, which names its client, made two before; issue 15).
    public func pull(user: AuthenticatedUser, after cursor: Int64, limit: Int, client: UUID?) async throws -> PullPage {
        let query = PullQuery(filter: VisibilityFilter(user: user, regions: regions), cursor: cursor, limit: limit)
        // The head and the client's last seq come in one statement; at or past the head there is nothing
        // to read: every change a page or an exit can list has a seq in the change log, which only grows
        // (the no-op pull each `greenmine sync` makes; issue 15).
        let head = { @Sendable (db: Database) throws -> (head: Int64, lastSeq: Int) in
            let row = try Row.fetchOne(db.cachedStatement(sql: Self.headAndLastSeqSQL),
                                       arguments: [client?.storedString, user.info.id])
            return (row.flatMap { $0[0] as Int64? } ?? 0, client == nil ? 0 : row.flatMap { $0[1] as Int? } ?? 0)
        }
        let read = { @Sendable (db: Database, at: (head: Int64, lastSeq: Int)) throws -> PullPage in
            var page = at.head <= cursor ? query.page(query.partial([]), exits: []) : try Self.page(query, db: db)
            page.lastSeq = at.lastSeq
            return page
        }
        // Only a pull near the head of the change log reads on the calling thread: it walks at most
        // `nearHead` changes, so it is short. A first pull, a later page of a first sync or a pull from
        // an old cursor can read thousands of records; those keep GRDB's path and its reader threads.
        if cursor > 0, let page = try pullReaders?.read({ db -> PullPage? in
            let at = try head(db)
            return at.head - cursor <= Self.nearHead ? try read(db, at) : nil
        }) {
            return page
        }
        return try await writer.read { db in try read(db, try head(db)) }
    }

    /// How far behind the last change a pull may start and still read on the calling thread.
    static let nearHead: Int64 = 1000

    /// The last change's seq and the named client's last seq (NULL without a client or a row).
    static let headAndLastSeqSQL = """
        SELECT (SELECT max(rowid) FROM change_log), \
        (SELECT last_seq FROM clients WHERE client_id = ? AND user_id = ?)
        """

    private static func page(_ query: PullQuery, db: Database) throws -> PullPage {
        // A cursor over the statement, columns by position, and only what the row needs: the body
        // of a visible record, the id of one that is not (the initial pull reads 100,000 bodies).
        var rows: [PullQuery.Change] = []
        rows.reserveCapacity(query.limit + 1)
        let cursor = try Row.fetchCursor(try db.cachedStatement(sql: query.pageSQL),
                                         arguments: query.pageValues.statementArguments)
        while let row = try cursor.next() {
            let visible: Bool = row[3]
            rows.append(PullQuery.Change(seq: row[0], id: visible ? "" : row[1], body: visible ? row[2] : "",
                                         visible: visible))
        }
        let partial = query.partial(rows)
        guard let exits = query.exits(after: partial) else { return query.page(partial, exits: []) }
        return query.page(partial, exits: try Row.fetchAll(try db.cachedStatement(sql: exits.sql),
                                                           arguments: exits.values.statementArguments).map {
            PullQuery.Exit(id: $0["record_id"], at: $0["at"])
        })
    }

    public func lastSeq(client: UUID, user: AuthenticatedUser) async throws -> Int {
        try await writer.read { db in
            try Int.fetchOne(db.cachedStatement(sql: "SELECT last_seq FROM clients WHERE client_id = ? AND user_id = ?"),
                             arguments: [client.storedString, user.info.id]) ?? 0
        }
    }

    public func visibleRecord(_ id: UUID, user: AuthenticatedUser) async throws -> GreenMineShared.Record? {
        let regions = self.regions
        return try await writer.read { db in
            try SQLiteRecordTransaction(db: db, regions: regions).visibleRecord(id, to: user)?.record
        }
    }

    public func history(of id: UUID, user: AuthenticatedUser) async throws -> [HistoryEvent]? {
        let filter = VisibilityFilter(user: user, regions: regions)
        return try await writer.read { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM records r WHERE r.id = ? AND \(filter.visible)",
                                    arguments: [id.storedString] + filter.arguments) != nil else { return nil }
            return try Row.fetchAll(db, sql: "SELECT * FROM audit_events WHERE record_id = ? ORDER BY seq",
                                    arguments: [id.storedString]).map { row in
                HistoryEvent(
                    seq: row["seq"], recordId: id, action: row["action"], actorId: row["actor_id"],
                    actorName: row["actor_name"], role: Role(rawValue: row["role"]) ?? .enterprise,
                    orgId: row["org_id"], serverTime: Date(timeIntervalSince1970: row["server_time"]),
                    deviceTime: (row["device_time"] as Double?).map(Date.init(timeIntervalSince1970:)),
                    fromState: (row["from_state"] as String?).flatMap(RecordState.init(rawValue:)),
                    toState: (row["to_state"] as String?).flatMap(RecordState.init(rawValue:)),
                    version: row["version"], comment: row["comment"])
            }
        }
    }
}

/// The SQLite side of one push transaction. Its methods are synchronous (they witness the protocol's
/// async ones) and run only on the writer's thread, inside the write closure.
struct SQLiteRecordTransaction: RecordTransaction, @unchecked Sendable {
    // @unchecked: `db` is used only inside the GRDB closure that made it, on its thread
    // (`SQLiteRecordStore.write` runs the async body there with `CallingThreadExecutor`).
    let db: Database
    let regions: RegionTable
    /// The statements every mutation runs, prepared once in this transaction.
    let hot: HotStatements

    init(db: Database, regions: RegionTable) {
        self.db = db
        self.regions = regions
        hot = HotStatements(db: db)
    }

    func client(_ id: UUID) throws -> (userId: String, lastSeq: Int)? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT user_id, last_seq FROM clients WHERE client_id = ?"),
                         arguments: [id.storedString]).map { ($0["user_id"], $0["last_seq"]) }
    }

    func setClient(_ id: UUID, userId: String, lastSeq: Int) throws {
        try db.execute(sql: """
            INSERT INTO clients (client_id, user_id, last_seq) VALUES (?, ?, ?)
            ON CONFLICT (client_id) DO UPDATE SET last_seq = excluded.last_seq
            """, arguments: [id.storedString, userId, lastSeq])
    }

    /// A stored result; its record is the snapshot of the version it produced (results are stored
    /// without the record, so each mutation encodes its record once).
    func storedResult(client: UUID, seq: Int) throws -> MutationResult? {
        guard let row = try Row.fetchOne(
            db, sql: "SELECT * FROM mutation_results WHERE client_id = ? AND seq = ?",
            arguments: [client.storedString, seq]) else { return nil }
        let status = MutationStatus(rawValue: row["status"]) ?? .rejected
        var result = MutationResult(seq: seq, status: status)
        try StoredDetail.restore(row["detail"], into: &result)
        if let recordId: String = row["record_id"], let version: Int = row["version"],
           let body = try String.fetchOne(db, sql: "SELECT body FROM record_versions WHERE record_id = ? AND version = ?",
                                          arguments: [recordId, version]) {
            result.record = try WireCoding.decodeFast(Record.self, from: Data(body.utf8))
        }
        return result
    }

    func storeResult(client: UUID, _ result: MutationResult) throws {
        try hot.execute(.result, [.text(client.storedString), .integer(result.seq), .text(result.status.rawValue),
                                  .text(result.record?.id.storedString), .integer(result.record?.version),
                                  .text(try StoredDetail.column(of: result))])
    }

    /// The parts of a result kept beside its status (`mutation_results.detail`, both backends).
    struct StoredDetail: Codable {
        var conflicts: [FieldConflict]?
        var error: APIErrorDetail?

        /// The column's text for a result: nil when it has neither conflicts nor an error.
        static func column(of result: MutationResult) throws -> String? {
            guard result.conflicts != nil || result.error != nil else { return nil }
            return String(decoding: try WireCoding.encoder().encode(StoredDetail(conflicts: result.conflicts,
                                                                                 error: result.error)),
                          as: UTF8.self)
        }

        /// Puts a stored column back into its result.
        static func restore(_ column: String?, into result: inout MutationResult) throws {
            guard let column else { return }
            let stored = try WireCoding.decoder().decode(StoredDetail.self, from: Data(column.utf8))
            result.conflicts = stored.conflicts
            result.error = stored.error
        }
    }

    func exists(_ id: UUID) throws -> Bool {
        try hot.returnsRow(.exists, [.text(id.storedString)])
    }

    func visibleRecord(_ id: UUID, to user: AuthenticatedUser) throws -> StoredRecord? {
        let filter = VisibilityFilter(user: user, regions: regions)
        let row = try Row.fetchOne(
            db, sql: "SELECT r.body, r.creator_client FROM records r WHERE r.id = ? AND \(filter.visible)",
            arguments: [id.storedString] + filter.arguments)
        return try row.map(stored)
    }

    func record(_ id: UUID) throws -> StoredRecord? {
        let statement = try db.cachedStatement(sql: "SELECT body, creator_client FROM records WHERE id = ?")
        return try Row.fetchOne(statement, arguments: [id.storedString]).map(stored)
    }

    private func stored(_ row: Row) throws -> StoredRecord {
        let body: String = row["body"]
        let creator: String? = row["creator_client"]
        return StoredRecord(record: try WireCoding.decodeFast(Record.self, from: Data(body.utf8)),
                            creatorClient: creator.flatMap({ UUID(text: $0) }))
    }

    func snapshot(of id: UUID, version: Int) throws -> Record? {
        let statement = try db.cachedStatement(sql: "SELECT body FROM record_versions WHERE record_id = ? AND version = ?")
        return try String.fetchOne(statement, arguments: [id.storedString, version]).map {
            try WireCoding.decodeFast(Record.self, from: Data($0.utf8))
        }
    }

    func versions(of id: UUID, after version: Int) throws -> [VersionInfo] {
        let statement = try db.cachedStatement(sql: """
            SELECT version, client_id, changed_paths FROM record_versions
            WHERE record_id = ? AND version > ? ORDER BY version
            """)
        return try Row.fetchAll(statement, arguments: [id.storedString, version]).map { row in
            try VersionInfo(stored: id, version: row["version"], client: row["client_id"], changedPaths: row["changed_paths"])
        }
    }

    func save(_ stored: StoredRecord, parent: Record?, changedPaths: [String], userId: String, clientId: UUID?,
              at: Date) throws {
        let record = stored.record
        let body = FastJSON.encode(record)
        let changeSeq = try nextChange(record.id, version: record.version, at: at)
        try upsertRow(record, parent: parent, creator: stored.creatorClient, body: body, changeSeq: changeSeq)
        try hot.execute(.version, [
            .text(record.id.storedString), .integer(record.version), .text(clientId?.storedString), .text(userId),
            .text(FastJSON.encode(paths: changedPaths)), .text(body), .real(at.timeIntervalSince1970),
        ])
        if changedPaths.contains("@attachments") {
            // Every blob any version ever referenced: it is never deleted, and its readers are those who
            // may see the record.
            let link = try db.cachedStatement(sql: "INSERT OR IGNORE INTO record_blobs (sha256, record_id) VALUES (?, ?)")
            for attachment in record.attachments {
                try link.execute(arguments: [attachment.sha256, record.id.storedString])
            }
            // And the files it has now, through which readers may read them.
            try db.execute(sql: "DELETE FROM record_files WHERE record_id = ?", arguments: [record.id.storedString])
            let current = try db.cachedStatement(sql: "INSERT OR IGNORE INTO record_files (sha256, record_id) VALUES (?, ?)")
            for attachment in record.attachments {
                try current.execute(arguments: [attachment.sha256, record.id.storedString])
            }
        }
    }

    func touchChildren(of parent: Record, at: Date) throws {
        let rows = try Row.fetchAll(db, sql: "SELECT body, creator_client FROM records WHERE parent_id = ?",
                                    arguments: [parent.id.storedString])
        for row in rows {
            let child = try stored(row)
            let changeSeq = try nextChange(child.record.id, version: child.record.version, at: at)
            try upsertRow(child.record, parent: parent, creator: child.creatorClient, body: row["body"],
                          changeSeq: changeSeq)
        }
    }

    private func nextChange(_ id: UUID, version: Int, at: Date) throws -> Int64 {
        try hot.execute(.changeLog, [.text(id.storedString), .integer(version), .real(at.timeIntervalSince1970)])
        return db.lastInsertedRowID
    }

    private func upsertRow(_ record: Record, parent: Record?, creator: UUID?, body: String, changeSeq: Int64) throws {
        let columns = VisibilityColumns.make(record, parent: parent, regions: regions)
        try hot.execute(.upsert, RecordRowSQL.values(record, columns: columns, creator: creator, body: body,
                                                     changeSeq: changeSeq))
    }

    func audit(_ entry: AuditEntry) throws {
        let info = entry.actor.info
        try hot.execute(.audit, [
            .text(entry.recordId.storedString), .text(entry.action), .text(info.id), .text(info.username),
            .text(info.role.rawValue), .text(info.orgId ?? info.agency ?? info.region),
            .real(entry.serverTime.timeIntervalSince1970), .real(entry.deviceTime?.timeIntervalSince1970),
            .text(entry.fromState?.rawValue), .text(entry.toState?.rawValue), .integer(entry.version),
            .text(entry.comment),
        ])
    }

    func approvedPreApplicationExists(licence: String, orgId: String) throws -> Bool {
        try Bool.fetchOne(db, sql: """
            SELECT 1 FROM records WHERE licence = ? AND kind = 'preApplication' AND state = 'approved'
            AND org_id = ? AND deleted = 0
            """, arguments: [licence, orgId]) != nil
    }

    func children(of parent: UUID, kind: RecordKind) throws -> [Record] {
        try Row.fetchAll(db, sql: "SELECT body, creator_client FROM records WHERE parent_id = ? AND kind = ? AND deleted = 0",
                         arguments: [parent.storedString, kind.rawValue]).map { try stored($0).record }
    }

    /// `owner_user = ?` is what lets SQLite read the partial index `records_owner`.
    static let ownedRecordSQL = "SELECT 1 FROM records WHERE kind = ? AND owner_user = ? AND deleted = 0"

    func ownedRecordExists(kind: RecordKind, ownerUser: String) throws -> Bool {
        try Bool.fetchOne(db, sql: Self.ownedRecordSQL, arguments: [kind.rawValue, ownerUser]) != nil
    }

    func wasUnderReview(_ id: UUID) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT review_seen FROM records WHERE id = ?", arguments: [id.storedString]) ?? false
    }

    func licence(_ number: String) throws -> LicenceInfo? {
        try Row.fetchOne(db, sql: "SELECT * FROM licences WHERE number = ?", arguments: [number])
            .map(SQLiteRegistryStore.info)
    }

    func attachableBlob(_ sha256: String, by user: AuthenticatedUser) throws -> BlobInfo? {
        // Uploaded by this user or a colleague of the same organisation or agency, or attached
        // before to a record of the same organisation.
        try Row.fetchOne(db, sql: Self.attachableBlobSelect,
                         arguments: Self.attachableBlobValues(sha256, by: user).statementArguments).map {
            BlobInfo(sha256: $0["sha256"], size: $0["size"], mime: $0["mime"])
        }
    }

    /// A blob the user may attach (`?`s: `attachableBlobValues`); both backends run it.
    static let attachableBlobSelect = """
        SELECT b.* FROM blobs b WHERE b.sha256 = ? AND (
            EXISTS (SELECT 1 FROM blob_owners o JOIN users u ON u.id = o.user_id
                    WHERE o.sha256 = b.sha256
                      AND (o.user_id = ? OR u.org_id = ? OR u.agency = ?))
            OR EXISTS (SELECT 1 FROM record_blobs rb JOIN records r ON r.id = rb.record_id
                       WHERE rb.sha256 = b.sha256 AND r.org_id = ?))
        """

    static func attachableBlobValues(_ sha256: String, by user: AuthenticatedUser) -> [SQLArgument] {
        [.text(sha256), .text(user.info.id), .text(user.info.orgId), .text(user.info.agency), .text(user.info.orgId)]
    }

    func blob(_ sha256: String) throws -> BlobInfo? {
        try Row.fetchOne(db, sql: "SELECT * FROM blobs WHERE sha256 = ?", arguments: [sha256]).map {
            BlobInfo(sha256: $0["sha256"], size: $0["size"], mime: $0["mime"])
        }
    }

    func nextCounter(_ name: String) throws -> Int {
        let current = try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = ?", arguments: [name])
            .flatMap { Int($0) } ?? 0
        try db.execute(sql: "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                       arguments: [name, String(current + 1)])
        return current + 1
    }

    func agencies() throws -> [Agency] {
        try AgencyRows.all(db)
    }

    func catalogue(_ id: String) throws -> Catalogue? {
        guard let body = try String.fetchOne(db, sql: "SELECT body FROM catalogues WHERE id = ?", arguments: [id])
        else { return nil }
        return try Catalogue.decode(json: Data(body.utf8))
    }

    func importCatalogue(_ catalogue: Catalogue, at: Date) throws {
        let body = String(decoding: try WireCoding.encode(catalogue), as: UTF8.self)
        try db.execute(sql: "INSERT OR REPLACE INTO catalogues (id, version, body, imported_at) VALUES (?, ?, ?, ?)",
                       arguments: [catalogue.id, catalogue.version, body, at.timeIntervalSince1970])
    }

    func undoingOnError<T>(_ body: () async throws -> T) async throws -> T {
        try db.cachedStatement(sql: "SAVEPOINT mutation").execute()
        do {
            let value = try await body()
            try db.cachedStatement(sql: "RELEASE SAVEPOINT mutation").execute()
            return value
        } catch {
            try db.cachedStatement(sql: "ROLLBACK TO SAVEPOINT mutation").execute()
            try db.cachedStatement(sql: "RELEASE SAVEPOINT mutation").execute()
            throw error
        }
    }

    func catalogueInForce() throws -> String? {
        try String.fetchOne(db, sql: "SELECT id FROM catalogues ORDER BY imported_at DESC, rowid DESC LIMIT 1")
    }
}
