import Foundation

extension Record: FastJSONDecodable {
    /// Reads a record as its synthesized `Decodable` conformance does (optional members may be absent or null).
    public static func read(from reader: inout FastJSONReader) throws -> Record {
        var record = Record(id: FastJSONReader.placeholderId, kind: .preApplication)
        let seen = try reader.members { reader, key in
            switch key {
            case "id": record.id = try reader.uuid(); return 1
            case "kind": record.kind = try reader.rawValue(RecordKind.self); return 2
            case "version": record.version = try reader.int(); return 4
            case "state": record.state = try reader.rawValue(RecordState.self); return 8
            case "fields": record.fields = try reader.fieldMap(); return 16
            case "attachments": record.attachments = try reader.array(of: AttachmentRef.read(from:)); return 32
            case "deleted": record.deleted = try reader.bool(); return 64
            case "orgId": record.orgId = try reader.optional { try $0.string() }; return 128
            case "region": record.region = try reader.optional { try $0.string() }; return 256
            case "parentId": record.parentId = try reader.optional { try $0.uuid() }; return 512
            case "updatedAt": record.updatedAt = try reader.optional { try $0.date() }; return 1024
            case "updatedBy": record.updatedBy = try reader.optional { try $0.string() }; return 2048
            default: return 0
            }
        }
        try reader.require(seen, 127, "record")
        return record
    }
}

extension AttachmentRef: FastJSONDecodable {
    /// Reads an attachment reference (every member required).
    public static func read(from reader: inout FastJSONReader) throws -> AttachmentRef {
        var file = AttachmentRef(slot: "", sha256: "", size: 0, mime: "", name: "")
        let seen = try reader.members { reader, key in
            switch key {
            case "slot": file.slot = try reader.string(); return 1
            case "sha256": file.sha256 = try reader.string(); return 2
            case "size": file.size = Int64(try reader.int()); return 4
            case "mime": file.mime = try reader.string(); return 8
            case "name": file.name = try reader.string(); return 16
            default: return 0
            }
        }
        try reader.require(seen, 31, "attachment")
        return file
    }
}

extension PullResponse: FastJSONDecodable {
    /// Reads a pull page.
    public static func read(from reader: inout FastJSONReader) throws -> PullResponse {
        var texts: [String]?
        return try read(from: &reader, keepingTexts: &texts)
    }

    /// Reads a pull page; when `texts` is not nil, each record's JSON text is appended to it.
    static func read(from reader: inout FastJSONReader, keepingTexts texts: inout [String]?) throws -> PullResponse {
        var page = PullResponse(records: [], gone: [], cursor: "", more: false, lastSeq: 0)
        let seen = try reader.members { reader, key in
            switch key {
            case "records":
                page.records = try reader.array(of: { reader -> Record in
                    reader.skipWhitespace()
                    let start = reader.index
                    let record = try Record.read(from: &reader)
                    if texts != nil {
                        texts?.append(String(decoding: UnsafeBufferPointer(rebasing: reader.bytes[start..<reader.index]),
                                             as: UTF8.self))
                    }
                    return record
                })
                return 1
            case "gone": page.gone = try reader.array { try $0.uuid() }; return 2
            case "cursor": page.cursor = try reader.string(); return 4
            case "more": page.more = try reader.bool(); return 8
            case "lastSeq": page.lastSeq = try reader.int(); return 16
            default: return 0
            }
        }
        try reader.require(seen, 31, "pull page")
        return page
    }
}

extension FastJSONReader {
    /// The id a value holds until its `id` member is read (a required member, so it never stays).
    static let placeholderId = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
}
