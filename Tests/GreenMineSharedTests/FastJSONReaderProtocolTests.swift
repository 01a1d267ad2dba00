import Foundation
import Testing
@testable import GreenMineShared

/// The protocol types read by `FastJSONReader` against `WireCoding.decode`: records, pull pages, push
/// requests and answers, wire dates, and malformed or oddly shaped documents.
struct FastJSONReaderProtocolTests {
    typealias Reader = FastJSONReaderTests

    /// Both decoders on one document: equal results (or both refuse), and `decodeFast` as `decode`.
    @discardableResult
    func compare<T: FastJSONDecodable & Equatable>(_ type: T.Type, _ text: String,
                                                   same: (T, T) -> Bool = { $0 == $1 }) -> Bool {
        let data = Data(text.utf8)
        let slow = try? WireCoding.decode(type, from: data)
        let fast = try? FastJSONReader.decode(type, from: data)
        if let fast {
            #expect(slow != nil, "the reader accepted what JSONDecoder refuses: \(text.prefix(200))")
            if let slow { #expect(same(fast, slow), "\(text.prefix(200))") }
        }
        let combined = try? WireCoding.decodeFast(type, from: data)
        #expect((combined == nil) == (slow == nil), "decodeFast and decode disagree: \(text.prefix(200))")
        if let combined, let slow { #expect(same(combined, slow), "\(text.prefix(200))") }
        return fast != nil
    }

    static let id = "6F1C2D3E-4A5B-4C6D-8E7F-0123456789AB"

    static func record(_ members: String) -> String {
        #"{"attachments":[],"deleted":false,"fields":{},"id":"\#(id)","kind":"application","state":"draft","version":1\#(members)}"#
    }

    @Test func recordsWithEveryValueType() throws {
        var record = ProtocolCodingTests.record
        record.fields["text"] = .string("引号\" 反斜杠\\ 换行\n 制表\t 控制\u{01}\u{1F} /斜杠/ 😀 \u{7F} é")
        record.fields["nested"] = .object(["a": .array([.int(1), .double(2.5), .null, .bool(false), .object([:])]),
                                           "b": .double(1e-7), "c": .array([])])
        record.fields["big"] = .double(123_456_789.125)
        record.fields["whole"] = .double(100)
        record.fields["negative"] = .int(-42)
        record.fields["max"] = .int(.max)
        record.fields["min"] = .int(.min)
        record.fields["tiny"] = .double(.leastNonzeroMagnitude)
        record.fields["huge"] = .double(1.7976931348623157e308)
        record.fields["null"] = .null
        record.parentId = UUID()
        record.updatedAt = Date(timeIntervalSince1970: 1_796_113_800.5)
        record.attachments.append(AttachmentRef(slot: "app.video", sha256: String(repeating: "a", count: 64),
                                                size: 100_000_000_000, mime: "video/mp4", name: "视频 \"1\".mp4"))
        for text in [FastJSON.encode(record), String(decoding: try WireCoding.encode(record), as: UTF8.self)] {
            #expect(compare(Record.self, text, same: Reader.identical), "\(text)")
            let read = try FastJSONReader.decode(Record.self, from: Data(text.utf8))
            #expect(read == record)
            #expect(read.fields["whole"].map { if case .int(100) = $0 { true } else { false } } == true,
                    "100.0 is an int for JSONDecoder too")
        }
        var bare = Record(id: UUID(), kind: .evidence)
        bare.updatedAt = nil
        #expect(compare(Record.self, FastJSON.encode(bare), same: Reader.identical))
    }

    @Test func optionalNullUnknownAndRepeatedMembers() {
        let cases = [
            Self.record(""),
            Self.record(#","orgId":null,"region":null,"parentId":null,"updatedAt":null,"updatedBy":null"#),
            Self.record(#","orgId":"o","region":"130102","parentId":"\#(Self.id)","updatedBy":"u""#),
            Self.record(#","unknown":{"deep":[1,{"x":null}],"n":-1.5e3},"another":"值""#),
            Self.record(#","updatedAt":"2026-12-01T08:30:00Z""#),
            Self.record(#","updatedAt":"2026-12-01T08:30:00.123+08:00""#),
            Self.record(#","updatedAt":"2026-02-30T08:30:00.123Z""#),
            Self.record(#","updatedAt":"2026-12-01T08:30:00.123Z ""#),
            Self.record(#","updatedAt":"2026-12-01T24:00:00.000Z""#),
            Self.record(#","fields":{"a":1}"#), // a repeated member: JSONDecoder keeps the first
            Self.record(#","orgId":null,"orgId":"x""#),
            #"{"fields":{"a":1,"a":2},"attachments":[],"deleted":false,"id":"\#(Self.id)","kind":"application","state":"draft","version":1}"#,
            Self.record("").replacingOccurrences(of: #""version":1"#, with: #""version":1.0"#),
            Self.record(#","version":1.5"#),
        ]
        for text in cases { compare(Record.self, text, same: Reader.identical) }
        #expect(compare(Record.self, Self.record(#","unknown":{"deep":[1,{"x":null}]}"#)), "unknown members are skipped")
        #expect(compare(Record.self, Self.record(#","orgId":null,"parentId":null"#)), "null optionals are nil")
    }

    @Test func wrongTypesAndMissingMembersAreRefusedByBoth() {
        let refused = [
            #"{"attachments":[],"deleted":false,"fields":{},"id":"\#(Self.id)","kind":"application","state":"draft"}"#,
            #"{"attachments":[],"deleted":false,"id":"\#(Self.id)","kind":"application","state":"draft","version":1}"#,
            #"{"attachments":[],"deleted":false,"fields":null,"id":"\#(Self.id)","kind":"application","state":"draft","version":1}"#,
            #"{"attachments":[],"deleted":0,"fields":{},"id":"\#(Self.id)","kind":"application","state":"draft","version":1}"#,
            #"{"attachments":[],"deleted":false,"fields":[],"id":"\#(Self.id)","kind":"application","state":"draft","version":1}"#,
            #"{"attachments":[],"deleted":false,"fields":{},"id":"not-a-uuid","kind":"application","state":"draft","version":1}"#,
            #"{"attachments":[],"deleted":false,"fields":{},"id":"\#(Self.id)","kind":"spaceship","state":"draft","version":1}"#,
            #"{"attachments":[],"deleted":false,"fields":{},"id":"\#(Self.id)","kind":"application","state":"draft","version":"1"}"#,
            #"{"attachments":[{"slot":"a"}],"deleted":false,"fields":{},"id":"\#(Self.id)","kind":"application","state":"draft","version":1}"#,
            Self.record("").replacingOccurrences(of: #""version":1"#, with: #""version":1.5"#),
            Self.record("").replacingOccurrences(of: #""version":1"#, with: #""version":null"#),
            Self.record(#","updatedAt":"yesterday""#), Self.record(#","updatedAt":12"#),
            Self.record(#","orgId":5"#), Self.record(#","parentId":"x""#), Self.record(#","updatedAt":"2026-13-01T08:30:00.000Z""#),
            "[]", "null", "", "{", Self.record("") + "x", String(Self.record("").dropLast()),
        ]
        for text in refused {
            #expect(!compare(Record.self, text), "\(text)")
            #expect(throws: (any Error).self) { try WireCoding.decodeFast(Record.self, from: Data(text.utf8)) }
        }
    }

    @Test func pullPagesPushRequestsAndAnswers() throws {
        var records: [Record] = []
        for index in 0..<50 {
            var record = ProtocolCodingTests.record
            record.id = UUID()
            record.version = index + 1
            record.fields["remarks.text"] = .string("第 \(index) 条 \u{1F600}")
            record.updatedAt = Date(timeIntervalSince1970: 1_796_113_800 + Double(index) * 0.001)
            records.append(record)
        }
        let page = PullResponse(records: records, gone: [UUID(), UUID()], cursor: "12345", more: true, lastSeq: 41)
        let pageText = String(decoding: try WireCoding.encode(page), as: UTF8.self)
        #expect(compare(PullResponse.self, pageText))
        #expect(try FastJSONReader.decode(PullResponse.self, from: Data(pageText.utf8))
                == WireCoding.decode(PullResponse.self, from: Data(pageText.utf8)))

        let mutations = [
            Mutation(seq: 1, recordId: UUID(), kind: .application, op: .create,
                     set: ["basic.region": .string("130102"), "n": .double(92.5), "b": .bool(true), "z": .null],
                     deviceTime: Date(timeIntervalSince1970: 1_796_113_800.123)),
            Mutation(seq: 2, recordId: UUID(), kind: .application, op: .transition, baseVersion: 6,
                     transition: .submit, comment: "请审核\n\"ok\"", agency: "a1", parentId: UUID(),
                     deviceTime: Date(timeIntervalSince1970: 1_796_113_800)),
            Mutation(seq: 3, recordId: UUID(), kind: .evidence, op: .attach, baseVersion: 1,
                     attachment: MutationAttachment(slot: "app.pdf", sha256: "ab12", name: "a.pdf"),
                     deviceTime: Date(timeIntervalSince1970: 1)),
            Mutation(seq: 4, recordId: UUID(), kind: .evidence, op: .detach, baseVersion: 2,
                     attachment: MutationAttachment(slot: "app.pdf", sha256: "ab12"), deviceTime: Date()),
        ]
        let request = PushRequest(clientId: UUID(), mutations: mutations)
        let fastBytes = FastJSON.encode(request)
        let slowBytes = try WireCoding.encode(request)
        #expect(try WireCoding.decode(PushRequest.self, from: fastBytes) == WireCoding.decode(PushRequest.self, from: slowBytes))
        for bytes in [fastBytes, slowBytes] {
            #expect(compare(PushRequest.self, String(decoding: bytes, as: UTF8.self)))
        }
        let plain = PushRequest(clientId: request.clientId, mutations: Array(mutations.dropFirst()))
        #expect(FastJSON.encode(plain) == (try WireCoding.encode(plain)), "the same bytes as JSONEncoder")

        let response = PushResponse(results: [
            MutationResult(seq: 1, status: .applied, record: records[0]),
            MutationResult(seq: 2, status: .conflict, record: records[1],
                           conflicts: [FieldConflict(path: "basic.mineName", mine: .string("甲"), theirs: .int(2))]),
            MutationResult(seq: 3, status: .rejected, error: APIErrorDetail(
                code: "data_check_failed", message: "x", messageZh: "错", lastSeq: 2,
                findings: [Finding(severity: .error, path: "a.b", code: "c", message: LocalizedText(zh: "中", en: "en"))])),
            MutationResult(seq: 4, status: .merged, record: records[2]),
        ], lastSeq: 4)
        var writer = FastJSON()
        writer.pushResponse(response)
        for bytes in [Data(writer.bytes), try WireCoding.encode(response)] {
            #expect(compare(PushResponse.self, String(decoding: bytes, as: UTF8.self)))
            #expect(try FastJSONReader.decode(PushResponse.self, from: bytes) == WireCoding.decode(PushResponse.self, from: bytes))
        }
    }

    @Test func pushBodiesTheServerRefusesAreRefusedByBoth() {
        let time = "2026-11-30T10:00:00.000Z"
        func body(_ mutation: String) -> String {
            #"{"clientId":"\#(Self.id)","mutations":[\#(mutation)]}"#
        }
        let refused = [
            "push please", #"{"clientId":"#, "", "[]", #"{"clientId":"\#(Self.id)"}"#,
            #"{"clientId":"not-a-uuid","mutations":[]}"#, #"{"clientId":"\#(Self.id)","mutations":{}}"#,
            body(#"{"seq":1,"recordId":"\#(Self.id)","kind":"spaceship","op":"create","deviceTime":"\#(time)"}"#),
            body(#"{"seq":1,"recordId":"\#(Self.id)","kind":"preApplication","op":"explode","deviceTime":"\#(time)"}"#),
            body(#"{"seq":1,"recordId":"\#(Self.id)","kind":"preApplication","op":"transition","transition":"bribe","deviceTime":"\#(time)"}"#),
            body(#"{"seq":"1","recordId":"\#(Self.id)","kind":"preApplication","op":"create","deviceTime":"\#(time)"}"#),
            body(#"{"seq":1.5,"recordId":"\#(Self.id)","kind":"preApplication","op":"create","deviceTime":"\#(time)"}"#),
            body(#"{"seq":1e30,"recordId":"\#(Self.id)","kind":"preApplication","op":"create","deviceTime":"\#(time)"}"#),
            body(#"{"seq":1,"recordId":"../../etc/passwd","kind":"preApplication","op":"create","deviceTime":"\#(time)"}"#),
            body(#"{"seq":1,"recordId":"\#(Self.id)","kind":"preApplication","op":"create"}"#),
            body(#"{"seq":1,"recordId":"\#(Self.id)","kind":"preApplication","op":"create","deviceTime":"yesterday"}"#),
            body(#"{"seq":1,"recordId":"\#(Self.id)","kind":"preApplication","op":"create","set":[1,2],"deviceTime":"\#(time)"}"#),
            body(#"{"seq":1,"recordId":"\#(Self.id)","kind":"preApplication","op":"patch","baseVersion":"1","deviceTime":"\#(time)"}"#),
            body(#"{"seq":1,"recordId":"\#(Self.id)","kind":"preApplication","op":"attach","attachment":{"slot":"pre.image"},"deviceTime":"\#(time)"}"#),
        ]
        for text in refused { #expect(!compare(PushRequest.self, text), "\(text)") }
        // Accepted by both: a whole seq written as 1.0 (JSONDecoder's reading, through decodeFast).
        compare(PushRequest.self, body(#"{"seq":1.0,"recordId":"\#(Self.id)","kind":"preApplication","op":"create","deviceTime":"\#(time)"}"#))
    }

    @Test func fuzzedDocumentsNeverCrashAndNeverDisagree() throws {
        var generator = Reader.SeededGenerator(seed: 3)
        var record = ProtocolCodingTests.record
        record.fields["remarks.text"] = .string("a\"b\\c\u{01}😀")
        record.fields["list"] = .array([.int(1), .double(-2.5e-3), .null])
        let valid = Array(FastJSON.encode(record).utf8)
        let tokens = ["{", "}", "[", "]", ":", ",", "\"", "null", "true", "0", "-1", "1e999", "1.0", "\\u", "\\ud800",
                      "9223372036854775808", "\u{FEFF}", "長", " ", "\\", "\"id\"", "\"fields\""].map { Array($0.utf8) }
        for _ in 0..<3000 {
            var bytes = valid
            for _ in 0..<Int.random(in: 1...3, using: &generator) where !bytes.isEmpty {
                let at = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<4, using: &generator) {
                case 0: bytes[at] = UInt8.random(in: 0...255, using: &generator)
                case 1: bytes.remove(at: at)
                case 2: bytes.insert(contentsOf: tokens[Int.random(in: 0..<tokens.count, using: &generator)], at: at)
                default: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...12, using: &generator)))
                }
            }
            compare(Record.self, String(decoding: bytes, as: UTF8.self), same: Reader.identical)
            _ = try? FastJSONReader.decode(Record.self, from: Data(bytes))
        }
    }

    @Test func wireDatesAreBitForBitThoseOfTheISOParser() throws {
        var generator = Reader.SeededGenerator(seed: 5)
        // 1700-01-01 to 9999-12-31, in milliseconds since 1970.
        for _ in 0..<20_000 {
            let millis = Int64.random(in: -8_520_336_000_000...253_402_300_799_999, using: &generator)
            let text = FastJSON.formatDate(Date(timeIntervalSince1970: Double(millis) / 1000))
            let expected = try #require(WireCoding.parseDate(text))
            let read = try FastJSONReader.read(Data("\"\(text)\"".utf8)) { try $0.date() }
            #expect(read.timeIntervalSinceReferenceDate.bitPattern == expected.timeIntervalSinceReferenceDate.bitPattern,
                    "\(text)")
        }
        for text in ["2026-12-01T08:30:00Z", "2026-12-01T08:30:00.1Z", "2026-12-01T08:30:00.123456Z",
                     "2026-12-01T08:30:00.123+08:00", "2026-02-30T08:30:00.123Z", "2026-12-01T24:00:00.000Z",
                     "2026-12-01T23:59:60.000Z", "2026-12-01T08:30:00.123Z ", "1600-01-01T00:00:00.000Z",
                     "0001-01-01T00:00:00.000Z", "2024-02-29T00:00:00.000Z", "2023-02-29T00:00:00.000Z",
                     "2026-13-01T08:30:00.000Z", "2026-12-01t08:30:00.123z", "yesterday", "", "2026-12-01T08:30:00.12aZ"] {
            let expected = WireCoding.parseDate(text)
            let read = try? FastJSONReader.read(Data("\"\(text)\"".utf8)) { try $0.date() }
            #expect(read?.timeIntervalSinceReferenceDate.bitPattern == expected?.timeIntervalSinceReferenceDate.bitPattern,
                    "\(text)")
        }
    }

    @Test func errorsSayWhereAndWhat() {
        do {
            _ = try FastJSONReader.decode(Record.self, from: Data(#"{"id": tru}"#.utf8))
            Issue.record("no error")
        } catch let error as FastJSONReadError {
            #expect(error.offset == 7)
            #expect(error.description.contains("byte 7"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
