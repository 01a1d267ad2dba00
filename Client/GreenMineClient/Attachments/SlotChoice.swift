import Foundation
import GreenMineShared

/// Which slot a file goes to: one the user named, or the slot of the record's kind that takes the
/// file's content type (`evidence add`, `app attach` without `--slot`). Never the file's name.
public enum SlotChoice: Sendable, Hashable {
    /// This slot, whatever the content (the rules then refuse a type it does not take).
    case named(String)
    /// The first slot of this kind that takes the content's category.
    case byContent(RecordKind)

    /// The slot for a file of this content type, or the refusal when no slot of the kind takes it.
    func resolve(_ type: ContentType?, name: String) throws -> String {
        switch self {
        case .named(let slot):
            return slot
        case .byContent(let kind):
            let slots = AttachmentRules.slots(for: kind)
            guard let first = slots.first else {
                // No slot at all: the shared rule words the refusal.
                return "\(kind.rawValue).none"
            }
            guard let type else { return first.id }
            if let slot = slots.first(where: { $0.accepts(type) }) { return slot.id }
            var accepted: [FileCategory] = []
            for category in slots.flatMap(\.accepts) where !accepted.contains(category) { accepted.append(category) }
            let shown = AttachmentName.visible(name)
            throw ClientError(
                code: "attachment_type",
                zh: "\(kind.label.zh)只支持\(accepted.map(\.label.zh).joined(separator: "或"))格式：文件“\(shown)”的内容是\(type.label.zh)（按文件内容判断，与文件名无关）",
                en: "only \(accepted.map(\.label.en).joined(separator: " or ")) files can be attached to \(kind.label.en) records: “\(shown)” is a \(type.label.en) by its content (not its name)",
                details: [LocalizedText(zh: "未添加任何附件。", en: "Nothing was attached.")])
        }
    }
}
