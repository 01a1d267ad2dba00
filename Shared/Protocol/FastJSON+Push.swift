import Foundation

extension FastJSON {
    /// Appends a push response: records by the fast path, rare members (conflicts, errors) by Codable.
    public mutating func pushResponse(_ response: PushResponse) {
        object(["lastSeq", "results"]) { writer, key in
            if key == "lastSeq" {
                writer.raw(String(response.lastSeq))
                return
            }
            writer.raw("[")
            for (index, result) in response.results.enumerated() {
                if index > 0 { writer.raw(",") }
                writer.mutationResult(result)
            }
            writer.raw("]")
        }
    }

    /// Appends one mutation result.
    public mutating func mutationResult(_ result: MutationResult) {
        var keys: [String] = []
        if result.conflicts != nil { keys.append("conflicts") }
        if result.error != nil { keys.append("error") }
        if result.record != nil { keys.append("record") }
        keys += ["seq", "status"]
        object(keys) { writer, key in
            switch key {
            case "conflicts": writer.codable(result.conflicts)
            case "error": writer.codable(result.error)
            case "record": if let record = result.record { writer.record(record) }
            case "seq": writer.raw(String(result.seq))
            default: writer.string(result.status.rawValue)
            }
        }
    }

    /// Appends any encodable value through `WireCoding` (for rarely used members).
    public mutating func codable<T: Encodable>(_ value: T) {
        guard let data = try? WireCoding.encode(value) else {
            raw("null")
            return
        }
        bytes.append(contentsOf: data)
    }
}
