import Foundation

/// A pull page with each record's JSON text as it came on the wire, so a client can store a snapshot
/// without encoding it again (issue 15: the first sync of 100,000 records spent a tenth of its time there).
public struct PulledPage: Sendable {
    /// The page.
    public var response: PullResponse
    /// `response.records[i]`'s JSON text; nil when the page was read by `JSONDecoder` (the fast reader
    /// refused it), and then the records are encoded again by whoever stores them.
    public var recordTexts: [String]?

    public init(response: PullResponse, recordTexts: [String]?) {
        self.response = response
        self.recordTexts = recordTexts
    }

    /// Reads a page with `FastJSONReader`, keeping each record's text; falls back to `WireCoding.decode`
    /// (no texts) where the fast reader refuses, so the page read is always `WireCoding`'s.
    public static func read(_ data: Data) throws -> PulledPage {
        var texts: [String]? = []
        let fast = try? FastJSONReader.read(data) { try PullResponse.read(from: &$0, keepingTexts: &texts) }
        if let fast, let texts, texts.count == fast.records.count { return PulledPage(response: fast, recordTexts: texts) }
        return PulledPage(response: try WireCoding.decode(PullResponse.self, from: data), recordTexts: nil)
    }
}
