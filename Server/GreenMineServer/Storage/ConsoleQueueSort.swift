import Foundation
import GRDB
import GreenMineShared

/// The work queue's orders: by last change (newest or oldest first) or by mine name.
public enum QueueSort: String, Sendable, Hashable, CaseIterable {
    /// Last changed first (the default).
    case newest
    /// Last changed last.
    case oldest
    /// Mine name A→Z (records without a name first), then by id.
    case name

    /// The name the order sorts on (empty when the record has none), compared byte by byte on both
    /// backends (SQLite's BINARY collation; PostgreSQL's "C").
    static func nameKey(_ dialect: SQLDialect) -> String {
        switch dialect {
        case .sqlite: QueueSearchText.nameSQL
        case .postgres: "(split_part(r.search_text, chr(31), 1) COLLATE \"C\")"
        }
    }

    /// The SQL that continues after `cursor` in this order, and the order itself. The change number is
    /// unique per row and grows with every change, so it alone is the key of both time orders; the name
    /// order needs the id as a tie-breaker. A cursor of another order is ignored (the first page).
    func keyset(after cursor: QueueCursor?, dialect: SQLDialect)
        -> (condition: String, values: [SQLArgument], orderBy: String) {
        switch self {
        case .newest:
            guard let seq = cursor?.seq else { return ("", [], "r.change_seq DESC") }
            return (" AND r.change_seq < ?", [.integer(Int(seq))], "r.change_seq DESC")
        case .oldest:
            guard let seq = cursor?.seq else { return ("", [], "r.change_seq ASC") }
            return (" AND r.change_seq > ?", [.integer(Int(seq))], "r.change_seq ASC")
        case .name:
            let id = dialect == .postgres ? "(r.id COLLATE \"C\")" : "r.id"
            let orderBy = "name_key ASC, \(id) ASC"
            guard let name = cursor?.name, let after = cursor?.id else { return ("", [], orderBy) }
            let key = Self.nameKey(dialect)
            return (" AND (\(key) > ? OR (\(key) = ? AND \(id) > ?))", [.text(name), .text(name), .text(after)], orderBy)
        }
    }

    /// The cursor that continues after this row (`change_seq`, `id`, `name_key`) in this order.
    func cursor(of row: Row) -> QueueCursor {
        switch self {
        case .newest, .oldest: QueueCursor(seq: row["change_seq"])
        case .name: QueueCursor(name: row["name_key"], id: row["id"])
        }
    }
}

/// Where a page of the work queue ended, for its order: a change number, or a (name, id) pair.
/// Travels in links as one opaque text (`text` / `init?(text:)`).
public struct QueueCursor: Sendable, Hashable {
    public var seq: Int64?
    public var name: String?
    public var id: String?

    public init(seq: Int64) {
        self.seq = seq
    }

    public init(name: String, id: String) {
        self.name = name
        self.id = id
    }

    /// `s<seq>` or `n<id>~<name>` (the id has a fixed length of 36).
    public var text: String {
        if let seq { return "s\(seq)" }
        return "n\(id ?? "")~\(name ?? "")"
    }

    /// Reads `text`; nil for anything else.
    public init?(text: String) {
        if text.hasPrefix("s"), let seq = Int64(text.dropFirst()) {
            self.init(seq: seq)
            return
        }
        let body = text.dropFirst()
        guard text.hasPrefix("n"), body.count >= 37, UUID(text: body.prefix(36)) != nil,
              body.dropFirst(36).first == "~" else { return nil }
        self.init(name: String(body.dropFirst(37)), id: String(body.prefix(36)))
    }
}
