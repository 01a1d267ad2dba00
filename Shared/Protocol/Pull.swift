import Foundation

/// `GET /v1/sync/pull` answer: one page of changes since a cursor.
public struct PullResponse: Codable, Hashable, Sendable {
    /// The latest snapshot of each changed record the user may see, in change order.
    public var records: [Record]
    /// Records this user can no longer see.
    public var gone: [UUID]
    /// Opaque; send it back as `after` for the next page.
    public var cursor: String
    /// True when another page is waiting.
    public var more: Bool
    /// The last seq the server applied for the `clientId` given in the query (0 when none).
    public var lastSeq: Int

    /// The most records a page may hold (`limit` is 1 to this).
    public static let largestPage = 5000

    public init(records: [Record], gone: [UUID], cursor: String, more: Bool, lastSeq: Int) {
        self.records = records
        self.gone = gone
        self.cursor = cursor
        self.more = more
        self.lastSeq = lastSeq
    }

    private enum CodingKeys: String, CodingKey {
        case records, gone, cursor, more, lastSeq
    }

    /// Encodes `gone` in the wire form (lower case); decoding takes either case.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(records, forKey: .records)
        try container.encode(gone.map(\.wireString), forKey: .gone)
        try container.encode(cursor, forKey: .cursor)
        try container.encode(more, forKey: .more)
        try container.encode(lastSeq, forKey: .lastSeq)
    }
}
