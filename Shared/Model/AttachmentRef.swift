import Foundation

/// One attached file as a record refers to it: content-addressed by SHA-256.
public struct AttachmentRef: Codable, Hashable, Sendable {
    /// The slot it fills, e.g. `app.pdf` (see `AttachmentRules`).
    public var slot: String
    /// Lowercase hex SHA-256 of the content.
    public var sha256: String
    /// Size in bytes.
    public var size: Int64
    /// The media type found by content sniffing, never by the name.
    public var mime: String
    /// The file name as the user gave it (shown as given, never used as a path).
    public var name: String

    public init(slot: String, sha256: String, size: Int64, mime: String, name: String) {
        self.slot = slot
        self.sha256 = sha256
        self.size = size
        self.mime = mime
        self.name = name
    }
}
