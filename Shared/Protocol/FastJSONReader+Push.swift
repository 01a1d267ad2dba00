import Foundation

extension PushRequest: FastJSONDecodable {
    /// Reads a push body.
    public static func read(from reader: inout FastJSONReader) throws -> PushRequest {
        var request = PushRequest(clientId: FastJSONReader.placeholderId, mutations: [])
        let seen = try reader.members { reader, key in
            switch key {
            case "clientId": request.clientId = try reader.uuid(); return 1
            case "mutations": request.mutations = try reader.array(of: Mutation.read(from:)); return 2
            default: return 0
            }
        }
        try reader.require(seen, 3, "push request")
        return request
    }
}

extension Mutation: FastJSONDecodable {
    /// Reads one queued change.
    public static func read(from reader: inout FastJSONReader) throws -> Mutation {
        var mutation = Mutation(seq: 0, recordId: FastJSONReader.placeholderId, kind: .preApplication, op: .create,
                                deviceTime: Date(timeIntervalSinceReferenceDate: 0))
        let seen = try reader.members { reader, key in
            switch key {
            case "seq": mutation.seq = try reader.int(); return 1
            case "recordId": mutation.recordId = try reader.uuid(); return 2
            case "kind": mutation.kind = try reader.rawValue(RecordKind.self); return 4
            case "op": mutation.op = try reader.rawValue(MutationOp.self); return 8
            case "deviceTime": mutation.deviceTime = try reader.date(); return 16
            case "baseVersion": mutation.baseVersion = try reader.optional { try $0.int() }; return 32
            case "set": mutation.set = try reader.optional { try $0.fieldMap() }; return 64
            case "transition": mutation.transition = try reader.optional { try $0.rawValue(Transition.self) }; return 128
            case "comment": mutation.comment = try reader.optional { try $0.string() }; return 256
            case "agency": mutation.agency = try reader.optional { try $0.string() }; return 512
            case "parentId": mutation.parentId = try reader.optional { try $0.uuid() }; return 1024
            case "attachment":
                mutation.attachment = try reader.optional { try MutationAttachment.read(from: &$0) }
                return 2048
            default: return 0
            }
        }
        try reader.require(seen, 31, "mutation")
        return mutation
    }
}

extension MutationAttachment: FastJSONDecodable {
    /// Reads the file of an attach or detach.
    public static func read(from reader: inout FastJSONReader) throws -> MutationAttachment {
        var file = MutationAttachment(slot: "", sha256: "")
        let seen = try reader.members { reader, key in
            switch key {
            case "slot": file.slot = try reader.string(); return 1
            case "sha256": file.sha256 = try reader.string(); return 2
            case "name": file.name = try reader.optional { try $0.string() }; return 4
            default: return 0
            }
        }
        try reader.require(seen, 3, "mutation attachment")
        return file
    }
}

extension PushResponse: FastJSONDecodable {
    /// Reads a push answer.
    public static func read(from reader: inout FastJSONReader) throws -> PushResponse {
        var response = PushResponse(results: [], lastSeq: 0)
        let seen = try reader.members { reader, key in
            switch key {
            case "results": response.results = try reader.array(of: MutationResult.read(from:)); return 1
            case "lastSeq": response.lastSeq = try reader.int(); return 2
            default: return 0
            }
        }
        try reader.require(seen, 3, "push response")
        return response
    }
}

extension MutationResult: FastJSONDecodable {
    /// Reads one result; its rare members (conflicts, error) are decoded by `WireCoding` from their bytes.
    public static func read(from reader: inout FastJSONReader) throws -> MutationResult {
        var result = MutationResult(seq: 0, status: .applied)
        let seen = try reader.members { reader, key in
            switch key {
            case "seq": result.seq = try reader.int(); return 1
            case "status": result.status = try reader.rawValue(MutationStatus.self); return 2
            case "record": result.record = try reader.optional { try Record.read(from: &$0) }; return 4
            case "conflicts":
                result.conflicts = try reader.optional {
                    try WireCoding.decode([FieldConflict].self, from: try $0.rawValue())
                }
                return 8
            case "error":
                result.error = try reader.optional { try WireCoding.decode(APIErrorDetail.self, from: try $0.rawValue()) }
                return 16
            default: return 0
            }
        }
        try reader.require(seen, 3, "mutation result")
        return result
    }
}
