import Foundation
import GRDB
import GreenMineShared

/// What the console's work queue asks for: the (kind, state) pairs that await the user's action,
/// narrowed by the page's filters, in one order, one page after a keyset cursor.
public struct QueueQuery: Sendable, Hashable {
    /// The kinds and states that await this role's action (from the workflow table).
    public var awaited: [QueuePair]
    public var kind: RecordKind?
    public var state: RecordState?
    /// A division code: the record's own, its county's or its city's.
    public var region: String?
    /// Part of the mine name, licence number or credit code.
    public var search: String?
    /// Records last changed at or after this time.
    public var updatedFrom: Date?
    /// Records last changed before this time.
    public var updatedBefore: Date?
    public var sort: QueueSort
    /// Where the previous page ended (`QueuePage.next`); nil for the first page.
    public var after: QueueCursor?
    public var limit: Int

    public init(awaited: [QueuePair], kind: RecordKind? = nil, state: RecordState? = nil, region: String? = nil,
                search: String? = nil, updatedFrom: Date? = nil, updatedBefore: Date? = nil,
                sort: QueueSort = .newest, after: QueueCursor? = nil, limit: Int = 50) {
        self.awaited = awaited
        self.kind = kind
        self.state = state
        self.region = region
        self.search = search
        self.updatedFrom = updatedFrom
        self.updatedBefore = updatedBefore
        self.sort = sort
        self.after = after
        self.limit = limit
    }
}

/// A kind in a state.
public struct QueuePair: Sendable, Hashable {
    public var kind: RecordKind
    public var state: RecordState

    public init(kind: RecordKind, state: RecordState) {
        self.kind = kind
        self.state = state
    }
}

/// One page of the work queue, with the counts of everything awaiting per kind and state.
public struct QueuePage: Sendable {
    public var records: [GreenMineShared.Record]
    /// Per (kind, state), over the whole queue (the kind and state filters aside).
    public var counts: [QueuePair: Int]
    /// The cursor of the next page; nil on the last.
    public var next: QueueCursor?
}

extension SQLiteRecordStore {
    /// The work queue: records the user may see now (the pull's visibility) in an awaited kind and state.
    public func queue(_ query: QueueQuery, user: AuthenticatedUser) async throws -> QueuePage {
        guard !query.awaited.isEmpty else { return QueuePage(records: [], counts: [:], next: nil) }
        let filter = VisibilityFilter(user: user, regions: regions)
        var base = "\(filter.visible) AND ("
            + query.awaited.map { _ in "(r.kind = ? AND r.state = ?)" }.joined(separator: " OR ") + ")"
        var arguments = filter.arguments
        for pair in query.awaited { arguments += [pair.kind.rawValue, pair.state.rawValue] }
        if let region = query.region, !region.isEmpty {
            base += " AND (r.region = ? OR r.county_code = ? OR r.city_code = ? OR r.province_code = ?)"
            arguments += [region, region, region, region]
        }
        if let search = query.search?.trimmingCharacters(in: .whitespaces), !search.isEmpty {
            let escaped = search.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
            let pattern = "%\(escaped)%"
            base += """
                 AND (json_extract(r.body, '$.fields."basic.mineName"') LIKE ? ESCAPE '\\' \
                OR r.licence LIKE ? ESCAPE '\\' OR r.org_id LIKE ? ESCAPE '\\' \
                OR json_extract(r.body, '$.fields."basic.creditCode"') LIKE ? ESCAPE '\\')
                """
            arguments += [pattern, pattern, pattern, pattern]
        }
        if let from = query.updatedFrom {
            base += " AND c.at >= ?"
            arguments += [from.timeIntervalSince1970]
        }
        if let before = query.updatedBefore {
            base += " AND c.at < ?"
            arguments += [before.timeIntervalSince1970]
        }
        if let given = Self.opinionGiven(by: user) {
            base += " AND NOT \(given.sql)"
            arguments += given.arguments
        }
        var page = base
        var pageArguments = arguments
        if let kind = query.kind {
            page += " AND r.kind = ?"
            pageArguments += [kind.rawValue]
        }
        if let state = query.state {
            page += " AND r.state = ?"
            pageArguments += [state.rawValue]
        }
        let order = query.sort.keyset(after: query.after)
        page += order.condition
        pageArguments += order.arguments
        let limit = max(1, min(query.limit, 500))
        pageArguments += [limit + 1]
        let from = "records r JOIN change_log c ON c.rowid = r.change_seq"
        let pageSQL = """
            SELECT r.change_seq, r.id, \(QueueSort.nameKey) AS name_key, r.body FROM \(from)
            WHERE \(page) ORDER BY \(order.orderBy) LIMIT ?
            """
        let countSQL = "SELECT r.kind, r.state, count(*) AS n FROM \(from) WHERE \(base) GROUP BY r.kind, r.state"
        let decoder = WireCoding.decoder()
        let countArguments = arguments
        let rowArguments = pageArguments
        let sort = query.sort
        return try await writer.read { db in
            let rows = try Row.fetchAll(db, sql: pageSQL, arguments: rowArguments)
            let shown = rows.prefix(limit)
            let records = try shown.map { row in
                try decoder.decode(GreenMineShared.Record.self, from: Data((row["body"] as String).utf8))
            }
            var counts: [QueuePair: Int] = [:]
            for row in try Row.fetchAll(db, sql: countSQL, arguments: countArguments) {
                guard let kind = RecordKind(rawValue: row["kind"]), let state = RecordState(rawValue: row["state"])
                else { continue }
                counts[QueuePair(kind: kind, state: state)] = row["n"]
            }
            let next = rows.count > limit ? shown.last.map { sort.cursor(of: $0) } : nil
            return QueuePage(records: records, counts: counts, next: next)
        }
    }

    /// For a county or city: "this department already gave its opinion on the record since it was last
    /// submitted" (an `opinion` audit event of the same role and organisation, as `audit` writes them,
    /// after the record's latest `submit`). Such records leave that department's queue; nil for other roles.
    static func opinionGiven(by user: AuthenticatedUser) -> (sql: String, arguments: StatementArguments)? {
        let info = user.info
        guard info.role == .county || info.role == .city, let org = info.orgId ?? info.agency ?? info.region else {
            return nil
        }
        let sql = """
            EXISTS (SELECT 1 FROM audit_events a WHERE a.record_id = r.id AND a.action = 'opinion' \
            AND a.role = ? AND a.org_id = ? AND a.seq > coalesce((SELECT max(s.seq) FROM audit_events s \
            WHERE s.record_id = r.id AND s.action = 'submit'), 0))
            """
        return (sql, [info.role.rawValue, org])
    }

    /// The signed certificate JSON of the certificate with this number (public verification), if any.
    public func signedCertificate(number: String) async throws -> String? {
        try await writer.read { db in
            try String.fetchOne(db, sql: """
                SELECT json_extract(r.body, '$.fields."certificate.signed"') FROM records r
                WHERE r.kind = 'certificate' AND r.deleted = 0
                AND json_extract(json_extract(r.body, '$.fields."certificate.signed"'), '$.body.number') = ?
                LIMIT 1
                """, arguments: [number])
        }
    }
}
