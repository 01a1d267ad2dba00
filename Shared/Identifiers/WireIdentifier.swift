import Foundation

/// How record, client, upload and application ids travel: lower-case RFC 9562 text on the wire,
/// either case accepted on the way in. Stores keep the form they always had (Foundation's upper case),
/// so existing data reads unchanged; only what is sent is lower-cased.
public enum WireIdentifier {
    /// The wire form of a UUID-shaped id, lower case; any other id (a demo user's name-like id) as given.
    public static func wire(_ id: String) -> String {
        UUID(uuidString: id).map { $0.wireString } ?? id
    }

    /// The stored form of an id received in either case: Foundation's upper-case text for a UUID,
    /// anything else as given. Used where a server lookup compares id text (user ids).
    public static func stored(_ id: String) -> String {
        UUID(uuidString: id)?.storedString ?? id
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
                    if index == 4 || index == 6 || index == 8 || index == 10 {
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

/// The hex digits of `UUID.wireString` and `UUID.storedString`.
private enum UUIDDigits {
    static let lower = Array("0123456789abcdef".utf8)
    static let upper = Array("0123456789ABCDEF".utf8)
}
