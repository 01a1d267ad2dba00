import Foundation
import GreenMineShared

/// One file the user wants to attach: where it is, and the name to keep and show for it.
public struct AttachmentSource: Sendable, Hashable {
    /// The file on disk (read once, never kept: the blob store holds the copy).
    public var path: URL
    /// The name as the user gave it: stored and shown as is, never used as a path.
    public var name: String

    public init(path: URL, name: String) {
        self.path = path
        self.name = name
    }
}

/// What attaching did with one file.
public struct AttachedFile: Codable, Sendable, Hashable {
    public var slot: String
    /// The name as given.
    public var name: String
    public var sha256: String
    public var size: Int64
    /// The media type found from the content.
    public var mime: String
    /// False when the record already had this content in this slot, so nothing was queued.
    public var queued: Bool
}

/// A file copied into the blob store's temporary folder and checked, waiting to be committed.
struct PreparedFile: Sendable, Hashable {
    var source: AttachmentSource
    var ingested: IngestedFile
    var slot: String
    var type: ContentType?

    var mime: String { type?.mime ?? "application/octet-stream" }
}
