import Foundation

/// The attachment slots of every record kind and their limits: one table that the client, the
/// server and the tests all read.
///
/// Sizes are binary: 1 MB = 1,048,576 bytes, so "10 MB" is exactly 10,485,760 bytes and
/// "100 MB" is 104,857,600 bytes. The manual sets the application limits (PDF and images at most
/// 10 MB and 10 files each; videos at most 100 MB and 5 files) and says pre-application
/// materials are images only; every other limit here is GreenMine's own choice.
public enum AttachmentRules {
    /// One megabyte as these rules count it: 1,048,576 bytes.
    public static let megabyte: Int64 = 1_048_576

    /// Every slot of every record kind.
    ///
    /// `pre.image`: the manual gives no count or size limit for pre-application images; 10 files of
    /// at most 10 MB each is our chosen limit, matching the application's images. It is the only
    /// required slot (`minCount` 1: the manual asks for pre-application materials); every other slot
    /// is optional. The evidence, assessment and appeal limits are likewise our own choice.
    public static let slots: [AttachmentSlot] = [
        AttachmentSlot(
            id: "pre.image", kind: .preApplication,
            label: LocalizedText(zh: "预申报材料（图片）", en: "pre-application materials (images)"),
            accepts: [.image], minCount: 1, maxCount: 10, maxBytes: 10 * megabyte),
        AttachmentSlot(
            id: "app.pdf", kind: .application,
            label: LocalizedText(zh: "申请材料（PDF）", en: "application documents (PDF)"),
            accepts: [.pdf], maxCount: 10, maxBytes: 10 * megabyte),
        AttachmentSlot(
            id: "app.image", kind: .application,
            label: LocalizedText(zh: "申请材料（图片）", en: "application images"),
            accepts: [.image], maxCount: 10, maxBytes: 10 * megabyte),
        AttachmentSlot(
            id: "app.video", kind: .application,
            label: LocalizedText(zh: "申请材料（视频）", en: "application videos"),
            accepts: [.video], maxCount: 5, maxBytes: 100 * megabyte),
        AttachmentSlot(
            id: "evidence.pdf", kind: .evidence,
            label: LocalizedText(zh: "佐证材料（PDF）", en: "evidence documents (PDF)"),
            accepts: [.pdf], maxCount: 10, maxBytes: 10 * megabyte),
        AttachmentSlot(
            id: "evidence.image", kind: .evidence,
            label: LocalizedText(zh: "佐证材料（图片）", en: "evidence images"),
            accepts: [.image], maxCount: 10, maxBytes: 10 * megabyte),
        AttachmentSlot(
            id: "assessment.report", kind: .assessment,
            label: LocalizedText(zh: "评估报告（PDF）", en: "assessment report (PDF)"),
            accepts: [.pdf], maxCount: 3, maxBytes: 50 * megabyte),
        AttachmentSlot(
            id: "appeal.file", kind: .appeal,
            label: LocalizedText(zh: "申诉材料（PDF或图片）", en: "appeal materials (PDF or images)"),
            accepts: [.pdf, .image], maxCount: 10, maxBytes: 10 * megabyte),
    ]

    /// The slots of one record kind, in table order (empty for kinds without attachments).
    public static func slots(for kind: RecordKind) -> [AttachmentSlot] {
        slots.filter { $0.kind == kind }
    }

    /// The slot with this id, if any.
    public static func slot(_ id: String) -> AttachmentSlot? {
        slots.first { $0.id == id }
    }

    /// The largest file any slot takes (the upload server's `Tus-Max-Size`).
    public static var maxBytes: Int64 {
        slots.map(\.maxBytes).max() ?? 0
    }
}
