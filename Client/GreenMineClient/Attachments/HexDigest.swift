import Crypto
import Foundation

/// SHA-256 digests as the lowercase hex text blobs are named by.
enum HexDigest {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Lowercase hex of some bytes.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The lowercase hex of a finished SHA-256.
    static func hex(_ hasher: SHA256) -> String {
        hex(hasher.finalize())
    }

    /// True for 64 lowercase hexadecimal characters: the only text ever used to name a blob file.
    static func isSHA256(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
