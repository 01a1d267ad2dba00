import Foundation
import GRDB
import GreenMineShared

/// The user's local work: every operation on records, each one transaction of the store.
public struct Workspace: Sendable {
    /// The store.
    public var store: Store
    /// The user acting.
    public var user: UserInfo
    /// The clock.
    public var now: @Sendable () -> Date
    /// Makes ids.
    public var makeUUID: @Sendable () -> UUID

    public init(store: Store, user: UserInfo, now: @escaping @Sendable () -> Date,
                makeUUID: @escaping @Sendable () -> UUID) {
        self.store = store
        self.user = user
        self.now = now
        self.makeUUID = makeUUID
    }

    /// The user as an actor of the workflow.
    public var actor: Actor { user.actor }

    /// The record whose id starts with `prefix`, among `kinds` (all when empty).
    public func record(_ prefix: String, kinds: [RecordKind] = []) throws -> LocalRecord {
        try store.read { try IdPrefix.record($0, prefix, kinds: kinds) }
    }

    /// The records of a kind, most recently changed first.
    public func records(_ kind: RecordKind) throws -> [LocalRecord] {
        try store.read { try LocalRecord.all($0, kind: kind) }
    }

    /// The data check's context now.
    func checkContext() -> DataCheckContext {
        DataCheckContext(now: now())
    }

    /// The workflow subject for a record: its parent's state for children, its owner for a profile.
    static func subject(_ db: Database, _ local: LocalRecord, user: UserInfo) throws -> WorkflowSubject {
        let parent = try local.parentId.flatMap { try LocalRecord.find(db, $0)?.working }
        var subject = WorkflowSubject(record: local.working, parent: parent)
        if subject.ownerUserId == nil, local.kind == .profile, local.base == nil {
            subject.ownerUserId = user.id
        }
        return subject
    }

    /// Refuses when the actor may not edit the record now.
    static func requireEditable(_ db: Database, _ local: LocalRecord, user: UserInfo) throws {
        let subject = try subject(db, local, user: user)
        if let violation = Workflow.editViolation(by: user.actor, on: subject) {
            throw ClientError(violation)
        }
    }
}
