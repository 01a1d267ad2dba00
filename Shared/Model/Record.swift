import Foundation

/// Everything that syncs is a record (DESIGN.md §2).
public struct Record: Codable, Hashable, Sendable {
    /// Made by whoever creates the record, offline too.
    public var id: UUID
    public var kind: RecordKind
    /// Assigned by the server only; 0 for a record the server has not seen yet.
    public var version: Int
    public var state: RecordState
    /// The owning organisation (an enterprise's credit code).
    public var orgId: String?
    /// The division code the record belongs to (from its region field).
    public var region: String?
    /// The parent record (an application for evidence and assessments).
    public var parentId: UUID?
    /// Field values by dotted path.
    public var fields: [String: JSONValue]
    public var attachments: [AttachmentRef]
    /// Server time of the last accepted change.
    public var updatedAt: Date?
    /// The user who made the last accepted change.
    public var updatedBy: String?
    public var deleted: Bool

    public init(
        id: UUID, kind: RecordKind, version: Int = 0, state: RecordState = .draft,
        orgId: String? = nil, region: String? = nil, parentId: UUID? = nil,
        fields: [String: JSONValue] = [:], attachments: [AttachmentRef] = [],
        updatedAt: Date? = nil, updatedBy: String? = nil, deleted: Bool = false
    ) {
        self.id = id
        self.kind = kind
        self.version = version
        self.state = state
        self.orgId = orgId
        self.region = region
        self.parentId = parentId
        self.fields = fields
        self.attachments = attachments
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
        self.deleted = deleted
    }

    private enum CodingKeys: String, CodingKey {
        case id, kind, version, state, orgId, region, parentId, fields, attachments, updatedAt, updatedBy, deleted
    }

    /// Encodes with `id` and `parentId` in the wire form (lower case); decoding takes either case.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.wireString, forKey: .id)
        try container.encode(kind, forKey: .kind)
        try container.encode(version, forKey: .version)
        try container.encode(state, forKey: .state)
        try container.encodeIfPresent(orgId, forKey: .orgId)
        try container.encodeIfPresent(region, forKey: .region)
        try container.encodeIfPresent(parentId?.wireString, forKey: .parentId)
        try container.encode(fields, forKey: .fields)
        try container.encode(attachments, forKey: .attachments)
        try container.encodeIfPresent(updatedAt, forKey: .updatedAt)
        try container.encodeIfPresent(updatedBy, forKey: .updatedBy)
        try container.encode(deleted, forKey: .deleted)
    }

    /// The value at a dotted path, if set.
    public subscript(path: String) -> JSONValue? {
        get { fields[path] }
        set { fields[path] = newValue }
    }

    /// What `text(_:)` trims; made once (building the set took ~2 % of a push: issue 15).
    private static let blank = CharacterSet.whitespacesAndNewlines

    /// The text value at a path, trimmed; nil when unset or blank.
    public func text(_ path: String) -> String? {
        guard let raw = fields[path]?.string, let first = raw.unicodeScalars.first,
              let last = raw.unicodeScalars.last else { return nil }
        let blank = Self.blank
        // Nothing to trim at either end (the usual case): the text as it is, without bridging to NSString.
        if !blank.contains(first), !blank.contains(last) { return raw }
        let value = raw.trimmingCharacters(in: blank)
        return value.isEmpty ? nil : value
    }
}
