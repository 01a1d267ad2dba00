import Foundation

/// Files that pass GreenMine's attachment rules, which judge content by magic bytes (and a JPEG's
/// or PDF's ending): the right header and trailer around pseudo-random filler that does not compress.
public enum SampleMedia {
    /// Pseudo-random bytes (the same for the same seed).
    public static func filler(_ count: Int, seed: UInt64) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: max(0, count))
        var state = (seed &+ 1) &* 0x9E37_79B9_7F4A_7C15
        for index in stride(from: 0, to: bytes.count, by: 8) {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            withUnsafeBytes(of: state) { word in
                for offset in 0..<min(8, bytes.count - index) { bytes[index + offset] = word[offset] }
            }
        }
        return bytes
    }

    /// A JPEG of `size` bytes: SOI and a JFIF APP0 segment, filler, EOI.
    public static func jpeg(_ size: Int, seed: UInt64) -> Data {
        let head: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0]
        return Data(head + filler(size - head.count - 2, seed: seed) + [0xFF, 0xD9])
    }

    /// A PDF of `size` bytes: the header, filler, `%%EOF`.
    public static func pdf(_ size: Int, seed: UInt64) -> Data {
        let head = Array("%PDF-1.4\n".utf8)
        let tail = Array("\n%%EOF\n".utf8)
        return Data(head + filler(size - head.count - tail.count, seed: seed) + tail)
    }

    /// An MP4 of `size` bytes: an `ftyp isom` box, then filler.
    public static func mp4(_ size: Int, seed: UInt64) -> Data {
        let head: [UInt8] = [0, 0, 0, 0x18] + Array("ftypisom".utf8) + [0, 0, 2, 0] + Array("isomiso2".utf8)
        return Data(head + filler(size - head.count, seed: seed))
    }
}
