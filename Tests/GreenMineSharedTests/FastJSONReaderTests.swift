import Foundation
import Testing
@testable import GreenMineShared

/// `FastJSONReader` against `WireCoding`'s `JSONDecoder`: whatever the reader accepts, the decoder accepts
/// with the same values (ints stay ints, doubles bit for bit, dates bit for bit); whatever the decoder
/// refuses, the reader refuses; and `decodeFast` always equals `decode`.
struct FastJSONReaderTests {
    // MARK: helpers

    /// Same case all the way down (not only equal by value), doubles compared by bits.
    static func identical(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case (.bool(let x), .bool(let y)): x == y
        case (.int(let x), .int(let y)): x == y
        case (.double(let x), .double(let y)): x.bitPattern == y.bitPattern
        case (.string(let x), .string(let y)): Array(x.utf8) == Array(y.utf8)
        case (.array(let x), .array(let y)): x.count == y.count && zip(x, y).allSatisfy { identical($0, $1) }
        case (.object(let x), .object(let y)):
            x.count == y.count && x.allSatisfy { key, value in y[key].map { identical(value, $0) } ?? false }
        default: false
        }
    }

    static func identical(_ a: Record, _ b: Record) -> Bool {
        a == b && identical(.object(a.fields), .object(b.fields))
            && a.updatedAt?.timeIntervalSinceReferenceDate.bitPattern == b.updatedAt?.timeIntervalSinceReferenceDate.bitPattern
    }

    /// Compares the reader with the decoder on one field-value document; returns whether the reader accepted it.
    @discardableResult
    static func compareValue(_ bytes: [UInt8], _ note: String = "") -> Bool {
        let data = Data(bytes)
        let slow = try? WireCoding.decode(JSONValue.self, from: data)
        let fast = try? FastJSONReader.value(data)
        let text = String(decoding: bytes.prefix(80), as: UTF8.self)
        if let fast {
            #expect(slow != nil, "the reader accepted what JSONDecoder refuses: \(text) \(note)")
            if let slow { #expect(identical(fast, slow), "\(text): \(fast) vs \(slow) \(note)") }
        }
        let combined = try? WireCoding.decodeFast(JSONValueBox.self, from: Data("{\"v\":".utf8) + data + Data("}".utf8))
        let reference = try? WireCoding.decode(JSONValueBox.self, from: Data("{\"v\":".utf8) + data + Data("}".utf8))
        #expect((combined == nil) == (reference == nil), "decodeFast and decode disagree on \(text)")
        if let combined, let reference { #expect(identical(combined.v, reference.v), "\(text) \(note)") }
        return fast != nil
    }

    @discardableResult
    static func compareValue(_ text: String) -> Bool { Self.compareValue(Array(text.utf8)) }

    // MARK: values

    @Test func valuesAgreeWithJSONDecoder() {
        let accepted = [
            "1", "-1", "0", "-0", "120", "9223372036854775807", "-9223372036854775808", "1.5", "92.5", "-0.25",
            "1.0", "-0.0", "0.0", "1e2", "1E2", "1e+2", "1.5e1", "0.5e1", "1e-400", "2e-324", "4.9e-324", "0.1",
            "2.5e-3", "1.23e2", "12.0", "123.456e2", "-1.0e-5", "1.7976931348623157e308", "4503599627370497.5",
            "0.99999999999999999", "1.00000000000000001", "true", "false", "null", "\"\"", "\"abc\"",
            #""a\u00e9\ud83d\ude00""#, #""\uD83D\uDE00""#, #""\/\\\"\b\f\n\r\t""#, #""\u0000""#, "\"\u{7F}\"",
            "\"长城 😀 é\"", "[]", "{}", "[1,2.5,\"x\",null,true,{\"a\":[]}]", " [1] ", "\n\r\t1",
            #"{"a":{"b":{"c":[1,[2,[3]]]}},"é":"\u00e9"}"#, #"{"a":1,"a":2}"#, #"{"\u0061":1}"#,
        ]
        for text in accepted { #expect(Self.compareValue(text), "the reader should read \(text)") }
        let refusedByBoth = [
            "1e999", "-1e999", "1.8e308", "01", "+1", ".5", "1.", "1e", "-", "NaN", "Infinity", "[-]", "[-1.e5]",
            #""\ud800""#, #""\udc00x""#, #""\ud800\u0041""#, #""\uDE00""#, "\"a\tb\"", #""\x""#, #""\U0041""#,
            #""\u12""#, #""\u12G4""#, "\"abc", "[1] x", "[1 2]", "{\"a\":1 \"b\":2}", "tru", "nul", "[", "{\"a\"}",
            "{\"a\":}", "{1:2}", "[1,,2]", "", " ", "}", "\"\u{0}\"", "truefalse", "nullx", "[1]]", "{\"a\":1}}",
        ]
        for text in refusedByBoth {
            #expect(!Self.compareValue(text), "the reader should refuse \(text)")
            #expect((try? WireCoding.decode(JSONValue.self, from: Data(text.utf8))) == nil, "JSONDecoder reads \(text)")
        }
        // JSONDecoder reads these; the reader leaves them to it (compareValue checks decodeFast agrees).
        for text in ["[1,]", "{\"a\":1,}", "\u{FEFF}[1]", "1\u{0}", "9223372036854775808", "-9223372036854775809",
                     "12345678901234567890123", "1e17", "9007199254740993.0", "9223372036854775807.0", "1e19"] {
            Self.compareValue(text)
        }
        // Bytes that are not UTF-8, raw or in strings, and UTF-16 with a byte order mark.
        for bytes: [UInt8] in [[0x22, 0xFF, 0x22], [0x22, 0xC3, 0x28, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22],
                               [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], [0xFF, 0xFE, 0x31, 0x00],
                               [0x5B, 0x31, 0x00, 0x5D], [0x22, 0xE4, 0xB8, 0x22]] {
            #expect(!Self.compareValue(bytes), "\(bytes)")
        }
    }

    @Test func randomNumbersAgreeWithJSONDecoder() {
        var generator = SeededGenerator(seed: 7)
        var accepted = 0
        for _ in 0..<20_000 {
            var text = Bool.random(using: &generator) ? "-" : ""
            let digits = Int.random(in: 1...20, using: &generator)
            text += String(Int.random(in: 1...9, using: &generator))
            for _ in 1..<digits { text += String(Int.random(in: 0...9, using: &generator)) }
            if Int.random(in: 0..<3, using: &generator) == 0 { text = "0" }
            if Bool.random(using: &generator) {
                text += "."
                for _ in 0..<Int.random(in: 1...18, using: &generator) { text += String(Int.random(in: 0...9, using: &generator)) }
            }
            if Int.random(in: 0..<3, using: &generator) == 0 {
                text += ["e", "E", "e-", "e+"][Int.random(in: 0..<4, using: &generator)]
                text += String(Int.random(in: 0...330, using: &generator))
            }
            if Self.compareValue(Array(text.utf8), "(random)") { accepted += 1 }
        }
        #expect(accepted > 15_000, "the reader should read most numbers itself, read \(accepted)")
    }

    @Test func randomDocumentsAgreeWithJSONDecoder() throws {
        var generator = SeededGenerator(seed: 11)
        for round in 0..<300 {
            let value = Self.randomValue(depth: 0, &generator)
            var writer = FastJSON()
            writer.value(value)
            let fastText = writer.bytes
            let slowText = Array(try WireCoding.encode(value))
            for bytes in [fastText, slowText] {
                let read = try FastJSONReader.value(Data(bytes))
                let reference = try WireCoding.decode(JSONValue.self, from: Data(bytes))
                #expect(Self.identical(read, reference), "round \(round)")
                #expect(read == value)
            }
        }
    }

    static func randomValue(depth: Int, _ generator: inout SeededGenerator) -> JSONValue {
        let pick = Int.random(in: 0..<(depth > 3 ? 6 : 8), using: &generator)
        switch pick {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2: return .int(Int.random(in: -1_000_000_000_000...1_000_000_000_000, using: &generator))
        case 3: return .double(Double.random(in: -1e6...1e6, using: &generator).rounded(.down) + 0.5)
        case 4:
            // Any finite double but the whole ones from 2^53 to 2^64, which the reader leaves to JSONDecoder.
            let double = Double(bitPattern: UInt64.random(in: 0...0x7FEF_FFFF_FFFF_FFFF, using: &generator))
            return .double(double >= 0x1p53 && double < 0x1p64 ? 0.5 : double)
        case 5:
            let alphabet = Array("aé长😀\"\\/\n\t\u{01}\u{7F} ")
            return .string(String((0..<Int.random(in: 0...12, using: &generator)).map { _ in
                alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }))
        case 6: return .array((0..<Int.random(in: 0...4, using: &generator)).map { _ in randomValue(depth: depth + 1, &generator) })
        default:
            var map: [String: JSONValue] = [:]
            for index in 0..<Int.random(in: 0...4, using: &generator) {
                map["k\(index).路径"] = randomValue(depth: depth + 1, &generator)
            }
            return .object(map)
        }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        for depth in [511, 512] {
            let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
            #expect(Self.compareValue(text), "depth \(depth)")
            let object = String(repeating: "{\"k\":", count: depth) + "1" + String(repeating: "}", count: depth)
            #expect(Self.compareValue(object), "object depth \(depth)")
        }
        for depth in [513, 10_000, 200_000] {
            let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
            #expect(!Self.compareValue(text), "depth \(depth)")
            #expect(throws: FastJSONReadError.self) { try FastJSONReader.value(Data(String(repeating: "[", count: depth).utf8)) }
        }
        let body = #"{"clientId":"00000000-0000-4000-8000-000000000001","mutations":[{"seq":1,"recordId":"00000000-0000-4000-8000-000000000001","kind":"preApplication","op":"create","set":{"x":"#
            + String(repeating: "[", count: 200_000) + String(repeating: "]", count: 200_000)
            + #"},"deviceTime":"2026-11-30T10:00:00.000Z"}]}"#
        #expect(throws: FastJSONReadError.self) { try FastJSONReader.decode(PushRequest.self, from: Data(body.utf8)) }
        #expect(throws: DecodingError.self) { try WireCoding.decodeFast(PushRequest.self, from: Data(body.utf8)) }
    }

    /// A random generator with a seed, so failures reproduce.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}

/// A field value inside an object, to run `decodeFast` on any value.
struct JSONValueBox: FastJSONDecodable, Equatable {
    var v: JSONValue

    static func read(from reader: inout FastJSONReader) throws -> JSONValueBox {
        var box = JSONValueBox(v: .null)
        let seen = try reader.members { reader, key in
            guard key == "v" else { return 0 }
            box.v = try reader.value()
            return 1
        }
        try reader.require(seen, 1, "box")
        return box
    }
}
