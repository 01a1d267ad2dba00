import Foundation

/// Refuses JSON holding a number longer than any real value needs, before Foundation's `JSONDecoder`
/// sees it: decoding some very long numbers (e.g. 2^53 + 1 followed by 200 zeros and `e-200`) into an
/// integer stops the whole process inside swift-foundation (checked on Swift 6.3.1). Every number
/// GreenMine writes fits in 32 characters; the limit is 64.
public enum JSONNumberScreen {
    /// The longest number token accepted, in bytes.
    public static let maxLength = 64

    /// The byte offset of the first number token longer than `maxLength`, outside strings; nil when none.
    public static func longNumber(in data: Data) -> Int? {
        data.withUnsafeBytes { bytes -> Int? in
            var inString = false
            var escaped = false
            var run = 0
            for (offset, byte) in bytes.enumerated() {
                if inString {
                    if escaped {
                        escaped = false
                    } else if byte == UInt8(ascii: "\\") {
                        escaped = true
                    } else if byte == UInt8(ascii: "\"") {
                        inString = false
                    }
                    continue
                }
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                     UInt8(ascii: "e"), UInt8(ascii: "E"):
                    run += 1
                    if run > maxLength { return offset - run + 1 }
                case UInt8(ascii: "\""):
                    inString = true
                    run = 0
                default:
                    run = 0
                }
            }
            return nil
        }
    }

    /// Throws `DecodingError.dataCorrupted` when `data` holds a number longer than `maxLength`.
    public static func check(_ data: Data) throws {
        if let offset = longNumber(in: data) {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: [], debugDescription: "the number at byte \(offset) is longer than \(maxLength) characters"))
        }
    }
}
