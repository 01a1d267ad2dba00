import Foundation
import GRDB
import GreenMineShared

/// The reads behind the console's notices, dashboard, catalogues and public directory; every one that
/// returns records a user sees goes through `VisibilityFilter`, as the pull does.
public protocol ConsoleAdminReads: Sendable {
    /// Records of a kind that the user may see now, counted per province and state.
    func dashboard(kind: RecordKind, user: AuthenticatedUser) async throws -> [DashboardCount]
    /// The notices the user may see now, newest first.
    func notices(user: AuthenticatedUser, limit: Int) async throws -> [GreenMineShared.Record]
    /// The imported catalogues, the one in force first.
    func catalogueSummaries() async throws -> [CatalogueSummary]
    /// Listed mines (a valid certificate of an approved application), by certificate number, after
    /// the number `after` (keyset), optionally those whose mine name contains `search`. Public.
    func directory(search: String?, after: String?, limit: Int) async throws -> DirectoryPage
}

/// How many records of a kind lie in a province (nil: none recorded) in a state.
public struct DashboardCount: Sendable, Hashable {
    public var province: String?
    public var state: RecordState
    public var count: Int
}

/// An imported indicator catalogue, as the ministry's list shows it.
public struct CatalogueSummary: Sendable, Hashable {
    public var id: String
    public var version: String
    public var name: LocalizedText
    public var isSample: Bool
    public var items: Int
    public var importedAt: Date
    /// The catalogue new applications are assessed against (the one imported last).
    public var inForce: Bool
}

/// A listed mine: only what the directory publishes (no contacts, no holder's personal data).
public struct DirectoryEntry: Sendable, Hashable {
    public var number: String
    public var mineName: String
    /// The province-level division code.
    public var province: String?
    public var mineral: String
    /// `YYYY-MM-DD`.
    public var issuedOn: String
}

/// One page of the directory, with the cursor of the next (nil on the last).
public struct DirectoryPage: Sendable {
    public var entries: [DirectoryEntry]
    public var next: String?
}

/// Console reads both backends ask in the same SQL.
enum ConsoleSQL {
    /// The dashboard's counts by province and state.
    static func dashboard(kind: RecordKind, user: AuthenticatedUser, regions: RegionTable)
        -> (sql: String, values: [SQLArgument]) {
        let visible = VisibilityFilter(user: user, regions: regions).visible(ofKind: kind)
        return ("""
            SELECT r.province_code AS province, r.state AS state, count(*) AS n FROM records r
            WHERE \(visible.sql) AND r.kind = ? GROUP BY r.province_code, r.state
            """, visible.values + [.text(kind.rawValue)])
    }

    /// The notices a user may see, newest first, at most `limit`. The literal `r.kind = 'notice'` is what
    /// lets SQLite read the partial index `records_notice`.
    static func notices(_ filter: VisibilityFilter, limit: Int) -> (sql: String, values: [SQLArgument]) {
        ("""
        SELECT r.body FROM records r WHERE \(filter.visible) AND r.kind = 'notice'
        ORDER BY r.change_seq DESC LIMIT ?
        """, filter.values + [.integer(max(1, min(limit, 1000)))])
    }
}

extension SQLiteRecordStore {
    public func dashboard(kind: RecordKind, user: AuthenticatedUser) async throws -> [DashboardCount] {
        let sql = ConsoleSQL.dashboard(kind: kind, user: user, regions: regions)
        let arguments = sql.values.statementArguments
        return try await writer.read { db in
            try Row.fetchAll(db, sql: sql.sql, arguments: arguments).compactMap { row in
                guard let state = RecordState(rawValue: row["state"]) else { return nil }
                return DashboardCount(province: row["province"], state: state, count: row["n"])
            }
        }
    }

    public func notices(user: AuthenticatedUser, limit: Int) async throws -> [GreenMineShared.Record] {
        let query = ConsoleSQL.notices(VisibilityFilter(user: user, regions: regions), limit: limit)
        let (sql, arguments) = (query.sql, query.values.statementArguments)
        let decoder = WireCoding.decoder()
        return try await writer.read { db in
            try String.fetchAll(db, sql: sql, arguments: arguments).map {
                try decoder.decode(GreenMineShared.Record.self, from: Data($0.utf8))
            }
        }
    }

    public func catalogueSummaries() async throws -> [CatalogueSummary] {
        try await writer.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT id, version, body, imported_at FROM catalogues ORDER BY imported_at DESC, rowid DESC
                """)
            return rows.enumerated().map { index, row in
                let catalogue = try? Catalogue.decode(json: Data((row["body"] as String).utf8))
                return CatalogueSummary(
                    id: row["id"], version: row["version"],
                    name: catalogue?.name ?? LocalizedText(zh: row["id"], en: row["id"]),
                    isSample: catalogue?.isSample ?? false, items: catalogue?.allItems.count ?? 0,
                    importedAt: Date(timeIntervalSince1970: row["imported_at"]), inForce: index == 0)
            }
        }
    }

    public func directory(search: String?, after: String?, limit: Int) async throws -> DirectoryPage {
        let signed = "json_extract(c.body, '$.fields.\"\(SignedCertificate.fieldPath)\"')"
        let number = "json_extract(c.body, '$.fields.\"certificate.number\"')"
        var sql = """
            SELECT \(signed) AS signed, \(number) AS number, c.province_code AS province,
                   json_extract(a.body, '$.fields."basic.mainMineral"') AS mineral
            FROM records c JOIN records a ON a.id = c.parent_id
            WHERE c.kind = 'certificate' AND c.deleted = 0 AND c.state = 'approved'
              AND a.kind = 'application' AND a.state = 'approved' AND a.deleted = 0
              AND json_extract(\(signed), '$.status') = 'valid'
            """
        var arguments: StatementArguments = []
        if let search = search?.trimmingCharacters(in: .whitespaces), !search.isEmpty {
            sql += " AND json_extract(\(signed), '$.body.mineName') LIKE ? ESCAPE '\\'"
            arguments += ["%\(SQLiteAccountStore.likeEscaped(search))%"]
        }
        if let after, !after.isEmpty {
            sql += " AND \(number) > ?"
            arguments += [after]
        }
        let size = max(1, min(limit, 1000))
        sql += " ORDER BY \(number) LIMIT ?"
        arguments += [size + 1]
        let bound = arguments
        let query = sql
        return try await writer.read { db in
            let rows = try Row.fetchAll(db, sql: query, arguments: bound)
            let entries: [DirectoryEntry] = rows.prefix(size).compactMap { row in
                guard let text: String = row["signed"],
                      let certificate = try? WireCoding.decode(SignedCertificate.self, from: Data(text.utf8))
                else { return nil }
                return DirectoryEntry(number: certificate.body.number, mineName: certificate.body.mineName,
                                      province: row["province"], mineral: (row["mineral"] as String?) ?? "",
                                      issuedOn: certificate.body.issuedOn)
            }
            let next: String? = rows.count > size ? rows[size - 1]["number"] : nil
            return DirectoryPage(entries: entries, next: next)
        }
    }
}
