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
        let sql = QueueSQL(query, user: user, regions: regions, dialect: .sqlite)
        if !sql.search.isEmpty { return try await searchPage(query, sql) }
        let limit = sql.limit
        let pageArguments = (sql.pageValues + [.integer(limit + 1)]).statementArguments
        // The page's rows, index columns only (their bodies are read afterwards by rowid). A queue
        // dense in the store walks the change index newest (or oldest) first and stops at the page's
        // end; a sparse one, or the order by name, reads its matches off the covering index and keeps
        // the page's top rows — whichever reads fewer rows.
        let walked = sql.dated ? "records r INDEXED BY records_change \(SQLDialect.sqlite.changeLogJoin)"
            : "records r INDEXED BY records_change"
        let pageSQL = [false, true].map { walking in
            """
            SELECT r.rowid AS rid, r.change_seq, r.id, \(QueueSort.nameKey(.sqlite)) AS name_key
            FROM \(walking ? walked : sql.from) WHERE \(sql.page) ORDER BY \(sql.orderBy) LIMIT ?
            """
        }
        let decoder = WireCoding.decoder()
        let countSQL = sql.countSQL
        let counted = sql.countValues.statementArguments
        let sort = query.sort
        return try await writer.read { db in
            let counts = QueueSQL.counts(try Row.fetchAll(db, sql: countSQL, arguments: counted).map {
                (kind: $0["kind"], state: $0["state"], n: $0["n"])
            })
            let matching = counts.filter { pair, _ in
                (query.kind.map { $0 == pair.kind } ?? true) && (query.state.map { $0 == pair.state } ?? true)
            }.values.reduce(0, +)
            let stored = try Int.fetchOne(db, sql: "SELECT max(rowid) FROM records") ?? 0
            // Walking the change index reads about stored ÷ matching rows per row of the page.
            let dense = matching > 0 && matching * matching > (limit + 1) * stored
            let walking = sort != .name && (query.plan.map { $0 == .walkChanges } ?? dense)
            let rows = try Row.fetchAll(db, sql: pageSQL[walking ? 1 : 0], arguments: pageArguments)
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
    private func searchPage(_ query: QueueQuery, _ sql: QueueSQL) async throws -> QueuePage {
        let matchSQL = """
            SELECT r.rowid AS rid, r.kind, r.state, r.change_seq, r.id, \(QueueSort.nameKey(.sqlite)) AS name_key
            FROM \(sql.from) WHERE \(sql.base)
            """
        let arguments = sql.baseValues.statementArguments
        let limit = sql.limit
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
