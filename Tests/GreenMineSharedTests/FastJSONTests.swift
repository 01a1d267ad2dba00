import Foundation
import Testing
@testable import GreenMineShared

/// The hand-written encoder must produce what `WireCoding` decodes to the same values.
struct FastJSONTests {
    @Test func recordsRoundTripThroughTheWireDecoder() throws {
        var record = ProtocolCodingTests.record
        record.fields["remarks.text"] = .string("引号\" 反斜杠\\ 换行\n 制表\t 控制\u{01} /斜杠/ 😀")
        record.fields["nested"] = .object(["a": .array([.int(1), .double(2.5), .null, .bool(false)]),
                                           "b": .double(1e-7)])
        record.fields["big"] = .double(123_456_789.125)
        record.parentId = UUID()
        record.updatedAt = Date(timeIntervalSince1970: 1_796_113_800.5)
        let decoded = try WireCoding.decode(Record.self, from: Data(FastJSON.encode(record).utf8))
        #expect(decoded == record)
        var bare = Record(id: UUID(), kind: .evidence)
        bare.updatedAt = nil
        #expect(try WireCoding.decode(Record.self, from: Data(FastJSON.encode(bare).utf8)) == bare)
    }

    /// Byte for byte what `WireCoding` writes (keys sorted, nil members omitted), with and without every
    /// optional member, attachments and nested fields: a record's stored text does not depend on the writer.
    @Test func recordsAreTheSameBytesAsWireCodingWrites() throws {
        var full = ProtocolCodingTests.record
        full.fields["remarks.text"] = .string("引号\" 反斜杠\\ 换行\n 制表\t 😀")
        full.fields["nested"] = .object(["b": .array([.int(1), .null, .bool(false), .string("x")]), "a": .int(-3)])
        full.parentId = UUID()
        full.orgId = "91110000100000000X"
        full.region = "110101"
        full.updatedBy = "u-1"
        full.updatedAt = Date(timeIntervalSince1970: 1_796_113_800.123)
        full.attachments = [AttachmentRef(slot: "video", sha256: String(repeating: "ab", count: 32), size: 120_000_000,
                                          mime: "video/mp4", name: "矿区.mp4"),
                            AttachmentRef(slot: "photos", sha256: String(repeating: "cd", count: 32), size: 1,
                                          mime: "image/jpeg", name: "a.jpg")]
        var bare = Record(id: UUID(), kind: .evidence)
        bare.updatedAt = nil
        for record in [full, bare, ProtocolCodingTests.record] {
            #expect(FastJSON.encode(record) == String(decoding: try WireCoding.encode(record), as: UTF8.self))
        }
    }

    @Test func pushResponsesRoundTrip() throws {
        let response = PushResponse(results: [
            MutationResult(seq: 1, status: .applied, record: ProtocolCodingTests.record),
            MutationResult(seq: 2, status: .conflict, record: ProtocolCodingTests.record,
                           conflicts: [FieldConflict(path: "basic.mineName", mine: .string("甲"), theirs: .string("乙"))]),
            MutationResult(seq: 3, status: .rejected, error: APIErrorDetail(code: "stale", message: "x")),
        ], lastSeq: 3)
        var writer = FastJSON()
        writer.pushResponse(response)
        #expect(try WireCoding.decode(PushResponse.self, from: Data(writer.bytes)) == response)
    }

    @Test func datesAgreeWithTheISOParserToTheMillisecond() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let millis = Int64.random(in: -2_000_000_000_000...4_000_000_000_000, using: &generator)
            let date = Date(timeIntervalSince1970: Double(millis) / 1000)
            let text = FastJSON.formatDate(date)
            let parsed = try #require(try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text))
            #expect(abs(parsed.timeIntervalSince(date)) < 0.001, "\(millis) \(text)")
            #expect(String(text.prefix(19)) == String(date.formatted(Date.ISO8601FormatStyle()).prefix(19))
                    || millis % 1000 >= 999 || millis % 1000 <= -999, "\(millis)")
        }
        #expect(FastJSON.formatDate(Date(timeIntervalSince1970: 1_796_113_800)) == "2026-12-01T08:30:00.000Z")
        #expect(FastJSON.formatDate(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59.000Z")
    }

    @Test func numbersCompareByValue() {
        #expect(JSONValue.int(120) == .double(120))
        #expect(JSONValue.int(120).hashValue == JSONValue.double(120).hashValue)
        #expect(JSONValue.int(1) != .bool(true))
        #expect(JSONValue.string("1") != .int(1))
    }
}
