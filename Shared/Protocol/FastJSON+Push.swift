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

extension FastJSON {
    /// Appends a push request exactly as its Codable form with `WireCoding` (sorted keys, nil members omitted).
    public mutating func pushRequest(_ request: PushRequest) {
        object(["clientId", "mutations"]) { writer, key in
            if key == "clientId" {
                writer.string(request.clientId.wireString)
                return
            }
            writer.raw("[")
            for (index, mutation) in request.mutations.enumerated() {
                if index > 0 { writer.raw(",") }
                writer.mutation(mutation)
            }
            writer.raw("]")
        }
    }

    /// Appends one queued change.
    public mutating func mutation(_ mutation: Mutation) {
        var keys: [String] = []
        if mutation.agency != nil { keys.append("agency") }
        if mutation.attachment != nil { keys.append("attachment") }
        if mutation.baseVersion != nil { keys.append("baseVersion") }
        if mutation.comment != nil { keys.append("comment") }
        keys += ["deviceTime", "kind", "op"]
        if mutation.parentId != nil { keys.append("parentId") }
        keys += ["recordId", "seq"]
        if mutation.set != nil { keys.append("set") }
        if mutation.transition != nil { keys.append("transition") }
        object(keys) { writer, key in
            switch key {
            case "agency": writer.string(mutation.agency ?? "")
            case "attachment":
                guard let file = mutation.attachment else { return writer.raw("null") }
                var members = ["sha256", "slot"]
                if file.name != nil { members.insert("name", at: 0) }
                writer.object(members) { writer, key in
                    switch key {
                    case "name": writer.string(file.name ?? "")
                    case "sha256": writer.string(file.sha256)
                    default: writer.string(file.slot)
                    }
                }
            case "baseVersion": writer.raw(String(mutation.baseVersion ?? 0))
            case "comment": writer.string(mutation.comment ?? "")
            case "deviceTime": writer.date(mutation.deviceTime)
            case "kind": writer.string(mutation.kind.rawValue)
            case "op": writer.string(mutation.op.rawValue)
            case "parentId": writer.string(mutation.parentId?.wireString ?? "")
            case "recordId": writer.string(mutation.recordId.wireString)
            case "seq": writer.raw(String(mutation.seq))
            case "set": writer.value(.object(mutation.set ?? [:]))
            default: writer.string(mutation.transition?.rawValue ?? "")
            }
        }
    }

    /// A push request's wire JSON bytes.
    public static func encode(_ request: PushRequest) -> Data {
        var writer = FastJSON(capacity: 256 + request.mutations.count * 400)
        writer.pushRequest(request)
        return Data(writer.bytes)
    }
}
