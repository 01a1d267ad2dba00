import Foundation

extension Record {
    /// Sets fields as a mutation's `set` does: a `null` value clears the field (removes it), any other
    /// value replaces it; when the kind's region field is among them, the record's `region` follows it
    /// (`MutationEffect.region`, against the standard region table).
    public mutating func apply(fieldSet: [String: JSONValue]) {
        for (path, value) in fieldSet {
            if case .null = value {
                fields.removeValue(forKey: path)
            } else {
                fields[path] = value
            }
        }
        if let regionPath = FormSchema.regionPath(for: kind), fieldSet[regionPath] != nil {
            region = MutationEffect.region(of: self, parentRegion: nil, regions: .standard)
        }
    }

    /// Adds a file to the record unless the same (slot, SHA-256) is already there: attaching is a set
    /// operation, so two offline additions of the same file never conflict.
    public mutating func attach(_ attachment: AttachmentRef) {
        guard self.attachment(slot: attachment.slot, sha256: attachment.sha256) == nil else { return }
        attachments.append(attachment)
    }

    /// The file with this (slot, SHA-256), if the record has it.
    public func attachment(slot: String, sha256: String) -> AttachmentRef? {
        attachments.first { $0.slot == slot && $0.sha256 == sha256 }
    }

    /// Removes the file with this (slot, SHA-256), if the record has it.
    public mutating func detach(slot: String, sha256: String) {
        attachments.removeAll { $0.slot == slot && $0.sha256 == sha256 }
    }

    /// The fields whose values differ between this record and `other`, with `other`'s value
    /// (`null` where `other` has no value): the `set` that turns this record's fields into `other`'s.
    public func fieldChanges(to other: Record) -> [String: JSONValue] {
        var changes: [String: JSONValue] = [:]
        for path in Set(fields.keys).union(other.fields.keys) where fields[path] != other.fields[path] {
            changes[path] = other.fields[path] ?? .null
        }
        return changes
    }
}
