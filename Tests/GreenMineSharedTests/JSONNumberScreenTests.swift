import Foundation
import Testing
@testable import GreenMineShared

/// Numbers too long for any real value are refused before JSONDecoder, whose integer path stops the
/// process on some of them.
struct JSONNumberScreenTests {
    static let crashing = "9007199254740993" + String(repeating: "0", count: 200) + "e-200"

    @Test func longNumbersAreRefusedBeforeJSONDecoder() throws {
        struct Seq: Decodable { var seq: Int }
        #expect(throws: DecodingError.self) {
            try WireCoding.decode(Seq.self, from: Data(#"{"seq":\#(Self.crashing)}"#.utf8))
        }
        #expect(throws: DecodingError.self) {
            try WireCoding.decode([String: JSONValue].self, from: Data(#"{"a":[1,{"b":\#(Self.crashing)}]}"#.utf8))
        }
        #expect(JSONNumberScreen.longNumber(in: Data(#"{"seq":\#(Self.crashing)}"#.utf8)) == 7)
    }

    @Test func numbersUpToTheLimitAndLongStringsPass() throws {
        let longest = String(repeating: "1", count: 60) + "e-59"
        #expect(longest.count == JSONNumberScreen.maxLength)
        #expect(JSONNumberScreen.longNumber(in: Data(#"{"a":\#(longest)}"#.utf8)) == nil)
        // Digits inside strings, escaped quotes included, are not numbers.
        let digits = String(repeating: "7", count: 500)
        let text = #"{"a":"\"\#(digits)","b":-12.5e3,"c":[0,1,2]}"#
        #expect(JSONNumberScreen.longNumber(in: Data(text.utf8)) == nil)
        let decoded = try WireCoding.decode([String: JSONValue].self, from: Data(text.utf8))
        #expect(decoded["b"] == .double(-12500) || decoded["b"] == .int(-12500))
    }
}
