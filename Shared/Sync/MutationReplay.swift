import Foundation

/// Applies a mutation's effect to a record the way client and server agree on, without any check:
/// the caller decides first whether the mutation is allowed (see `Workflow`).
public enum MutationReplay {
    /// The record after `mutation`. For `create`, `record` is the blank record the creator starts from
    /// (id, kind, organisation); its fields become exactly the mutation's `set` and its state `draft`.
    /// `attachment` is the full reference of an `attach` (the mutation names only slot and hash).
    public static func apply(_ mutation: Mutation, to record: Record,
                             attachment: AttachmentRef? = nil) -> Record {
        var result = record
        switch mutation.op {
        case .create:
            result.fields = [:]
            result.state = .draft
            result.deleted = false
            if let parent = mutation.parentId { result.parentId = parent }
            result.apply(fieldSet: mutation.set ?? [:])
            if let regionPath = FormSchema.regionPath(for: result.kind) {
                result.region = result.fields[regionPath]?.string
            }
        case .patch:
            result.apply(fieldSet: mutation.set ?? [:])
        case .delete:
            result.deleted = true
        case .transition:
            if let transition = mutation.transition,
               let rule = WorkflowTable.rule(transition, kind: result.kind), let next = rule.to {
                result.state = next
            }
        case .attach:
            if let attachment {
                result.attach(attachment)
            } else if let named = mutation.attachment {
                result.attach(AttachmentRef(slot: named.slot, sha256: named.sha256, size: 0, mime: "",
                                            name: named.name ?? ""))
            }
        case .detach:
            if let named = mutation.attachment {
                result.detach(slot: named.slot, sha256: named.sha256)
            }
        }
        return result
    }
}
