import Foundation

/// The one record id of a user's profile, the same on every device and on the server, so that the
/// first `profile set` works before any sync: a second device's create is the same record (issue 14).
public enum ProfileIdentity {
    /// A version-8 (custom) UUID from the user's id: two FNV-1a 64-bit hashes of a fixed prefix and
    /// the id. Not a secret and not a signature; only stable and unlikely to meet another record's id.
    public static func recordId(forUser userId: String) -> UUID {
        let bytes = Array("greenmine-profile:\(userId)".utf8)
        let high = fnv1a(bytes, offset: 0xcbf2_9ce4_8422_2325)
        let low = fnv1a(bytes, offset: 0x6c62_272e_07bb_0142)
        var raw = [UInt8](repeating: 0, count: 16)
        for index in 0..<8 {
            raw[index] = UInt8(truncatingIfNeeded: high >> (56 - 8 * UInt64(index)))
            raw[8 + index] = UInt8(truncatingIfNeeded: low >> (56 - 8 * UInt64(index)))
        }
        raw[6] = (raw[6] & 0x0F) | 0x80  // version 8
        raw[8] = (raw[8] & 0x3F) | 0x80  // RFC 4122 variant
        return UUID(uuid: (raw[0], raw[1], raw[2], raw[3], raw[4], raw[5], raw[6], raw[7],
                           raw[8], raw[9], raw[10], raw[11], raw[12], raw[13], raw[14], raw[15]))
    }

    private static func fnv1a(_ bytes: [UInt8], offset: UInt64) -> UInt64 {
        var hash = offset
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
