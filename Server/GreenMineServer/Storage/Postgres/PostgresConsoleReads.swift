import Foundation
import GreenMineShared
import PostgresNIO

/// The web console's reads on PostgreSQL, with the same visibility and the same answers as SQLite's
/// (`ConsoleQueue.swift`, `ConsoleAdminReads.swift`, `ConsoleRecordReads.swift`): this makes
/// `PostgresRecordStore` a whole `RecordStore`.
extension PostgresRecordStore: RecordStore {
    /// The work queue (`QueueSQL`, as on SQLite): the counts, then the page with its bodies in one
    /// statement; PostgreSQL's planner chooses between the change index and the matches.
    public func queue(_ query: QueueQuery, user: AuthenticatedUser) async throws -> QueuePage {
        guard !query.awaited.isEmpty else { return QueuePage(records: [], counts: [:], next: nil) }
        let sql = QueueSQL(query, user: user, regions: regions, dialect: .postgres)
        let pageSQL = """
            SELECT r.change_seq, r.id, \(QueueSort.nameKey(.postgres)) AS name_key, r.body
            FROM \(sql.from) WHERE \(sql.page) ORDER BY \(sql.orderBy) LIMIT ?
            """
        let logger = database.logger
        return try await database.transaction { connection in
            try await PostgresSQL.execute(connection, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY",
                                          logger: logger)
            let counts = QueueSQL.counts(try await PostgresSQL.rows(connection, sql.countSQL, sql.countValues,
                                                                    logger: logger).map {
                (kind: try $0.get("kind"), state: try $0.get("state"), n: try $0.get("n", as: Int.self))
            })
            let rows = try await PostgresSQL.rows(connection, pageSQL, sql.pageValues + [.integer(sql.limit + 1)],
                                                  logger: logger)
            let shown = Array(rows.prefix(sql.limit))
            let decoder = WireCoding.decoder()
            let records = try shown.map {
                try decoder.decode(GreenMineShared.Record.self, from: Data((try $0.get("body", as: String.self)).utf8))
            }
            var next: QueueCursor?
            if rows.count > sql.limit, let last = shown.last {
                next = query.sort == .name ? QueueCursor(name: try last.get("name_key"), id: try last.get("id"))
                    : QueueCursor(seq: try last.get("change_seq"))
            }
            return QueuePage(records: records, counts: counts, next: next)
        }
    }

    public func dashboard(kind: RecordKind, user: AuthenticatedUser) async throws -> [DashboardCount] {
        let sql = ConsoleSQL.dashboard(kind: kind, user: user, regions: regions)
        return try await database.rows(sql.sql, sql.values).compactMap { row in
            guard let state = RecordState(rawValue: try row.get("state")) else { return nil }
            return DashboardCount(province: try row.get("province"), state: state, count: try row.get("n", as: Int.self))
        }
    }

    public func notices(user: AuthenticatedUser, limit: Int) async throws -> [GreenMineShared.Record] {
        let query = ConsoleSQL.notices(VisibilityFilter(user: user, regions: regions), limit: limit)
        return try await bodies(query.sql, query.values)
    }

    public func catalogueSummaries() async throws -> [CatalogueSummary] {
        try await database.rows("""
            SELECT id, version, body, imported_at FROM catalogues ORDER BY imported_at DESC, import_order DESC
            """).enumerated().map { index, row in
            let id: String = try row.get("id")
            let catalogue = try? Catalogue.decode(json: Data((try row.get("body", as: String.self)).utf8))
            return CatalogueSummary(
                id: id, version: try row.get("version"), name: catalogue?.name ?? LocalizedText(zh: id, en: id),
                isSample: catalogue?.isSample ?? false, items: catalogue?.allItems.count ?? 0,
                importedAt: Date(timeIntervalSince1970: try row.get("imported_at")), inForce: index == 0)
        }
    }

    /// The signed certificate of a certificate row: a JSON text kept as a string field.
    private static func signed(_ alias: String) -> String {
        "((\(alias).body::jsonb -> 'fields' ->> '\(SignedCertificate.fieldPath)')::jsonb)"
    }

    public func directory(search: String?, after: String?, limit: Int) async throws -> DirectoryPage {
        let signed = Self.signed("c")
        let number = "(\(signed) -> 'body' ->> 'number') COLLATE \"C\""
        var sql = """
            SELECT \(signed)::text AS signed, \(number) AS number, c.province_code AS province,
                   (a.body::jsonb -> 'fields' ->> 'basic.mainMineral') AS mineral
            FROM records c JOIN records a ON a.id = c.parent_id
            WHERE c.kind = 'certificate' AND c.deleted = 0 AND c.state = 'approved'
              AND a.kind = 'application' AND a.state = 'approved' AND a.deleted = 0
              AND \(signed) ->> 'status' = 'valid'
            """
        var values: [SQLArgument] = []
        if let search = search?.trimmingCharacters(in: .whitespaces), !search.isEmpty {
            sql += " AND (\(signed) -> 'body' ->> 'mineName') \(SQLDialect.postgres.likeCaseBlind) ? ESCAPE '\\'"
            values.append(.text("%\(SQLiteAccountStore.likeEscaped(search))%"))
        }
        if let after, !after.isEmpty {
            sql += " AND \(number) > ?"
            values.append(.text(after))
        }
        let size = max(1, min(limit, 1000))
        sql += " ORDER BY \(number) LIMIT ?"
        values.append(.integer(size + 1))
        let rows = try await database.rows(sql, values)
        let entries: [DirectoryEntry] = try rows.prefix(size).compactMap { row in
            guard let text: String = try row.get("signed"),
                  let certificate = try? WireCoding.decode(SignedCertificate.self, from: Data(text.utf8))
            else { return nil }
            return DirectoryEntry(number: certificate.body.number, mineName: certificate.body.mineName,
                                  province: try row.get("province"), mineral: (try row.get("mineral", as: String?.self)) ?? "",
                                  issuedOn: certificate.body.issuedOn)
        }
        let next: String? = rows.count > size ? try rows[size - 1].get("number") : nil
        return DirectoryPage(entries: entries, next: next)
    }

    public func signedCertificate(number: String) async throws -> String? {
        let signed = Self.signed("r")
        return try await database.rows("""
            SELECT r.body::jsonb -> 'fields' ->> '\(SignedCertificate.fieldPath)' AS signed FROM records r
            WHERE r.kind = 'certificate' AND r.deleted = 0 AND \(signed) -> 'body' ->> 'number' = ? LIMIT 1
            """, [.text(number)]).first?.get("signed")
    }

    public func visibleChildren(of parent: UUID, user: AuthenticatedUser) async throws -> [GreenMineShared.Record] {
        let filter = VisibilityFilter(user: user, regions: regions)
        return try await bodies("""
            SELECT r.body FROM records r WHERE r.parent_id = ? AND \(filter.visible) ORDER BY r.change_seq
            """, [.text(parent.storedString)] + filter.values)
    }

    public func scoringCatalogue(forApplication application: GreenMineShared.Record,
                                 assessment: GreenMineShared.Record?) async throws -> Catalogue? {
        let regions = self.regions
        let logger = database.logger
        return try await database.client.withConnection { connection in
            let tx = PostgresRecordTransaction(connection: connection, regions: regions, logger: logger)
            let id = CatalogueRecord.id(forApplication: application, assessment: assessment,
                                        inForce: try await tx.catalogueInForce() ?? Catalogue.sample.id)
            if id == Catalogue.sample.id { return Catalogue.sample }
            return try await tx.catalogue(id)
        }
    }

    /// The records of a statement whose one column is `body`, in its order.
    private func bodies(_ sql: String, _ values: [SQLArgument]) async throws -> [GreenMineShared.Record] {
        let decoder = WireCoding.decoder()
        return try await database.rows(sql, values).map {
            try decoder.decode(GreenMineShared.Record.self, from: Data((try $0.get("body", as: String.self)).utf8))
        }
    }
}
