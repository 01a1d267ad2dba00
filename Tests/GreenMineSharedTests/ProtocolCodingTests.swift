import Foundation
import Testing
@testable import GreenMineShared

/// Pins the wire format of DESIGN.md §2 and §4: literal JSON decodes to the expected values and
/// re-encodes byte for byte (keys sorted, dates with milliseconds, nils omitted).
struct ProtocolCodingTests {
    static let recordId = UUID(uuidString: "6F1C2D3E-4A5B-4C6D-8E7F-0123456789AB")!
    static let clientId = UUID(uuidString: "00000000-0000-4000-8000-000000000001")!
    static let time = Date(timeIntervalSince1970: 1_796_113_800) // 2026-12-01T08:30:00Z

    func roundTrip<T: Codable & Equatable>(_ json: String, _ expected: T) throws {
        let decoded = try WireCoding.decode(T.self, from: Data(json.utf8))
        #expect(decoded == expected)
        let encoded = String(decoding: try WireCoding.encode(decoded), as: UTF8.self)
        #expect(encoded == json)
    }

    static let recordJSON = """
    {"attachments":[{"mime":"application/pdf","name":"自评报告.pdf","sha256":"ab12","size":123,"slot":"app.pdf"}],\
    "deleted":false,"fields":{"basic.mineName":"某矿","indicators.employees":120,\
    "indicators.landReclamationRate":92.5,"prerequisites.noPenalty":true},"id":"6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab",\
    "kind":"application","orgId":"91130102MA0000000X","region":"130102","state":"draft",\
    "updatedAt":"2026-12-01T08:30:00.000Z","updatedBy":"u1","version":7}
    """

    static let record = Record(
        id: recordId, kind: .application, version: 7, state: .draft, orgId: "91130102MA0000000X", region: "130102",
        fields: ["basic.mineName": .string("某矿"), "indicators.landReclamationRate": .double(92.5),
                 "indicators.employees": .int(120), "prerequisites.noPenalty": .bool(true)],
        attachments: [AttachmentRef(slot: "app.pdf", sha256: "ab12", size: 123, mime: "application/pdf",
                                    name: "自评报告.pdf")],
        updatedAt: time, updatedBy: "u1")

    @Test func record() throws {
        try roundTrip(Self.recordJSON, Self.record)
    }

    @Test func pushRequest() throws {
        let json = """
        {"clientId":"00000000-0000-4000-8000-000000000001","mutations":[\
        {"deviceTime":"2026-12-01T08:30:00.000Z","kind":"application","op":"create",\
        "recordId":"6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab","seq":1,"set":{"basic.region":"130102"}},\
        {"baseVersion":6,"comment":"请审核","deviceTime":"2026-12-01T08:30:00.000Z","kind":"application",\
        "op":"transition","recordId":"6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab","seq":2,"transition":"submit"},\
        {"attachment":{"name":"a.pdf","sha256":"ab12","slot":"app.pdf"},"baseVersion":6,\
        "deviceTime":"2026-12-01T08:30:00.000Z","kind":"application","op":"attach",\
        "recordId":"6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab","seq":3},\
        {"baseVersion":7,"deviceTime":"2026-12-01T08:30:00.000Z","kind":"application","op":"transition",\
        "recordId":"6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab","seq":4,"transition":"return"}]}
        """
        let expected = PushRequest(clientId: Self.clientId, mutations: [
            Mutation(seq: 1, recordId: Self.recordId, kind: .application, op: .create,
                     set: ["basic.region": .string("130102")], deviceTime: Self.time),
            Mutation(seq: 2, recordId: Self.recordId, kind: .application, op: .transition, baseVersion: 6,
                     transition: .submit, comment: "请审核", deviceTime: Self.time),
            Mutation(seq: 3, recordId: Self.recordId, kind: .application, op: .attach, baseVersion: 6,
                     attachment: MutationAttachment(slot: "app.pdf", sha256: "ab12", name: "a.pdf"),
                     deviceTime: Self.time),
            Mutation(seq: 4, recordId: Self.recordId, kind: .application, op: .transition, baseVersion: 7,
                     transition: .sendBack, deviceTime: Self.time),
        ])
        try roundTrip(json, expected)
    }

    @Test func pushResponseWithEveryStatus() throws {
        let json = """
        {"lastSeq":4,"results":[{"record":\(Self.recordJSON),"seq":1,"status":"applied"},\
        {"record":\(Self.recordJSON),"seq":2,"status":"merged"},\
        {"conflicts":[{"mine":"甲矿","path":"basic.mineName","theirs":"乙矿"}],"record":\(Self.recordJSON),\
        "seq":3,"status":"conflict"},\
        {"error":{"code":"stale","message":"someone else changed it"},"seq":4,"status":"rejected"}]}
        """
        let expected = PushResponse(results: [
            MutationResult(seq: 1, status: .applied, record: Self.record),
            MutationResult(seq: 2, status: .merged, record: Self.record),
            MutationResult(seq: 3, status: .conflict, record: Self.record,
                           conflicts: [FieldConflict(path: "basic.mineName", mine: .string("甲矿"), theirs: .string("乙矿"))]),
            MutationResult(seq: 4, status: .rejected,
                           error: APIErrorDetail(code: "stale", message: "someone else changed it")),
        ], lastSeq: 4)
        try roundTrip(json, expected)
    }

    @Test func pullResponse() throws {
        let json = """
        {"cursor":"c42","gone":["6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab"],"lastSeq":41,"more":true,\
        "records":[\(Self.recordJSON)]}
        """
        try roundTrip(json, PullResponse(records: [Self.record], gone: [Self.recordId], cursor: "c42", more: true,
                                         lastSeq: 41))
    }

    @Test func errorEnvelope() throws {
        let json = """
        {"error":{"code":"seq_gap","lastSeq":40,"message":"expected seq 41"}}
        """
        try roundTrip(json, APIErrorBody(error: APIErrorDetail(code: "seq_gap", message: "expected seq 41", lastSeq: 40)))
        let findings = """
        {"error":{"code":"data_check_failed","findings":[{"code":"required","message":{"en":"Mine name is required",\
        "zh":"“矿山名称”为必填项"},"path":"basic.mineName","severity":"error"}],"message":"the data check failed"}}
        """
        try roundTrip(findings, APIErrorBody(error: APIErrorDetail(
            code: "data_check_failed", message: "the data check failed",
            findings: [Finding(severity: .error, path: "basic.mineName", code: "required",
                               message: LocalizedText(zh: "“矿山名称”为必填项", en: "Mine name is required"))])))
    }

    @Test func authAndHistory() throws {
        try roundTrip("""
        {"password":"s3cret","username":"ent1"}
        """, LoginRequest(username: "ent1", password: "s3cret"))
        try roundTrip("""
        {"expiresAt":"2026-12-01T08:30:00.000Z","token":"tok","user":{"id":"u1","mustChangePassword":false,\
        "orgId":"91130102MA0000000X","role":"enterprise","username":"ent1"}}
        """, LoginResponse(token: "tok", expiresAt: Self.time,
                           user: UserInfo(id: "u1", username: "ent1", role: .enterprise, orgId: "91130102MA0000000X")))
        try roundTrip("""
        {"events":[{"action":"submit","actorId":"u1","actorName":"ent1","deviceTime":"2026-12-01T08:30:00.000Z",\
        "fromState":"draft","orgId":"91130102MA0000000X","recordId":"6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab",\
        "role":"enterprise","seq":9,"serverTime":"2026-12-01T08:30:00.000Z","toState":"submitted","version":3}]}
        """, HistoryResponse(events: [HistoryEvent(
            seq: 9, recordId: Self.recordId, action: "submit", actorId: "u1", actorName: "ent1", role: .enterprise,
            orgId: "91130102MA0000000X", serverTime: Self.time, deviceTime: Self.time, fromState: .draft,
            toState: .submitted, version: 3, comment: nil)]))
    }

    @Test func datesWithoutMillisecondsAndLowercaseUUIDsDecode() throws {
        let json = """
        {"deviceTime":"2026-12-01T08:30:00Z","kind":"evidence","op":"delete","baseVersion":2,\
        "recordId":"6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab","seq":5}
        """
        let mutation = try WireCoding.decode(Mutation.self, from: Data(json.utf8))
        #expect(mutation.deviceTime == Self.time)
        #expect(mutation.recordId == Self.recordId)
    }

    @Test func unknownKindOrOpIsRefused() {
        let badKind = """
        {"deviceTime":"2026-12-01T08:30:00Z","kind":"spaceship","op":"create","recordId":"6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab","seq":1}
        """
        #expect(throws: DecodingError.self) { try WireCoding.decode(Mutation.self, from: Data(badKind.utf8)) }
        let badOp = badKind.replacingOccurrences(of: "spaceship", with: "application")
            .replacingOccurrences(of: "create", with: "explode")
        #expect(throws: DecodingError.self) { try WireCoding.decode(Mutation.self, from: Data(badOp.utf8)) }
    }
}
