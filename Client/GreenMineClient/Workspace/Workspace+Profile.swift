import Foundation
import GRDB
import GreenMineShared

extension Workspace {
    /// 个人资料: the user's own profile record, if the store has it.
    public func profile() throws -> LocalRecord? {
        try store.read { db in try findProfile(db) }
    }

    /// Sets fields of the profile; makes it when this device holds none, synced or not: its id is the
    /// user's one profile id (`ProfileIdentity`), so the server takes a second device's create as a
    /// change of the same record (issue 14: the first edit needs no sync).
    public func setProfile(_ values: [(path: String, value: JSONValue)]) throws -> FieldUpdate {
        let now = now()
        let id = ProfileIdentity.recordId(forUser: user.id)
        return try store.write { db in
            if let profile = try findProfile(db) {
                return try applyFields(db, profile, values, now: now)
            }
            var fields: [String: JSONValue] = [:]
            for (path, value) in values {
                let field = try FieldInput.field(path, kind: .profile)
                if let violation = FieldRules.violation(of: value, for: field) { throw ClientError(violation) }
                if value != .null { fields[path] = value }
            }
            try requireCreatable(.profile)
            let created = try MutationQueue.create(db, id: id, kind: .profile, orgId: user.orgId, parentId: nil,
                                                   fields: fields, now: now)
            return FieldUpdate(record: created, changes: fields)
        }
    }

    private func findProfile(_ db: Database) throws -> LocalRecord? {
        let profiles = try LocalRecord.all(db, kind: .profile)
        return profiles.first { $0.working.fields[WorkflowFields.owner]?.string == user.id }
            ?? profiles.first { $0.working.fields[WorkflowFields.owner] == nil }
    }
}
