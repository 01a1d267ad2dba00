import Foundation
import GRDB
import GreenMineShared

/// One record in the store: the last server snapshot (base), the working copy (base + pending
/// changes) and, for a record whose creation the server refused, the content to start again from.
public struct LocalRecord: Sendable, Hashable {
    public var id: UUID
    public var kind: RecordKind
    public var parentId: UUID?
    /// The last snapshot the server sent; nil while the server has never accepted the record.
    public var base: GreenMineShared.Record?
    /// What the user sees and edits: the base with every pending change replayed on it.
    public var working: GreenMineShared.Record
    /// The content to replay from when there is no base and no pending creation (set when the
    /// server refused the creation, so that nothing typed is lost).
    public var origin: GreenMineShared.Record?
    /// Device time of the last local change or server update.
    public var updatedLocal: Date

    public init(id: UUID, kind: RecordKind, parentId: UUID?, base: GreenMineShared.Record?, working: GreenMineShared.Record, origin: GreenMineShared.Record?,
                updatedLocal: Date) {
        self.id = id
        self.kind = kind
        self.parentId = parentId
        self.base = base
        self.working = working
        self.origin = origin
        self.updatedLocal = updatedLocal
    }

    /// The server version of the base, nil while the server has never accepted the record.
    public var baseVersion: Int? { base?.version }
}

extension LocalRecord: FetchableRecord, PersistableRecord {
    public static var databaseTableName: String { "records" }

    public init(row: Row) throws {
        let idText: String = row["id"]
        let what = "record \(idText)"
        guard let id = UUID(text: idText), let kind = RecordKind(rawValue: row["kind"]) else {
            throw StoreError.corrupt(what: what, reason: "bad id or kind")
        }
        self.id = id
        self.kind = kind
        self.parentId = (row["parent_id"] as String?).flatMap({ UUID(text: $0) })
        self.base = try (row["base"] as String?).map { try StoreJSON.decode(Record.self, $0, what: what) }
        self.origin = try (row["origin"] as String?).map { try StoreJSON.decode(Record.self, $0, what: what) }
        // NULL: the working copy equals the base (stored once). Not "nothing pending": a queued change
        // that sets a field to the value it has leaves them equal.
        if let working = row["working"] as String? {
            self.working = try StoreJSON.decode(Record.self, working, what: what)
        } else if let base {
            self.working = base
        } else {
            throw StoreError.corrupt(what: what, reason: "neither a base nor a working copy")
        }
        self.updatedLocal = try StoreJSON.date(row["updated_local"], what: what) ?? Date(timeIntervalSince1970: 0)
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id.lowercased
        container["kind"] = kind.rawValue
        container["parent_id"] = parentId?.lowercased
        // Most records have nothing pending: their working copy equals the base, stored once (working NULL).
        let same = base == working
        container["base"] = base.map { StoreJSON.encode($0) }
        container["base_version"] = base?.version
        container["origin"] = origin.map { StoreJSON.encode($0) }
        container["working"] = same ? nil : StoreJSON.encode(working)
        container["state"] = working.state.rawValue
        container["deleted"] = working.deleted
        container["updated_local"] = StoreJSON.date(updatedLocal)
    }
}

extension LocalRecord {
    /// The record with this id, if the store has it.
    static func find(_ db: Database, _ id: UUID) throws -> LocalRecord? {
        try LocalRecord.fetchOne(db, sql: "SELECT * FROM records WHERE id = ?", arguments: [id.lowercased])
    }

    /// The records of a kind, not deleted, most recently changed first.
    static func all(_ db: Database, kind: RecordKind, includeDeleted: Bool = false) throws -> [LocalRecord] {
        try LocalRecord.fetchAll(db, sql: """
            SELECT * FROM records WHERE kind = ? \(includeDeleted ? "" : "AND deleted = 0")
            ORDER BY updated_local DESC, id
            """, arguments: [kind.rawValue])
    }

    /// Removes the record with this id.
    static func remove(_ db: Database, _ id: UUID) throws {
        try db.execute(sql: "DELETE FROM records WHERE id = ?", arguments: [id.lowercased])
    }
}
