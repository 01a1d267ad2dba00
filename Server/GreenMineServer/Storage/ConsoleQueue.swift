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
    /// How the page is read (nil: the store chooses by the queue's density); tests set it to prove both
    /// ways give the same pages.
    public var plan: QueuePlan?

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

/// How a page of the queue without a search is read: walking the change index in order, or from the
/// covering index's matches.
public enum QueuePlan: Sendable, Hashable {
    case walkChanges
    case coveringMatches
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
    /// The counts come from the covering index `records_queue`; a page without a search walks
    /// `records_change` in order; a search reads its matches off the same index in one pass (see
    /// `searchPage`).
    public func queue(_ query: QueueQuery, user: AuthenticatedUser) async throws -> QueuePage {
        guard !query.awaited.isEmpty else { return QueuePage(records: [], counts: [:], next: nil) }
        let filter = VisibilityFilter(user: user, regions: regions)
        // Only reviewed kinds are ever awaited, so the records every user shares (catalogues, profiles,
        // notices) never belong here: the role's own visibility is the whole rule.
        // `base`: the filters but the awaited kinds and states (added below, after `rest` is kept for the
        // counts, one index range per awaited kind and state).
        var base = filter.reviewVisible
        var arguments = filter.reviewArguments
        if let region = query.region, !region.isEmpty {
            base += " AND (r.region = ? OR r.county_code = ? OR r.city_code = ? OR r.province_code = ?)"
            arguments += [region, region, region, region]
        }
        let search = query.search?.trimmingCharacters(in: .whitespaces) ?? ""
        if !search.isEmpty {
            let escaped = search.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
            base += " AND r.search_text LIKE ? ESCAPE '\\'"
            arguments += ["%\(escaped)%"]
        }
        let dated = query.updatedFrom != nil || query.updatedBefore != nil
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
        let from = dated ? "records r JOIN change_log c ON c.rowid = r.change_seq" : "records r"
        let rest = base
        let restArguments = arguments
        base = "(" + query.awaited.map { _ in "(r.kind = ? AND r.state = ?)" }.joined(separator: " OR ") + ") AND "
            + rest
        arguments = []
        for pair in query.awaited { arguments += [pair.kind.rawValue, pair.state.rawValue] }
        arguments += restArguments
        if !search.isEmpty {
            return try await searchPage(query, from: from, base: base, arguments: arguments)
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
        // One count per awaited kind and state: each an index range (an OR of them all with a GROUP BY
        // measured 8 times slower at 100,000 records).
        let countSQL = query.awaited.map { _ in
            "SELECT ? AS kind, ? AS state, count(*) AS n FROM \(from) WHERE r.kind = ? AND r.state = ? AND \(rest)"
        }.joined(separator: " UNION ALL ")
        var countArguments: StatementArguments = []
        for pair in query.awaited {
            countArguments += [pair.kind.rawValue, pair.state.rawValue, pair.kind.rawValue, pair.state.rawValue]
            countArguments += restArguments
        }
        // The page's rows, index columns only (their bodies are read afterwards by rowid). A queue
        // dense in the store walks the change index newest (or oldest) first and stops at the page's
        // end; a sparse one, or the order by name, reads its matches off the covering index and keeps
        // the page's top rows — whichever reads fewer rows.
        let walked = dated ? "records r INDEXED BY records_change JOIN change_log c ON c.rowid = r.change_seq"
            : "records r INDEXED BY records_change"
        let pageSQL = [false, true].map { walking in
            """
            SELECT r.rowid AS rid, r.change_seq, r.id, \(QueueSort.nameKey) AS name_key FROM \(walking ? walked : from)
            WHERE \(page) ORDER BY \(order.orderBy) LIMIT ?
            """
        }
        let decoder = WireCoding.decoder()
        let counted = countArguments
        let rowArguments = pageArguments
        let sort = query.sort
        return try await writer.read { db in
            var counts: [QueuePair: Int] = [:]
            for row in try Row.fetchAll(db, sql: countSQL, arguments: counted) {
                guard let kind = RecordKind(rawValue: row["kind"]), let state = RecordState(rawValue: row["state"])
                else { continue }
                let n: Int = row["n"]
                if n > 0 { counts[QueuePair(kind: kind, state: state)] = n }
            }
            let matching = counts.filter { pair, _ in
                (query.kind.map { $0 == pair.kind } ?? true) && (query.state.map { $0 == pair.state } ?? true)
            }.values.reduce(0, +)
            let stored = try Int.fetchOne(db, sql: "SELECT max(rowid) FROM records") ?? 0
            // Walking the change index reads about stored ÷ matching rows per row of the page.
            let dense = matching > 0 && matching * matching > (limit + 1) * stored
            let walking = sort != .name && (query.plan.map { $0 == .walkChanges } ?? dense)
            let rows = try Row.fetchAll(db, sql: pageSQL[walking ? 1 : 0], arguments: rowArguments)
            let shown = Array(rows.prefix(limit))
            let records = try Self.bodies(db, rowids: shown.map { $0["rid"] }, decoder: decoder)
            let next = rows.count > limit ? shown.last.map { sort.cursor(of: $0) } : nil
            return QueuePage(records: records, counts: counts, next: next)
        }
    }

    /// The records of these rows, in this order.
    static func bodies(_ db: Database, rowids: [Int64], decoder: JSONDecoder) throws -> [GreenMineShared.Record] {
        guard !rowids.isEmpty else { return [] }
        let marks = rowids.map { _ in "?" }.joined(separator: ",")
        var bodies: [Int64: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT rowid AS rid, body FROM records WHERE rowid IN (\(marks))",
                                    arguments: StatementArguments(rowids)) {
            bodies[row["rid"]] = row["body"]
        }
        return try rowids.compactMap { rowid in
            try bodies[rowid].map { try decoder.decode(GreenMineShared.Record.self, from: Data($0.utf8)) }
        }
    }

    /// A searched queue: the matches are read once off the covering index (kind, state, change number,
    /// id and name, no record body), counted, ordered and cut to the page here — the same order and
    /// cursors as the SQL of `queue` (names compared byte by byte, as SQLite does) — and only the page's
    /// bodies are read. Without this, the newest-first walk tests the search on every record it passes.
    private func searchPage(_ query: QueueQuery, from: String, base: String,
                            arguments: StatementArguments) async throws -> QueuePage {
        let matchSQL = """
            SELECT r.rowid AS rid, r.kind, r.state, r.change_seq, r.id, \(QueueSort.nameKey) AS name_key
            FROM \(from) WHERE \(base)
            """
        let limit = max(1, min(query.limit, 500))
        let decoder = WireCoding.decoder()
        return try await writer.read { db in
            struct Match {
                var rowid: Int64
                var pair: QueuePair
                var seq: Int64
                var id: String
                var name: String
            }
            var counts: [QueuePair: Int] = [:]
            var matches: [Match] = []
            let cursor = query.after
            for row in try Row.fetchAll(db, sql: matchSQL, arguments: arguments) {
                guard let kind = RecordKind(rawValue: row["kind"]), let state = RecordState(rawValue: row["state"])
                else { continue }
                let match = Match(rowid: row["rid"], pair: QueuePair(kind: kind, state: state), seq: row["change_seq"],
                                  id: row["id"], name: row["name_key"] ?? "")
                counts[match.pair, default: 0] += 1
                if let wanted = query.kind, wanted != kind { continue }
                if let wanted = query.state, wanted != state { continue }
                switch query.sort {
                case .newest: if let seq = cursor?.seq, match.seq >= seq { continue }
                case .oldest: if let seq = cursor?.seq, match.seq <= seq { continue }
                case .name:
                    if let name = cursor?.name, let id = cursor?.id,
                       !(Self.bytesBefore(name, match.name) || (name == match.name && Self.bytesBefore(id, match.id))) {
                        continue
                    }
                }
                matches.append(match)
            }
            switch query.sort {
            case .newest: matches.sort { $0.seq > $1.seq }
            case .oldest: matches.sort { $0.seq < $1.seq }
            case .name:
                matches.sort { $0.name == $1.name ? Self.bytesBefore($0.id, $1.id) : Self.bytesBefore($0.name, $1.name) }
            }
            let shown = Array(matches.prefix(limit))
            let records = try Self.bodies(db, rowids: shown.map(\.rowid), decoder: decoder)
            var next: QueueCursor?
            if matches.count > limit, let last = shown.last {
                next = query.sort == .name ? QueueCursor(name: last.name, id: last.id) : QueueCursor(seq: last.seq)
            }
            return QueuePage(records: records, counts: counts, next: next)
        }
    }

    /// `a < b` as SQLite's BINARY collation orders text: by UTF-8 bytes.
    static func bytesBefore(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
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
