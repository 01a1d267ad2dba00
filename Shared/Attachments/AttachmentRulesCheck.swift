import Foundation

extension AttachmentRules {
    /// The one check client and server both run before accepting one more file into a slot;
    /// nil when the file may be attached.
    ///
    /// In order: the slot exists and belongs to this kind (`attachment_slot`); a file whose
    /// `sha256` is already in the slot is not one more (idempotent attach: nil); the file is not
    /// empty (`attachment_empty`); its content is a known type (`attachment_unrecognized`) of a
    /// category the slot takes (`attachment_type`); it is within the slot's size limit
    /// (`attachment_too_large`); the slot has room for one more (`attachment_too_many`).
    /// `type` must come from `ContentSniffer`, never from `name`, which only appears in messages.
    public static func check(
        slot slotId: String, kind: RecordKind, sha256: String? = nil, size: Int64, type: ContentType?,
        name: String, existing: [AttachmentRef]
    ) -> RuleViolation? {
        guard let slot = AttachmentRules.slot(slotId), slot.kind == kind else {
            return AttachmentViolations.slot(slotId, kind: kind, name: name)
        }
        let inSlot = Set(existing.filter { $0.slot == slotId }.map { $0.sha256.lowercased() })
        if let sha256, inSlot.contains(sha256.lowercased()) { return nil }
        guard size > 0 else { return AttachmentViolations.empty(name: name, size: size) }
        guard let type else { return AttachmentViolations.unrecognized(name: name) }
        guard slot.accepts(type) else { return AttachmentViolations.type(type, slot: slot, name: name) }
        guard size <= slot.maxBytes else { return AttachmentViolations.tooLarge(size: size, slot: slot, name: name) }
        guard inSlot.count < slot.maxCount else {
            return AttachmentViolations.tooMany(count: inSlot.count, slot: slot, name: name)
        }
        return nil
    }

    /// The count check for one command that adds `adding` distinct new files to `slotId` at once,
    /// run before any file is read: nil when they fit beside the files already in the slot. The
    /// message gives the slot's count before the command and the command's own count.
    public static func checkCount(slot slotId: String, kind: RecordKind, adding: Int,
                                  existing: [AttachmentRef]) -> RuleViolation? {
        guard let slot = AttachmentRules.slot(slotId), slot.kind == kind else { return nil }
        let inSlot = Set(existing.filter { $0.slot == slotId }.map { $0.sha256.lowercased() }).count
        guard inSlot + adding > slot.maxCount else { return nil }
        return AttachmentViolations.tooManyAtOnce(count: inSlot, adding: adding, slot: slot)
    }

    /// The data check over a whole record's attachments: each one's slot belongs to the kind,
    /// its stored media type is known (`ContentType(mime:)`) and of a category the slot takes,
    /// its size is within the limit, and each slot holds no more files than allowed (reported
    /// once, at the first attachment over the limit). Empty when every rule holds.
    public static func check(record attachments: [AttachmentRef], kind: RecordKind) -> [AttachmentIssue] {
        var issues: [AttachmentIssue] = []
        var seen: [String: Set<String>] = [:]
        var counted: [String: Int] = [:]
        var reported: Set<String> = []
        for (index, ref) in attachments.enumerated() {
            guard let slot = AttachmentRules.slot(ref.slot), slot.kind == kind else {
                issues.append(AttachmentIssue(
                    index: index, violation: AttachmentViolations.slot(ref.slot, kind: kind, name: ref.name)))
                continue
            }
            if let violation = fileViolation(ref, slot: slot) {
                issues.append(AttachmentIssue(index: index, violation: violation))
            }
            guard seen[slot.id, default: []].insert(ref.sha256.lowercased()).inserted else { continue }
            counted[slot.id, default: 0] += 1
            if counted[slot.id, default: 0] > slot.maxCount, reported.insert(slot.id).inserted {
                let total = Set(attachments.filter { $0.slot == slot.id }.map { $0.sha256.lowercased() }).count
                issues.append(AttachmentIssue(
                    index: index, violation: AttachmentViolations.overCount(count: total, slot: slot, name: ref.name)))
            }
        }
        return issues
    }

    /// What is wrong with one stored attachment on its own (type, emptiness, size), if anything.
    private static func fileViolation(_ ref: AttachmentRef, slot: AttachmentSlot) -> RuleViolation? {
        guard ref.size > 0 else { return AttachmentViolations.empty(name: ref.name, size: ref.size) }
        guard let type = ContentType(mime: ref.mime) else {
            return AttachmentViolations.unrecognized(name: ref.name, mime: ref.mime)
        }
        guard slot.accepts(type) else { return AttachmentViolations.type(type, slot: slot, name: ref.name) }
        guard ref.size <= slot.maxBytes else {
            return AttachmentViolations.tooLarge(size: ref.size, slot: slot, name: ref.name)
        }
        return nil
    }
}
