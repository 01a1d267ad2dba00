import Foundation

/// `POST /v1/sync/push` body.
public struct PushRequest: Codable, Hashable, Sendable {
    /// The pushing installation's id.
    public var clientId: UUID
    /// Mutations in seq order.
    public var mutations: [Mutation]

    public init(clientId: UUID, mutations: [Mutation]) {
        self.clientId = clientId
        self.mutations = mutations
    }

    private enum CodingKeys: String, CodingKey {
        case clientId, mutations
    }

    /// Encodes `clientId` in the wire form (lower case); decoding takes either case.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(clientId.wireString, forKey: .clientId)
        try container.encode(mutations, forKey: .mutations)
    }
}

/// The outcome of one mutation (DESIGN.md §4).
public enum MutationStatus: String, Codable, Sendable, CaseIterable {
    /// Applied on the version it was made on.
    case applied
    /// Applied onto a newer version without overlap.
    case merged
    /// Partly applied: the listed fields keep the server's value.
    case conflict
    /// Refused for good; the queue moves on.
    case rejected
}

/// A field another actor changed differently since the mutation's base version.
public struct FieldConflict: Codable, Hashable, Sendable {
    /// The dotted field path.
    public var path: String
    /// The value the mutation wanted.
    public var mine: JSONValue
    /// The value the server kept.
    public var theirs: JSONValue

    public init(path: String, mine: JSONValue, theirs: JSONValue) {
        self.path = path
        self.mine = mine
        self.theirs = theirs
    }
}

/// The stored result of one mutation, returned again on replay.
public struct MutationResult: Codable, Hashable, Sendable {
    public var seq: Int
    public var status: MutationStatus
    /// The record after the change (applied, merged, conflict).
    public var record: Record?
    /// The fields that conflicted (conflict).
    public var conflicts: [FieldConflict]?
    /// Why it was refused (rejected).
    public var error: APIErrorDetail?

    public init(seq: Int, status: MutationStatus, record: Record? = nil, conflicts: [FieldConflict]? = nil,
                error: APIErrorDetail? = nil) {
        self.seq = seq
        self.status = status
        self.record = record
        self.conflicts = conflicts
        self.error = error
    }
}

/// `POST /v1/sync/push` answer.
public struct PushResponse: Codable, Hashable, Sendable {
    /// One result per mutation of the batch, in order.
    public var results: [MutationResult]
    /// The last seq the server has applied for this client.
    public var lastSeq: Int

    public init(results: [MutationResult], lastSeq: Int) {
        self.results = results
        self.lastSeq = lastSeq
    }
}
