import Foundation
import GreenMineShared

/// Which database a piece of SQL is written for, where the two differ (the work queue's join to the
/// change log, its name order and its case-blind search).
enum SQLDialect: Sendable {
    case sqlite
    case postgres

    /// The change log joined to `records r` as `c`, for the last-change time.
    var changeLogJoin: String {
        switch self {
        case .sqlite: "JOIN change_log c ON c.rowid = r.change_seq"
        case .postgres: "JOIN change_log c ON c.seq = r.change_seq"
        }
    }

    /// A case-blind `LIKE` (SQLite's is, for ASCII; PostgreSQL's is not).
    var likeCaseBlind: String {
        switch self {
        case .sqlite: "LIKE"
        case .postgres: "ILIKE"
        }
    }
}

/// The SQL of one work-queue query for either backend (`QueueQuery`): the role's visibility, the page's
/// filters, the awaited kinds and states, the counts and the page's order. Each store runs it its own
/// way (SQLite chooses an index walk; PostgreSQL leaves that to its planner).
struct QueueSQL {
    /// `records r`, joined to the change log when a time filter needs the last-change time.
    var from: String
    /// True when a time filter is set (`from` has the join).
    var dated: Bool
    /// The trimmed search text; empty for none.
    var search: String
    /// The awaited kinds and states and every filter but the kind and state ones.
    var base: String
    var baseValues: [SQLArgument]
    /// `base` and the page's kind and state filters and its keyset condition.
    var page: String
    var pageValues: [SQLArgument]
    var orderBy: String
    /// One count per awaited kind and state (columns kind, state, n), the kind and state filters aside.
    var countSQL: String
    var countValues: [SQLArgument]
    /// The page's size (the page reads one row more, to know whether another follows).
    var limit: Int

    init(_ query: QueueQuery, user: AuthenticatedUser, regions: RegionTable, dialect: SQLDialect) {
        let filter = VisibilityFilter(user: user, regions: regions)
        // Only reviewed kinds are ever awaited, so the records every user shares (catalogues, profiles,
        // notices) never belong here: the role's own visibility is the whole rule.
        var rest = filter.reviewVisible
        var values = filter.reviewValues
        if let region = query.region, !region.isEmpty {
            rest += " AND (r.region = ? OR r.county_code = ? OR r.city_code = ? OR r.province_code = ?)"
            values += Array(repeating: .text(region), count: 4)
        }
        search = query.search?.trimmingCharacters(in: .whitespaces) ?? ""
        if !search.isEmpty {
            let escaped = search.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
            rest += " AND r.search_text \(dialect.likeCaseBlind) ? ESCAPE '\\'"
            values.append(.text("%\(escaped)%"))
        }
        dated = query.updatedFrom != nil || query.updatedBefore != nil
        if let from = query.updatedFrom {
            rest += " AND c.at >= ?"
            values.append(.real(from.timeIntervalSince1970))
        }
        if let before = query.updatedBefore {
            rest += " AND c.at < ?"
            values.append(.real(before.timeIntervalSince1970))
        }
        if let given = Self.opinionGiven(by: user) {
            rest += " AND NOT \(given.sql)"
            values += given.values
        }
        from = dated ? "records r \(dialect.changeLogJoin)" : "records r"
        base = "(" + query.awaited.map { _ in "(r.kind = ? AND r.state = ?)" }.joined(separator: " OR ") + ") AND "
            + rest
        baseValues = query.awaited.flatMap { [SQLArgument.text($0.kind.rawValue), .text($0.state.rawValue)] } + values
        page = base
        pageValues = baseValues
        if let kind = query.kind {
            page += " AND r.kind = ?"
            pageValues.append(.text(kind.rawValue))
        }
        if let state = query.state {
            page += " AND r.state = ?"
            pageValues.append(.text(state.rawValue))
        }
        let order = query.sort.keyset(after: query.after, dialect: dialect)
        page += order.condition
        pageValues += order.values
        orderBy = order.orderBy
        // One count per awaited kind and state: each an index range (an OR of them all with a GROUP BY
        // measured 8 times slower at 100,000 records on SQLite).
        let from = self.from
        countSQL = query.awaited.map { _ in
            "SELECT ? AS kind, ? AS state, count(*) AS n FROM \(from) WHERE r.kind = ? AND r.state = ? AND \(rest)"
        }.joined(separator: " UNION ALL ")
        countValues = query.awaited.flatMap { pair -> [SQLArgument] in
            [.text(pair.kind.rawValue), .text(pair.state.rawValue), .text(pair.kind.rawValue), .text(pair.state.rawValue)]
                + values
        }
        limit = max(1, min(query.limit, 500))
    }

    /// For a county or city: "this department already gave its opinion on the record since it was last
    /// submitted" (an `opinion` audit event of the same role and organisation, as `audit` writes them,
    /// after the record's latest `submit`). Such records leave that department's queue; nil for other roles.
    static func opinionGiven(by user: AuthenticatedUser) -> (sql: String, values: [SQLArgument])? {
        let info = user.info
        guard info.role == .county || info.role == .city, let org = info.orgId ?? info.agency ?? info.region else {
            return nil
        }
        let sql = """
            EXISTS (SELECT 1 FROM audit_events a WHERE a.record_id = r.id AND a.action = 'opinion' \
            AND a.role = ? AND a.org_id = ? AND a.seq > coalesce((SELECT max(s.seq) FROM audit_events s \
            WHERE s.record_id = r.id AND s.action = 'submit'), 0))
            """
        return (sql, [.text(info.role.rawValue), .text(org)])
    }

    /// The counts of a count query's rows (zero counts left out).
    static func counts(_ rows: [(kind: String, state: String, n: Int)]) -> [QueuePair: Int] {
        var counts: [QueuePair: Int] = [:]
        for row in rows where row.n > 0 {
            guard let kind = RecordKind(rawValue: row.kind), let state = RecordState(rawValue: row.state) else { continue }
            counts[QueuePair(kind: kind, state: state)] = row.n
        }
        return counts
    }
}
