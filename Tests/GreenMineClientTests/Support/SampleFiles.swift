import Crypto
import Foundation

/// Files of every kind the attachment tests need, written into a test folder: real magic bytes,
/// pseudo-random content (distinct per seed), proper endings.
struct SampleFiles {
    let folder: URL

    init(root: URL) {
        folder = root.appendingPathComponent("files")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// A JPEG of `size` bytes: SOI marker, filler, EOI marker.
    func jpeg(_ name: String, size: Int = 4096, seed: UInt64 = 1) throws -> URL {
        try write(name, [0xFF, 0xD8, 0xFF, 0xE0] + Self.bytes(size - 6, seed: seed) + [0xFF, 0xD9])
    }

    /// A JPEG cut short: no EOI marker at the end.
    func truncatedJPEG(_ name: String, size: Int = 4096) throws -> URL {
        try write(name, [0xFF, 0xD8, 0xFF, 0xE0] + Self.bytes(size - 4, seed: 99).map { $0 == 0xFF ? 0 : $0 })
    }

    /// A PDF: header, filler, `%%EOF`.
    func pdf(_ name: String, size: Int = 4096, seed: UInt64 = 1) throws -> URL {
        let head = Array("%PDF-1.7\n".utf8)
        let tail = Array("\n%%EOF\n".utf8)
        return try write(name, head + Self.bytes(size - head.count - tail.count, seed: seed) + tail)
    }

    /// An MP4 (`ftyp` box with brand `mp42`) of `size` bytes.
    func mp4(_ name: String, size: Int = 4096, seed: UInt64 = 1) throws -> URL {
        try write(name, Self.ftyp + Self.bytes(size - Self.ftyp.count, seed: seed))
    }

    /// A sparse MP4 of `size` bytes: the header, then a hole (nothing is written or read).
    func sparseMP4(_ name: String, size: Int64) throws -> URL {
        let url = try write(name, Self.ftyp)
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: UInt64(size))
        try handle.close()
        return url
    }

    /// A Linux executable (ELF header).
    func elf(_ name: String, size: Int = 4096) throws -> URL {
        try write(name, [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00] + Self.bytes(size - 8, seed: 7))
    }

    /// The lowercase hex SHA-256 of a file.
    static func sha256(_ url: URL) throws -> String {
        SHA256.hash(data: try Data(contentsOf: url)).map { String(format: "%02x", $0) }.joined()
    }

    static let ftyp: [UInt8] = [0, 0, 0, 0x18] + Array("ftypmp42".utf8) + [0, 0, 0, 0] + Array("mp42isom".utf8)

    /// Deterministic filler (SplitMix64).
    static func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15
        var out: [UInt8] = []
        out.reserveCapacity(count + 8)
        while out.count < count {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            withUnsafeBytes(of: (z ^ (z >> 31)).littleEndian) { out.append(contentsOf: $0) }
        }
        return Array(out.prefix(count))
    }

    @discardableResult
    private func write(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }
}
