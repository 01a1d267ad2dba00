import Foundation

/// What a mutation does to its record (DESIGN.md §4).
public enum MutationOp: String, Codable, Sendable, CaseIterable {
    case create
    case patch
    case delete
    case transition
    case attach
    case detach
}

/// The file a mutation attaches or detaches, named by slot and content hash.
public struct MutationAttachment: Codable, Hashable, Sendable {
    /// The slot, e.g. `app.pdf`.
    public var slot: String
    /// Lowercase hex SHA-256 of the content.
    public var sha256: String
    /// The file name as the user gave it (attach only).
    public var name: String?

    public init(slot: String, sha256: String, name: String? = nil) {
        self.slot = slot
        self.sha256 = sha256
        self.name = name
    }
}

/// One queued change, as the client pushes it.
public struct Mutation: Codable, Hashable, Sendable {
    /// Per client, gapless, starting at 1.
    public var seq: Int
    public var recordId: UUID
    public var kind: RecordKind
    public var op: MutationOp
    /// The server version the change was made on; nil for `create`.
    public var baseVersion: Int?
    /// Field values to set (create and patch).
    public var set: [String: JSONValue]?
    /// The transition to fire (op `transition`).
    public var transition: Transition?
    /// The comment of a transition (opinion, return, reject, remove) or a note.
    public var comment: String?
    /// The agency an `assign` transition names.
    public var agency: String?
    /// The parent record of a created child (evidence, assessment, appeal).
    public var parentId: UUID?
    /// The file of an attach or detach.
    public var attachment: MutationAttachment?
    /// When the user did it, by the device's clock.
    public var deviceTime: Date

    public init(
        seq: Int, recordId: UUID, kind: RecordKind, op: MutationOp, baseVersion: Int? = nil,
        set: [String: JSONValue]? = nil, transition: Transition? = nil, comment: String? = nil,
        agency: String? = nil, parentId: UUID? = nil, attachment: MutationAttachment? = nil,
        deviceTime: Date
    ) {
        self.seq = seq
        self.recordId = recordId
        self.kind = kind
        self.op = op
        self.baseVersion = baseVersion
        self.set = set
        self.transition = transition
        self.comment = comment
        self.agency = agency
        self.parentId = parentId
        self.attachment = attachment
        self.deviceTime = deviceTime
    }

    private enum CodingKeys: String, CodingKey {
        case seq, recordId, kind, op, baseVersion, set, transition, comment, agency, parentId, attachment, deviceTime
    }

    /// Encodes with `recordId` and `parentId` in the wire form (lower case); decoding takes either case.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(seq, forKey: .seq)
        try container.encode(recordId.wireString, forKey: .recordId)
        try container.encode(kind, forKey: .kind)
        try container.encode(op, forKey: .op)
        try container.encodeIfPresent(baseVersion, forKey: .baseVersion)
        try container.encodeIfPresent(set, forKey: .set)
        try container.encodeIfPresent(transition, forKey: .transition)
        try container.encodeIfPresent(comment, forKey: .comment)
        try container.encodeIfPresent(agency, forKey: .agency)
        try container.encodeIfPresent(parentId?.wireString, forKey: .parentId)
        try container.encodeIfPresent(attachment, forKey: .attachment)
        try container.encode(deviceTime, forKey: .deviceTime)
    }
}
