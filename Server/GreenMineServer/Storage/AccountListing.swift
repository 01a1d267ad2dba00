import Foundation
import GRDB
import GreenMineShared

extension SQLiteAccountStore {
    /// The accounts list of the console: the `ResetScope` as SQL (an organisation's region among the
    /// province's divisions), so the list holds exactly the accounts a reset is allowed for.
    public func accounts(in scope: ResetScope, search: String?, after: String?, limit: Int,
                         regions: RegionTable) async throws -> AccountPage {
        guard let query = try AccountListingSQL(scope: scope, search: search, after: after, limit: limit,
                                                regions: regions, regionList: "SELECT value FROM json_each(?)")
        else { return AccountPage(users: [], next: nil) }
        return try await writer.read { db in
            let rows = try Row.fetchAll(db, sql: query.sql, arguments: query.values.statementArguments)
            let users = rows.prefix(query.size).map { Self.userInfo($0) }
            return AccountPage(users: Array(users), next: rows.count > query.size ? users.last?.username : nil)
        }
    }

    /// `%`, `_` and `\` taken literally in a `LIKE … ESCAPE '\'` pattern.
    static func likeEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
    }
}

/// The console's accounts list as one query both backends run: the `ResetScope` as SQL (an
/// organisation's region among the province's divisions), a literal search, keyset paging by name
/// without regard to case; `size + 1` rows are asked for, to tell whether a next page exists.
struct AccountListingSQL {
    var sql: String
    var values: [SQLArgument]
    var size: Int

    /// Nil when the scope holds nobody. `regionList` turns one JSON array parameter into a list of
    /// values (the backends differ there only).
    init?(scope: ResetScope, search: String?, after: String?, limit: Int, regions: RegionTable,
          regionList: String) throws {
        var clauses: [String] = []
        var values: [SQLArgument] = []
        switch scope {
        case .nobody:
            return nil
        case .everyone:
            break
        case .enterprisesIn:
            let codes = scope.organisationRegions(regions) ?? []
            clauses.append("u.role = 'enterprise' AND o.region IN (\(regionList))")
            values.append(.text(String(decoding: try JSONEncoder().encode(codes), as: UTF8.self)))
        }
        if let search = search?.trimmingCharacters(in: .whitespaces), !search.isEmpty {
            clauses.append("lower(u.username) LIKE lower(?) ESCAPE '\\'")
            values.append(.text("%\(SQLiteAccountStore.likeEscaped(search))%"))
        }
        if let after, !after.isEmpty {
            clauses.append("lower(u.username) > lower(?)")
            values.append(.text(after))
        }
        size = max(1, min(limit, 500))
        values.append(.integer(size + 1))
        sql = SQLiteAccountStore.userSelect + (clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND "))
            + " ORDER BY lower(u.username) LIMIT ?"
        self.values = values
    }
}
