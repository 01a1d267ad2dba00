import Foundation
import GRDB
import GreenMineShared

/// How a conflict was settled.
public enum ConflictResolution: String, Codable, Sendable, CaseIterable {
    /// The user's own value was sent again.
    case mine
    /// The server's value was kept.
    case theirs
    /// A third value was sent.
    case set
}

/// One field the server kept at another actor's value when a pushed change wanted another.
public struct LocalConflict: Codable, Sendable, Hashable {
    public var id: UUID
    public var recordId: UUID
    /// The dotted field path.
    public var path: String
    /// The value this device wanted.
    public var mine: JSONValue
    /// The value the server kept.
    public var theirs: JSONValue
    /// The seq of the mutation that conflicted.
    public var seq: Int
    public var createdAt: Date
    /// When it was settled; nil while open.
    public var resolvedAt: Date?
    public var resolution: ConflictResolution?

    public init(id: UUID, recordId: UUID, path: String, mine: JSONValue, theirs: JSONValue, seq: Int,
                createdAt: Date, resolvedAt: Date? = nil, resolution: ConflictResolution? = nil) {
        self.id = id
        self.recordId = recordId
        self.path = path
        self.mine = mine
        self.theirs = theirs
        self.seq = seq
        self.createdAt = createdAt
        self.resolvedAt = resolvedAt
        self.resolution = resolution
    }

    /// True while the user has not settled it.
    public var isOpen: Bool { resolvedAt == nil }
}

extension LocalConflict: FetchableRecord, PersistableRecord {
    public static var databaseTableName: String { "conflicts" }

    public init(row: Row) throws {
        let idText: String = row["id"]
        let what = "conflict \(idText)"
        guard let id = UUID(text: idText), let recordId = UUID(text: row["record_id"] as String) else {
            throw StoreError.corrupt(what: what, reason: "bad id")
        }
        self.id = id
        self.recordId = recordId
        self.path = row["path"]
        self.mine = try StoreJSON.decode(JSONValue.self, row["mine"], what: what)
        self.theirs = try StoreJSON.decode(JSONValue.self, row["theirs"], what: what)
        self.seq = row["seq"]
        self.createdAt = try StoreJSON.date(row["created_at"], what: what) ?? Date(timeIntervalSince1970: 0)
        self.resolvedAt = try StoreJSON.date(row["resolved_at"], what: what)
        self.resolution = (row["resolution"] as String?).flatMap(ConflictResolution.init(rawValue:))
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id.lowercased
        container["record_id"] = recordId.lowercased
        container["path"] = path
        container["mine"] = try StoreJSON.encode(mine)
        container["theirs"] = try StoreJSON.encode(theirs)
        container["seq"] = seq
        container["created_at"] = StoreJSON.date(createdAt)
        container["resolved_at"] = resolvedAt.map(StoreJSON.date)
        container["resolution"] = resolution?.rawValue
    }
}

extension LocalConflict {
    /// Every open conflict, oldest first.
    static func open(_ db: Database) throws -> [LocalConflict] {
        try LocalConflict.fetchAll(db, sql: "SELECT * FROM conflicts WHERE resolved_at IS NULL ORDER BY created_at, path")
    }

    /// The open conflicts of one record.
    static func open(_ db: Database, recordId: UUID) throws -> [LocalConflict] {
        try LocalConflict.fetchAll(db, sql: """
            SELECT * FROM conflicts WHERE resolved_at IS NULL AND record_id = ? ORDER BY path
            """, arguments: [recordId.lowercased])
    }

    /// Records a conflict, replacing an open one on the same field of the same record.
    static func record(_ db: Database, _ conflict: LocalConflict) throws {
        try db.execute(sql: "DELETE FROM conflicts WHERE record_id = ? AND path = ? AND resolved_at IS NULL",
                       arguments: [conflict.recordId.lowercased, conflict.path])
        try conflict.insert(db)
    }

    /// The number of open conflicts.
    static func openCount(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM conflicts WHERE resolved_at IS NULL") ?? 0
    }
}
