import Foundation
import GRDB
import GreenMineShared

extension SQLiteAccountStore {
    /// The accounts list of the console: the `ResetScope` as SQL (an organisation's region among the
    /// province's divisions), so the list holds exactly the accounts a reset is allowed for.
    public func accounts(in scope: ResetScope, search: String?, after: String?, limit: Int,
                         regions: RegionTable) async throws -> AccountPage {
        var clauses: [String] = []
        var arguments: StatementArguments = []
        switch scope {
        case .nobody:
            return AccountPage(users: [], next: nil)
        case .everyone:
            break
        case .enterprisesIn:
            let codes = scope.organisationRegions(regions) ?? []
            let json = String(decoding: try JSONEncoder().encode(codes), as: UTF8.self)
            clauses.append("u.role = 'enterprise' AND o.region IN (SELECT value FROM json_each(?))")
            arguments += [json]
        }
        if let search = search?.trimmingCharacters(in: .whitespaces), !search.isEmpty {
            clauses.append("u.username LIKE ? ESCAPE '\\'")
            arguments += ["%\(Self.likeEscaped(search))%"]
        }
        if let after, !after.isEmpty {
            clauses.append("u.username > ?")
            arguments += [after]
        }
        let size = max(1, min(limit, 500))
        arguments += [size + 1]
        let sql = Self.userSelect + (clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND "))
            + " ORDER BY u.username LIMIT ?"
        let bound = arguments
        return try await writer.read { db in
            let rows = try Row.fetchAll(db, sql: sql, arguments: bound)
            let users = rows.prefix(size).map { Self.userInfo($0) }
            return AccountPage(users: Array(users), next: rows.count > size ? users.last?.username : nil)
        }
    }

    /// `%`, `_` and `\` taken literally in a `LIKE … ESCAPE '\'` pattern.
    static func likeEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
    }
}
