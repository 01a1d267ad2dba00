import Foundation

/// One step of a record's process (流程监控): who did what, when.
public struct HistoryEvent: Codable, Hashable, Sendable {
    /// Position in the server's global change sequence.
    public var seq: Int
    public var recordId: UUID
    /// `create`, `patch`, `delete`, `attach`, `detach`, or a transition's name.
    public var action: String
    public var actorId: String
    public var actorName: String
    public var role: Role
    public var orgId: String?
    /// When the server received it.
    public var serverTime: Date
    /// When the user did it, by the device's clock.
    public var deviceTime: Date?
    public var fromState: RecordState?
    public var toState: RecordState?
    /// The record's version after the step.
    public var version: Int
    public var comment: String?

    public init(seq: Int, recordId: UUID, action: String, actorId: String, actorName: String, role: Role,
                orgId: String?, serverTime: Date, deviceTime: Date?, fromState: RecordState?,
                toState: RecordState?, version: Int, comment: String?) {
        self.seq = seq
        self.recordId = recordId
        self.action = action
        self.actorId = actorId
        self.actorName = actorName
        self.role = role
        self.orgId = orgId
        self.serverTime = serverTime
        self.deviceTime = deviceTime
        self.fromState = fromState
        self.toState = toState
        self.version = version
        self.comment = comment
    }

    private enum CodingKeys: String, CodingKey {
        case seq, recordId, action, actorId, actorName, role, orgId, serverTime, deviceTime, fromState, toState
        case version, comment
    }

    /// Encodes with `recordId` in the wire form (lower case); decoding takes either case.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(seq, forKey: .seq)
        try container.encode(recordId.wireString, forKey: .recordId)
        try container.encode(action, forKey: .action)
        try container.encode(actorId, forKey: .actorId)
        try container.encode(actorName, forKey: .actorName)
        try container.encode(role, forKey: .role)
        try container.encodeIfPresent(orgId, forKey: .orgId)
        try container.encode(serverTime, forKey: .serverTime)
        try container.encodeIfPresent(deviceTime, forKey: .deviceTime)
        try container.encodeIfPresent(fromState, forKey: .fromState)
        try container.encodeIfPresent(toState, forKey: .toState)
        try container.encode(version, forKey: .version)
        try container.encodeIfPresent(comment, forKey: .comment)
    }
}

/// `GET /v1/records/{id}/history` answer.
public struct HistoryResponse: Codable, Hashable, Sendable {
    public var events: [HistoryEvent]

    public init(events: [HistoryEvent]) {
        self.events = events
    }
}
