import Foundation
import GreenMineShared

/// The files of one record as `greenmine attachments` shows them.
public struct AttachmentListing: Codable, Sendable, Hashable {
    /// Where a file stands.
    public enum Status: String, Codable, Sendable, Hashable {
        /// Attached here, waiting for `sync` (upload, then push).
        case pending
        /// On the server.
        case uploaded
    }

    /// One file.
    public struct File: Codable, Sendable, Hashable {
        public var slot: String
        /// The name exactly as given.
        public var name: String
        public var size: Int64
        public var mime: String
        public var sha256: String
        public var status: Status
        /// Bytes the server has acknowledged of an upload in progress.
        public var uploadedBytes: Int64?
        /// True when the blob store holds a copy (`get` needs no network).
        public var local: Bool
    }

    public var recordId: UUID
    public var kind: RecordKind
    public var state: RecordState
    public var files: [File]
}
