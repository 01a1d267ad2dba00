import Foundation
import GRDB
import GreenMineShared

/// A queued change the server refused for good, kept so the user sees why.
public struct Rejection: Codable, Sendable, Hashable {
    /// Row id in the store.
    public var id: Int64?
    public var seq: Int
    public var recordId: UUID
    public var kind: RecordKind
    public var op: MutationOp
    public var transition: Transition?
    /// The server's stable code.
    public var code: String
    /// The server's reason in English.
    public var message: String
    /// The server's reason in Chinese, when it gave one.
    public var messageZh: String?
    public var createdAt: Date
    /// True once the user has been shown it.
    public var seen: Bool

    public init(id: Int64? = nil, seq: Int, recordId: UUID, kind: RecordKind, op: MutationOp,
                transition: Transition?, code: String, message: String, messageZh: String?, createdAt: Date,
                seen: Bool = false) {
        self.id = id
        self.seq = seq
        self.recordId = recordId
        self.kind = kind
        self.op = op
        self.transition = transition
        self.code = code
        self.message = message
        self.messageZh = messageZh
        self.createdAt = createdAt
        self.seen = seen
    }

    /// The reason in the user's language.
    public var reason: LocalizedText { LocalizedText(zh: messageZh ?? message, en: message) }
}

extension Rejection: FetchableRecord, MutablePersistableRecord {
    public static var databaseTableName: String { "rejections" }

    public init(row: Row) throws {
        let seq: Int = row["seq"]
        guard let recordId = UUID(text: row["record_id"] as String), let kind = RecordKind(rawValue: row["kind"]),
              let op = MutationOp(rawValue: row["op"]) else {
            throw StoreError.corrupt(what: "rejection #\(seq)", reason: "bad id, kind or op")
        }
        self.id = row["id"]
        self.seq = seq
        self.recordId = recordId
        self.kind = kind
        self.op = op
        self.transition = (row["transition"] as String?).flatMap(Transition.init(rawValue:))
        self.code = row["code"]
        self.message = row["message"]
        self.messageZh = row["message_zh"]
        self.createdAt = try StoreJSON.date(row["created_at"], what: "rejection #\(seq)") ?? Date(timeIntervalSince1970: 0)
        self.seen = row["seen"]
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["seq"] = seq
        container["record_id"] = recordId.lowercased
        container["kind"] = kind.rawValue
        container["op"] = op.rawValue
        container["transition"] = transition?.rawValue
        container["code"] = code
        container["message"] = message
        container["message_zh"] = messageZh
        container["created_at"] = StoreJSON.date(createdAt)
        container["seen"] = seen
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

extension Rejection {
    /// Rejections, newest first; only the unseen ones unless `all`.
    static func list(_ db: Database, all: Bool) throws -> [Rejection] {
        try Rejection.fetchAll(db, sql: """
            SELECT * FROM rejections \(all ? "" : "WHERE seen = 0") ORDER BY id DESC
            """)
    }

    /// The rejections of one record, newest first.
    static func of(_ db: Database, recordId: UUID) throws -> [Rejection] {
        try Rejection.fetchAll(db, sql: "SELECT * FROM rejections WHERE record_id = ? ORDER BY id DESC",
                               arguments: [recordId.lowercased])
    }

    /// The number not shown yet.
    static func unseenCount(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM rejections WHERE seen = 0") ?? 0
    }

    /// Marks rejections as shown (all of them, or one record's).
    static func markSeen(_ db: Database, recordId: UUID? = nil) throws {
        if let recordId {
            try db.execute(sql: "UPDATE rejections SET seen = 1 WHERE record_id = ?", arguments: [recordId.lowercased])
        } else {
            try db.execute(sql: "UPDATE rejections SET seen = 1")
        }
    }
}
