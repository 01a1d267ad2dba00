import Foundation
import GRDB
import GreenMineShared

extension Workspace {
    /// 个人资料: the user's own profile record, if the store has it.
    public func profile() throws -> LocalRecord? {
        try store.read { db in try findProfile(db) }
    }

    /// Sets fields of the profile; makes the profile when the server has none for this user.
    public func setProfile(_ values: [(path: String, value: JSONValue)]) throws -> FieldUpdate {
        let now = now()
        let id = makeUUID()
        return try store.write { db in
            if let profile = try findProfile(db) {
                return try applyFields(db, profile, values, now: now)
            }
            guard try SyncState.load(db).cursor != nil else {
                throw ClientError(code: "profile_not_synced",
                                  zh: "本机还没有从服务器取得个人资料：请先运行 greenmine sync",
                                  en: "this device has not fetched your profile from the server yet: run greenmine sync first")
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
