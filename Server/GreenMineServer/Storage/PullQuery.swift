import Foundation

/// The pull rule as both backends run it (SQLiteRecordStore.pull, PostgresRecordStore.pull): the SQL of
/// a page of changes and of the records that left the user's reach, and how their rows become a
/// `PullPage`. Each backend only runs the SQL and reads the rows.
struct PullQuery {
    let filter: VisibilityFilter
    let cursor: Int64
    let limit: Int

    /// A row of the page: a change the user may see now or could see before. A backend may leave out
    /// the id of a visible row and the body of one that is not (neither is read).
    struct Change {
        var seq: Int64
        var id: String
        var body: String
        var visible: Bool
    }

    /// A record that left the user's reach, at its latest exit.
    struct Exit {
        var id: String
        var at: Int64
    }

    /// The page's rows (`limit + 1`, to tell whether more follow), in change order.
    var pageSQL: String {
        """
        SELECT r.change_seq, r.id, r.body, (\(filter.visible)) AS visible FROM records r
        WHERE r.change_seq > ? AND \(filter.scope)
        ORDER BY r.change_seq LIMIT ?
        """
    }

    var pageValues: [SQLArgument] {
        filter.values + [.integer(Int(cursor))] + filter.values + [.integer(limit + 1)]
    }

    /// The page before its exits are added.
    struct Partial {
        var records: [String]
        var gone: [UUID]
        var last: Int64
        var more: Bool
    }

    func partial(_ rows: [Change]) -> Partial {
        let page = rows.prefix(limit)
        var records: [String] = []
        var gone: [UUID] = []
        for row in page {
            if row.visible {
                records.append(row.body)
            } else if cursor > 0, let id = UUID(text: row.id) {
                gone.append(id)
            }
        }
        return Partial(records: records, gone: gone, last: max(page.last?.seq ?? cursor, cursor),
                       more: rows.count > limit)
    }

    /// Records that left this user's reach (another county, city, province or agency) within this
    /// page's span of changes, and that it cannot see now; nil when there is nothing to ask (a first
    /// pull, or the ministry, whose reach never changes). On the last page the cursor moves past them, so
    /// they are listed once. (A column that became NULL — an assessment left behind by its agency —
    /// makes the predicate NULL, which is "not visible" too; `1 = 0` is false on both backends.)
    func exits(after partial: Partial) -> (sql: String, values: [SQLArgument])? {
        guard cursor > 0, let exitScope = filter.exitScope else { return nil }
        let upTo = partial.more ? partial.last : Int64.max
        return ("""
            SELECT e.record_id, MAX(e.change_seq) AS at FROM record_exits e JOIN records r ON r.id = e.record_id
            WHERE e.change_seq > ? AND e.change_seq <= ? AND \(exitScope) AND NOT coalesce(\(filter.visible), 1 = 0)
            GROUP BY e.record_id
            """, [.integer(Int(cursor)), .integer(Int(upTo))] + filter.exitValues + filter.values)
    }

    /// The page and its exits in one statement (one snapshot without a transaction: PostgreSQL reads a
    /// statement in one snapshot even under READ COMMITTED, so one round trip does what `pageSQL` and
    /// `exits` do in a REPEATABLE READ transaction). Rows with `part` 0 are the page's, in no set order;
    /// rows with `part` 1 are exits (`change_seq` = the exit's, `id` = the record's), bounded as `exits`
    /// bounds them. Nil when there is nothing to ask about exits (then `pageSQL` alone).
    var pageAndExits: (sql: String, values: [SQLArgument])? {
        guard cursor > 0, let exitScope = filter.exitScope else { return nil }
        let sql = """
            WITH page AS (\(pageSQL)),
            bound AS (
                SELECT CASE WHEN (SELECT count(*) FROM page) > ?
                    THEN (SELECT max(change_seq) FROM (SELECT change_seq FROM page ORDER BY change_seq LIMIT ?) AS kept)
                    ELSE 9223372036854775807 END AS up_to)
            SELECT 0 AS part, change_seq, id, body, visible FROM page
            UNION ALL
            SELECT 1 AS part, MAX(e.change_seq) AS change_seq, e.record_id AS id, NULL AS body, false AS visible
            FROM record_exits e JOIN records r ON r.id = e.record_id CROSS JOIN bound
            WHERE e.change_seq > ? AND e.change_seq <= bound.up_to AND \(exitScope)
              AND NOT coalesce(\(filter.visible), 1 = 0)
            GROUP BY e.record_id
            """
        return (sql, pageValues + [.integer(limit), .integer(limit), .integer(Int(cursor))] + filter.exitValues
                    + filter.values)
    }

    /// A whole pull as `greenmine` asks for it in one statement: `pageAndExits` (or the page alone, as
    /// rows of `part` 0) and, when a client is named, its last seq as one row of `part` 2 (in
    /// `change_seq`; no row when the server has none for that client and user). Nil when the page alone
    /// is all there is to ask (then `pageSQL`).
    func statement(lastSeqOf client: (id: String, user: String)?) -> (sql: String, values: [SQLArgument])? {
        guard let client else { return pageAndExits }
        let base = pageAndExits
            ?? ("WITH page AS (\(pageSQL))\nSELECT 0 AS part, change_seq, id, body, visible FROM page", pageValues)
        return (base.sql + """

            UNION ALL
            SELECT 2 AS part, last_seq AS change_seq, NULL AS id, NULL AS body, false AS visible FROM clients
            WHERE client_id = ? AND user_id = ?
            """, base.values + [.text(client.id), .text(client.user)])
    }

    func page(_ partial: Partial, exits: [Exit]) -> PullPage {
        var gone = partial.gone
        var last = partial.last
        let listed = Set(gone)
        for exit in exits {
            guard let id = UUID(text: exit.id) else { continue }
            if !listed.contains(id) { gone.append(id) }
            if !partial.more { last = max(last, exit.at) }
        }
        return PullPage(records: partial.records, gone: gone, cursor: last, more: partial.more)
    }
}
