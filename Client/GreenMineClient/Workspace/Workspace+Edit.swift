import Foundation
import GRDB
import GreenMineShared

/// The outcome of setting fields: the record after, and the fields that actually changed.
public struct FieldUpdate: Sendable {
    public var record: LocalRecord
    /// The changed fields with their new values (`null`: cleared); empty when nothing changed.
    public var changes: [String: JSONValue]
}

extension Workspace {
    /// Sets fields of a record (values already parsed and checked) and queues one patch with the
    /// ones that differ from the working copy. Refuses when the record may not be edited now.
    public func setFields(_ id: UUID, _ values: [(path: String, value: JSONValue)]) throws -> FieldUpdate {
        let now = now()
        return try store.write { db in
            guard let local = try LocalRecord.find(db, id), !local.working.deleted else {
                throw ClientError(code: "unknown_id", zh: "记录 \(id.lowercased) 已不存在",
                                  en: "the record \(id.lowercased) no longer exists")
            }
            return try applyFields(db, local, values, now: now)
        }
    }

    /// `set ID PATH=VALUE…`: parses the assignments against the record's form, then sets them.
    public func set(_ prefix: String, kinds: [RecordKind], assignments: [String]) throws -> FieldUpdate {
        let local = try record(prefix, kinds: kinds)
        let values = try FieldInput.values(assignments, kind: local.kind)
        return try setFields(local.id, values)
    }

    /// Checks the values and the right to edit, then queues the changed ones (inside a transaction).
    func applyFields(_ db: Database, _ local: LocalRecord, _ values: [(path: String, value: JSONValue)],
                     now: Date) throws -> FieldUpdate {
        for (path, value) in values {
            let field = try FieldInput.field(path, kind: local.kind)
            if let violation = FieldRules.violation(of: value, for: field) { throw ClientError(violation) }
        }
        try Self.requireEditable(db, local, user: user)
        var changes: [String: JSONValue] = [:]
        for (path, value) in values where (local.working.fields[path] ?? .null) != value {
            changes[path] = value
        }
        guard !changes.isEmpty else { return FieldUpdate(record: local, changes: [:]) }
        try MutationQueue.queue(db, PendingChange(op: .patch, set: changes), on: local, now: now)
        guard let updated = try LocalRecord.find(db, local.id) else {
            throw StoreError.corrupt(what: "record \(local.id.lowercased)", reason: "vanished while being changed")
        }
        return FieldUpdate(record: updated, changes: changes)
    }
}

extension Workspace {
    /// Refuses when the record may not be edited now (checked before asking the user anything).
    public func requireEditable(_ id: UUID) throws {
        try store.read { db in
            guard let local = try LocalRecord.find(db, id), !local.working.deleted else {
                throw ClientError(code: "unknown_id", zh: "记录 \(id.lowercased) 已不存在",
                                  en: "the record \(id.lowercased) no longer exists")
            }
            try Self.requireEditable(db, local, user: user)
        }
    }
}
