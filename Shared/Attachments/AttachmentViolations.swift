import Foundation

/// The attachment rule violations, worded once for the single-file and the record checks.
enum AttachmentViolations {
    /// `attachment_slot`: the slot does not exist or belongs to another kind of record.
    static func slot(_ id: String, kind: RecordKind, name: String) -> RuleViolation {
        let valid = AttachmentRules.slots(for: kind).map(\.id)
        let validZh = valid.isEmpty ? "\(kind.label.zh)不能添加附件" : "\(kind.label.zh)可用的槽位：" + valid.joined(separator: "、")
        let validEn = valid.isEmpty
            ? "\(kind.englishWithArticle) takes no attachments"
            : "\(kind.englishWithArticle) has the slots " + valid.joined(separator: ", ")
        if let slot = AttachmentRules.slot(id) {
            return RuleViolation(
                code: "attachment_slot",
                zh: "文件“\(name)”：附件槽位“\(id)”属于\(slot.kind.label.zh)，不能用于\(kind.label.zh)（\(validZh)）",
                en: "File “\(name)”: slot “\(id)” belongs to \(slot.kind.englishWithArticle), not to "
                    + "\(kind.englishWithArticle) (\(validEn))")
        }
        return RuleViolation(
            code: "attachment_slot",
            zh: "文件“\(name)”：附件槽位“\(id)”不存在（\(validZh)）",
            en: "File “\(name)”: there is no attachment slot “\(id)” (\(validEn))")
    }

    /// `attachment_empty`: a file of zero (or negative) size.
    static func empty(name: String, size: Int64) -> RuleViolation {
        RuleViolation(
            code: "attachment_empty",
            zh: "文件“\(name)”是空文件（\(size) 字节），不能作为附件",
            en: "File “\(name)” is empty (\(size) bytes) and cannot be attached")
    }

    /// `attachment_unrecognized`: the content is none of the accepted types.
    static func unrecognized(name: String, mime: String? = nil) -> RuleViolation {
        let list = ContentType.acceptedList
        let declaredZh = mime.map { "（记录的类型为“\($0)”）" } ?? ""
        let declaredEn = mime.map { " (recorded type “\($0)”)" } ?? ""
        return RuleViolation(
            code: "attachment_unrecognized",
            zh: "文件“\(name)”的内容无法识别\(declaredZh)：不是 \(list.zh) 文件（按文件内容判断，与文件名无关）",
            en: "File “\(name)” is not a \(list.en) file\(declaredEn) (judged by its content, not its name)")
    }

    /// `attachment_type`: the type's category is not one the slot takes.
    static func type(_ type: ContentType, slot: AttachmentSlot, name: String) -> RuleViolation {
        let accepts = slot.acceptsLabel
        let place = AttachmentRules.slots(for: slot.kind).count == 1
            ? "\(slot.kind.label.zh)环节附件"
            : "\(slot.kind.label.zh)环节“\(slot.label.zh)”"
        return RuleViolation(
            code: "attachment_type",
            zh: "\(place)只支持\(accepts.zh)格式：文件“\(name)”的内容是\(type.label.zh)",
            en: "Slot “\(slot.id)” (\(slot.label.en)) of \(slot.kind.englishWithArticle) accepts only \(accepts.en) files: "
                + "“\(name)” is a \(type.label.en) by its content")
    }

    /// `attachment_too_large`: the file is over the slot's size limit.
    static func tooLarge(size: Int64, slot: AttachmentSlot, name: String) -> RuleViolation {
        RuleViolation(
            code: "attachment_too_large",
            zh: "文件“\(name)”大小为 \(ByteCountText.sizeZh(size))，超过“\(slot.label.zh)”每个文件 "
                + "\(ByteCountText.limit(slot.maxBytes)) 的上限（1 MB = 1,048,576 字节）",
            en: "File “\(name)” is \(ByteCountText.size(size)), over the limit of "
                + "\(ByteCountText.limit(slot.maxBytes)) per file for slot “\(slot.id)” (\(slot.label.en); "
                + "1 MB = 1,048,576 bytes)")
    }

    /// `attachment_too_many`: one more file would exceed the slot's count (`count` already there).
    static func tooMany(count: Int, slot: AttachmentSlot, name: String) -> RuleViolation {
        RuleViolation(
            code: "attachment_too_many",
            zh: "“\(slot.label.zh)”最多 \(slot.maxCount) 个文件，已有 \(count) 个，不能再添加文件“\(name)”",
            en: "Slot “\(slot.id)” (\(slot.label.en)) holds at most \(slot.maxCount) files and already has "
                + "\(count); file “\(name)” cannot be added")
    }

    /// `attachment_too_many` for one command adding `adding` files to a slot that has `count`: the
    /// figures are those of the slot before the command and of the command, not of a file midway.
    static func tooManyAtOnce(count: Int, adding: Int, slot: AttachmentSlot) -> RuleViolation {
        RuleViolation(
            code: "attachment_too_many",
            zh: "“\(slot.label.zh)”最多 \(slot.maxCount) 个文件，已有 \(count) 个，本次添加 \(adding) 个，超出上限",
            en: "Slot “\(slot.id)” (\(slot.label.en)) holds at most \(slot.maxCount) files; it has \(count) and this "
                + "attach adds \(adding), which is \(count + adding)")
    }

    /// `attachment_too_many` for a whole record: the slot holds `count` files, over its limit.
    static func overCount(count: Int, slot: AttachmentSlot, name: String) -> RuleViolation {
        RuleViolation(
            code: "attachment_too_many",
            zh: "“\(slot.label.zh)”最多 \(slot.maxCount) 个文件，本记录有 \(count) 个（自文件“\(name)”起超出）",
            en: "Slot “\(slot.id)” (\(slot.label.en)) holds at most \(slot.maxCount) files but this record has "
                + "\(count) (over the limit from file “\(name)” on)")
    }
}
