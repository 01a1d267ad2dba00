import Foundation

/// Finds a file's type from its magic bytes, never from its declared name or media type.
///
/// The client and the server read the first `headLength` bytes of a file (and the last
/// `tailLength` bytes for `isComplete`), so neither needs the whole file in memory. A file whose
/// name says `.pdf` but whose bytes are a JPEG is a JPEG; an executable is no accepted type at all.
public enum ContentSniffer {
    /// How many leading bytes `detect(head:)` needs to decide.
    public static let headLength = 64
    /// How many trailing bytes `isComplete(_:tail:)` looks at.
    public static let tailLength = 1024

    /// The type of a file from its first bytes (at least `headLength` when the file is that long);
    /// nil for anything else, including executables (ELF, PE `MZ`, `#!` scripts) and empty files.
    public static func detect(head: [UInt8]) -> ContentType? {
        let bytes = head.prefix(headLength)
        if isExecutable(bytes) { return nil }
        if bytes.starts(with: Array("%PDF-".utf8)) { return .pdf }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if ascii(bytes, at: 0, count: 4) == "RIFF", ascii(bytes, at: 8, count: 4) == "WEBP" { return .webp }
        return isoMediaType(bytes)
    }

    /// Whether a file of this type ends as it should, from its last bytes (up to `tailLength`):
    /// a JPEG ends with the EOI marker FF D9 (trailing zero padding allowed), a PDF has `%%EOF`
    /// in its last 1024 bytes; other types are not checked and answer true.
    public static func isComplete(_ type: ContentType, tail: [UInt8]) -> Bool {
        switch type {
        case .jpeg:
            var end = tail.endIndex
            while end > tail.startIndex, tail[end - 1] == 0x00 { end -= 1 }
            return end - tail.startIndex >= 2 && tail[end - 2] == 0xFF && tail[end - 1] == 0xD9
        case .pdf:
            let window = Array(tail.suffix(tailLength))
            let marker = Array("%%EOF".utf8)
            guard window.count >= marker.count else { return false }
            return (0...(window.count - marker.count)).contains { start in
                window[start..<(start + marker.count)].elementsEqual(marker)
            }
        case .png, .webp, .heic, .mp4, .mov:
            return true
        }
    }

    /// HEIF major brands (`ftyp`) that make a file HEIC.
    static let heicBrands: Set<String> = ["heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"]
    /// ISO/MP4 major brands that make a file MP4 (video and fragmented/3GPP variants).
    static let mp4Brands: Set<String> = [
        "isom", "iso2", "iso3", "iso4", "iso5", "iso6", "mp41", "mp42", "avc1", "M4V ", "M4VH", "M4VP",
        "dash", "3gp4", "3gp5", "3gp6", "3gp7", "3g2a", "mmp4", "MSNV", "f4v ", "XAVC",
    ]
    /// Audio-only MP4 major brands: not a video, so not accepted even when `mp42` is compatible.
    static let audioBrands: Set<String> = ["M4A ", "M4B ", "M4P ", "F4A ", "F4B "]
    /// The QuickTime brand.
    static let movBrand = "qt  "
    /// Atom types a classic QuickTime file (without `ftyp`) may start with.
    static let movFirstAtoms: Set<String> = ["moov", "mdat", "wide", "free", "skip", "pnot"]

    /// HEIC, MP4 or MOV from an ISO base media file: the `ftyp` brands, or a QuickTime first atom.
    private static func isoMediaType(_ bytes: ArraySlice<UInt8>) -> ContentType? {
        guard let size = bigEndian32(bytes, at: 0), let atom = ascii(bytes, at: 4, count: 4) else { return nil }
        guard size == 0 || size == 1 || size >= 8 else { return nil }
        if atom == "ftyp" {
            guard size >= 12 || size == 0, let major = ascii(bytes, at: 8, count: 4) else { return nil }
            if let type = brandType(major) { return type }
            if audioBrands.contains(major) { return nil }
            // Unknown major brand: look at the compatible brands that fit in the box and the head.
            let end = min(size == 0 ? bytes.count : Int(size), bytes.count)
            var compatible: [String] = []
            var offset = 16
            while offset + 4 <= end {
                if let brand = ascii(bytes, at: offset, count: 4) { compatible.append(brand) }
                offset += 4
            }
            if compatible.contains(where: heicBrands.contains) { return .heic }
            if compatible.contains(movBrand) { return .mov }
            if compatible.contains(where: mp4Brands.contains) { return .mp4 }
            return nil
        }
        return movFirstAtoms.contains(atom) ? .mov : nil
    }

    /// The type a single `ftyp` brand stands for, if it is one of ours.
    private static func brandType(_ brand: String) -> ContentType? {
        if heicBrands.contains(brand) { return .heic }
        if brand == movBrand { return .mov }
        if mp4Brands.contains(brand) { return .mp4 }
        return nil
    }

    /// ELF, PE/DOS (`MZ`) and `#!` scripts.
    private static func isExecutable(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.starts(with: [0x7F, 0x45, 0x4C, 0x46])
            || bytes.starts(with: Array("MZ".utf8))
            || bytes.starts(with: Array("#!".utf8))
    }

    /// `count` bytes at `offset` as text, when they are all printable ASCII (or space).
    private static func ascii(_ bytes: ArraySlice<UInt8>, at offset: Int, count: Int) -> String? {
        let start = bytes.startIndex + offset
        guard offset >= 0, start + count <= bytes.endIndex else { return nil }
        let slice = bytes[start..<(start + count)]
        guard slice.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
        return String(decoding: slice, as: UTF8.self)
    }

    /// The big-endian 32-bit number at `offset`.
    private static func bigEndian32(_ bytes: ArraySlice<UInt8>, at offset: Int) -> UInt32? {
        let start = bytes.startIndex + offset
        guard offset >= 0, start + 4 <= bytes.endIndex else { return nil }
        return bytes[start..<(start + 4)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    }
}
