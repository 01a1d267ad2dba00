import Foundation
import GRDB
import GreenMineShared

/// How the user settles conflicts.
public enum ConflictChoice: Sendable, Hashable {
    /// Send this device's value again.
    case mine
    /// Keep the server's value.
    case theirs
    /// Send these values (parsed and checked), one for each conflicting path.
    case set([String: JSONValue])
}

/// A conflict with the record it belongs to, for showing.
public struct ConflictView: Sendable {
    public var conflict: LocalConflict
    /// The record, when the store still has it.
    public var record: LocalRecord?
}

extension Workspace {
    /// Open conflicts, oldest first, with their records.
    public func openConflicts() throws -> [ConflictView] {
        try store.read { db in
            try LocalConflict.open(db).map { ConflictView(conflict: $0, record: try LocalRecord.find(db, $0.recordId)) }
        }
    }

    /// The open conflicts an id prefix names: one conflict by its own id, or all of a record's.
    public func conflicts(_ prefix: String) throws -> [ConflictView] {
        try store.read { db in try selectConflicts(db, prefix) }
    }

    /// Settles the conflicts `prefix` names. `mine` and `set` queue one patch with the values to
    /// send (the record must still be editable); `theirs` only closes them.
    public func resolveConflicts(_ prefix: String, choice: ConflictChoice) throws -> [LocalConflict] {
        let now = now()
        return try store.write { db in
            let views = try selectConflicts(db, prefix)
            let conflicts = views.map(\.conflict)
            var values: [String: JSONValue] = [:]
            let resolution: ConflictResolution
            switch choice {
            case .theirs:
                resolution = .theirs
            case .mine:
                resolution = .mine
                for conflict in conflicts { values[conflict.path] = conflict.mine }
            case .set(let given):
                resolution = .set
                let paths = Set(conflicts.map(\.path))
                if let stray = given.keys.sorted().first(where: { !paths.contains($0) }) {
                    throw ClientError(code: "not_in_conflict",
                                      zh: "字段 \(stray) 不在所选的冲突中；冲突字段：\(paths.sorted().joined(separator: "、"))",
                                      en: "the field \(stray) is not among the selected conflicts: \(paths.sorted().joined(separator: ", "))")
                }
                if let missing = paths.sorted().first(where: { given[$0] == nil }) {
                    throw ClientError(code: "conflict_value_missing",
                                      zh: "请为每个冲突字段给出取值，缺少：\(missing)",
                                      en: "give a value for every conflicting field; missing: \(missing)")
                }
                values = given
            }
            if !values.isEmpty {
                // Conflicts of several records are settled one record at a time.
                for recordId in Set(conflicts.map(\.recordId)) {
                    guard let local = try LocalRecord.find(db, recordId), !local.working.deleted else {
                        throw ClientError(code: "unknown_id", zh: "冲突所属的记录已不存在，只能选择 --theirs",
                                          en: "the record of this conflict no longer exists; only --theirs is possible")
                    }
                    try Self.requireEditable(db, local, user: user)
                    let paths = Set(conflicts.filter { $0.recordId == recordId }.map(\.path))
                    let set = values.filter { paths.contains($0.key) }
                    for (path, value) in set {
                        if let violation = FieldRules.violation(of: value, for: try FieldInput.field(path, kind: local.kind)) {
                            throw ClientError(violation)
                        }
                    }
                    try MutationQueue.queue(db, PendingChange(op: .patch, set: set), on: local, now: now)
                }
            }
            var resolved: [LocalConflict] = []
            for var conflict in conflicts {
                conflict.resolvedAt = now
                conflict.resolution = resolution
                try conflict.update(db)
                resolved.append(conflict)
            }
            return resolved
        }
    }

    private func selectConflicts(_ db: Database, _ prefix: String) throws -> [ConflictView] {
        if let conflict = try IdPrefix.conflict(db, prefix) {
            guard conflict.isOpen else {
                throw ClientError(code: "conflict_resolved", zh: "冲突 \(conflict.id.lowercased) 已经处理过了",
                                  en: "the conflict \(conflict.id.lowercased) is already resolved")
            }
            return [ConflictView(conflict: conflict, record: try LocalRecord.find(db, conflict.recordId))]
        }
        let record = try IdPrefix.record(db, prefix)
        let open = try LocalConflict.open(db, recordId: record.id)
        guard !open.isEmpty else {
            throw ClientError(code: "no_conflict", zh: "记录 \(record.id.lowercased) 没有未处理的冲突",
                              en: "the record \(record.id.lowercased) has no open conflict")
        }
        return open.map { ConflictView(conflict: $0, record: record) }
    }
}
