import Foundation

/// A place on a record for files of some categories, with a count and a per-file size limit.
public struct AttachmentSlot: Codable, Hashable, Sendable {
    /// Stable id stored in `AttachmentRef.slot`, e.g. `app.pdf`.
    public var id: String
    /// The kind of record the slot belongs to.
    public var kind: RecordKind
    /// The slot's name for people.
    public var label: LocalizedText
    /// The file categories the slot takes.
    public var accepts: [FileCategory]
    /// The fewest files a record must have in the slot before it can be submitted (0: optional).
    public var minCount: Int
    /// The most files the slot holds.
    public var maxCount: Int
    /// The largest file the slot takes, in bytes (1 MB = 1,048,576 bytes).
    public var maxBytes: Int64

    /// Makes a slot.
    public init(
        id: String, kind: RecordKind, label: LocalizedText, accepts: [FileCategory], minCount: Int = 0,
        maxCount: Int, maxBytes: Int64
    ) {
        self.id = id
        self.kind = kind
        self.label = label
        self.accepts = accepts
        self.minCount = minCount
        self.maxCount = maxCount
        self.maxBytes = maxBytes
    }

    /// True when the slot takes files of this type.
    public func accepts(_ type: ContentType) -> Bool {
        accepts.contains(type.category)
    }

    /// The accepted categories for people: "PDF或图片" / "PDF or image".
    public var acceptsLabel: LocalizedText {
        LocalizedText(
            zh: accepts.map(\.label.zh).joined(separator: "或"),
            en: accepts.map(\.label.en).joined(separator: " or "))
    }
}
