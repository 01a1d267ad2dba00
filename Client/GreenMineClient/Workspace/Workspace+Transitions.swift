import Foundation
import GRDB
import GreenMineShared

extension Workspace {
    /// Fires a workflow transition (submit, withdraw) offline: checks it against the shared
    /// workflow and data check, queues it, and moves the working copy to the next state.
    public func fire(_ transition: Transition, on prefix: String, kinds: [RecordKind],
                     comment: String? = nil) throws -> LocalRecord {
        let now = now()
        let context = checkContext()
        return try store.write { db in
            let local = try IdPrefix.record(db, prefix, kinds: kinds)
            let subject = try Self.subject(db, local, user: user)
            var facts = WorkflowFacts()
            let rule = WorkflowTable.rule(transition, kind: local.kind)
            if rule?.preconditions.contains(.dataCheckPasses) == true {
                facts.dataCheckFindings = DataCheck.run(local.working, context: context)
                if transition == .submit {
                    facts.dataCheckFindings += try RegistryFindings.of(db, local.working, orgId: user.orgId, now: now)
                }
            }
            if rule?.preconditions.contains(.approvedPreApplication) == true,
               let licence = local.working.text(FormSchema.licencePath) {
                facts.approvedPreApplicationExists = try openRecord(db, kind: .preApplication, licence: licence,
                                                                    states: [.approved]) != nil
            }
            let decision = Workflow.decide(transition, by: actor, on: subject, comment: comment, facts: facts)
            if let violation = decision.violation {
                let errors = facts.dataCheckFindings.filter { $0.severity == .error }
                throw ClientError(violation, details: violation.code == "data_check_failed"
                    ? errors.map { LocalizedText(zh: "\($0.path)：\($0.message.zh)", en: "\($0.path): \($0.message.en)") }
                    : [])
            }
            try MutationQueue.queue(db, PendingChange(op: .transition, transition: transition, comment: comment),
                                    on: local, now: now)
            guard let updated = try LocalRecord.find(db, local.id) else {
                throw StoreError.corrupt(what: "record \(local.id.lowercased)", reason: "vanished")
            }
            return updated
        }
    }

    /// Deletes a record offline (only unsubmitted ones): queues the deletion and hides the record.
    public func delete(_ prefix: String, kinds: [RecordKind]) throws -> LocalRecord {
        let now = now()
        return try store.write { db in
            let local = try IdPrefix.record(db, prefix, kinds: kinds)
            let subject = try Self.subject(db, local, user: user)
            if let violation = Workflow.deleteViolation(by: actor, on: subject) { throw ClientError(violation) }
            let pending = try OutboxEntry.pending(db, recordId: local.id)
            if local.base == nil, !pending.contains(where: { $0.mutation.op == .create }) {
                // The server never accepted it and nothing will create it: it exists only here.
                try WorkingCopy.forget(db, id: local.id)
                return local
            }
            try MutationQueue.queue(db, PendingChange(op: .delete), on: local, now: now)
            return local
        }
    }
}
