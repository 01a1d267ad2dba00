import Foundation

/// The steps of a record's process that travel with the record itself (issue 14): the server adds
/// each workflow transition — who, role, when, the states, the reviewer's comment — to the
/// server-managed field `review.trail`, so a pull brings the reason of a return along and `show`,
/// `status` and an offline `history` can say it without the network. The last `kept` steps are kept;
/// the full audit stays on the server (`GET /v1/records/{id}/history`).
public enum ProcessTrail {
    /// The field that holds the steps (server-managed: `review.` prefix).
    public static let path = "review.trail"
    /// Steps kept on the record (older ones stay in the server's history).
    public static let kept = 30

    /// The steps on the record, oldest first (entries that do not decode are skipped).
    public static func events(of record: Record) -> [HistoryEvent] {
        guard case .array(let items)? = record.fields[path] else { return [] }
        return items.compactMap { item in
            guard let data = try? WireCoding.encode(item) else { return nil }
            return try? WireCoding.decode(HistoryEvent.self, from: data)
        }
    }

    /// The steps that carry a comment, newest first.
    public static func comments(of record: Record) -> [HistoryEvent] {
        events(of: record).filter { !($0.comment ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
            .reversed()
    }

    /// Adds a step to the record's trail, dropping the oldest beyond `kept`.
    public static func append(_ event: HistoryEvent, to record: inout Record) throws {
        let value = try WireCoding.decode(JSONValue.self, from: try WireCoding.encode(event))
        var items: [JSONValue] = []
        if case .array(let existing)? = record.fields[path] { items = existing }
        items.append(value)
        record.fields[path] = .array(Array(items.suffix(kept)))
    }
}
