import Foundation

/// How record, client, upload and application ids travel: lower-case RFC 9562 text on the wire,
/// either case accepted on the way in. Stores keep the form they always had (Foundation's upper case),
/// so existing data reads unchanged; only what is sent is lower-cased.
public enum WireIdentifier {
    /// The wire form of a UUID-shaped id, lower case; any other id (a demo user's name-like id) as given.
    public static func wire(_ id: String) -> String {
        UUID(text: id).map { $0.wireString } ?? id
    }

    /// The stored form of an id received in either case: Foundation's upper-case text for a UUID,
    /// anything else as given. Used where a server lookup compares id text (user ids).
    public static func stored(_ id: String) -> String {
        UUID(text: id)?.storedString ?? id
    }
}

extension UUID {
    /// The id as it goes on the wire: lower-case hex with hyphens (RFC 9562 §4).
    public var wireString: String { hexText(digits: UUIDDigits.lower) }

    /// The id as the stores keep it: exactly Foundation's `uuidString` (upper case), written here because
    /// Foundation formats each byte with `snprintf` (a push wrote ids ~10 times per mutation: issue 15).
    public var storedString: String { hexText(digits: UUIDDigits.upper) }

    private func hexText(digits: [UInt8]) -> String {
        withUnsafeBytes(of: uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { out in
                var at = 0
                for (index, byte) in bytes.enumerated() {
                    if UUIDDigits.hyphenBefore(index) {
                        out[at] = UInt8(ascii: "-")
                        at += 1
                    }
                    out[at] = digits[Int(byte >> 4)]
                    out[at + 1] = digits[Int(byte & 0x0F)]
                    at += 2
                }
                return at
            }
        }
    }
}

extension UUID {
    /// Parses an id's text: exactly 36 characters, hex digits of either case in groups of 8-4-4-4-12
    /// joined by hyphens (RFC 9562 §4), nothing else. Foundation's `init(uuidString:)` parses with
    /// `sscanf`, which is slow (4 % of a first sync's client CPU: issue 15) and also takes forms no
    /// client makes, such as "+1234567-…", " 1234567-…" or "0x345678-…"; every side parses ids here.
    public init?(text: String) {
        var text = text
        guard let bytes = text.withUTF8(Self.parse) else { return nil }
        self.init(uuid: bytes)
    }

    /// As `init(text:)` for a slice of a string (the two are concrete, not one generic initializer,
    /// so that other modules call a specialized parse).
    public init?(text: Substring) {
        var text = text
        guard let bytes = text.withUTF8(Self.parse) else { return nil }
        self.init(uuid: bytes)
    }

    private static func parse(_ utf8: UnsafeBufferPointer<UInt8>) -> uuid_t? {
        guard utf8.count == 36 else { return nil }
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let parsed = withUnsafeMutableBytes(of: &bytes) { out in
            var at = 0
            for index in 0..<16 {
                if UUIDDigits.hyphenBefore(index) {
                    guard utf8[at] == UInt8(ascii: "-") else { return false }
                    at += 1
                }
                guard let high = hexValue(utf8[at]), let low = hexValue(utf8[at + 1]) else { return false }
                out[index] = high << 4 | low
                at += 2
            }
            return true
        }
        return parsed ? bytes : nil
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// The hex digits of `UUID.wireString` and `UUID.storedString`, and where the text's hyphens go (for
/// writing it and for `UUID(text:)`).
private enum UUIDDigits {
    static let lower = Array("0123456789abcdef".utf8)
    static let upper = Array("0123456789ABCDEF".utf8)

    /// True when a hyphen comes before the byte at `index` (groups of 4-2-2-2-6 bytes: 8-4-4-4-12 digits).
    static func hyphenBefore(_ index: Int) -> Bool {
        index == 4 || index == 6 || index == 8 || index == 10
    }
}
