import Foundation
import Testing
@testable import GreenMineShared

/// Content sniffing by magic bytes, and the end-of-file checks.
@Suite("ContentSniffer")
struct ContentSnifferTests {
    /// A head padded to `ContentSniffer.headLength` bytes as a real file's first bytes would be.
    static func head(_ bytes: [UInt8]) -> [UInt8] {
        bytes + Array(repeating: 0x00, count: max(0, ContentSniffer.headLength - bytes.count))
    }

    /// The bytes of an ASCII text.
    static func ascii(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// An ISO-BMFF `ftyp` box with a major brand and compatible brands.
    static func ftyp(_ major: String, _ compatible: [String] = []) -> [UInt8] {
        let size = UInt32(16 + 4 * compatible.count)
        let sizeBytes = [UInt8(size >> 24), UInt8(size >> 16 & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size & 0xFF)]
        return sizeBytes + ascii("ftyp") + ascii(major) + [0, 0, 0, 0] + compatible.flatMap(ascii)
    }

    static let jpegHead: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [0x00, 0x01]

    @Test(arguments: [
        (ascii("%PDF-1.7\n%\u{E2}\u{E3}\n1 0 obj"), ContentType.pdf),
        (jpegHead, .jpeg),
        ([0xFF, 0xD8, 0xFF, 0xE1, 0x12, 0x34] + ascii("Exif"), .jpeg),
        ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + ascii("IHDR"), .png),
        (ascii("RIFF") + [0x24, 0x10, 0x00, 0x00] + ascii("WEBPVP8 "), .webp),
        (ftyp("heic", ["mif1", "heic"]), .heic),
        (ftyp("heix", ["mif1"]), .heic),
        (ftyp("mif1", ["heic", "miaf"]), .heic),
        (ftyp("msf1", ["hevc"]), .heic),
        (ftyp("isom", ["isom", "iso2", "avc1", "mp41"]), .mp4),
        (ftyp("mp42", ["mp42", "isom"]), .mp4),
        (ftyp("M4V ", ["M4V ", "mp42"]), .mp4),
        (ftyp("3gp5", ["3gp5", "isom"]), .mp4),
        (ftyp("dash", ["iso6", "mp41"]), .mp4),
        (ftyp("abcd", ["mp42", "isom"]), .mp4),
        (ftyp("qt  ", ["qt  "]), .mov),
        ([0, 0, 0, 8] + ascii("wide") + [0, 0, 0x12, 0x34] + ascii("mdat"), .mov),
        ([0, 0, 0x01, 0x00] + ascii("moov") + [0, 0, 0, 0x6C] + ascii("mvhd"), .mov),
        ([0, 0, 0x10, 0x00] + ascii("mdat"), .mov),
    ])
    func detectsEachType(bytes: [UInt8], expected: ContentType) {
        #expect(ContentSniffer.detect(head: Self.head(bytes)) == expected)
        // The first bytes alone decide: the same header without padding gives the same answer.
        #expect(ContentSniffer.detect(head: bytes) == expected)
    }

    @Test(arguments: [
        [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00] as [UInt8],   // ELF
        ascii("MZ") + [0x90, 0x00, 0x03, 0x00],                        // PE / DOS
        ascii("#!/bin/sh\necho hi\n"),                                 // shebang script
        ascii("#!/usr/bin/env python3\n%PDF-1.7"),                     // a script pretending
        ascii("Hello, this is plain text, not a PDF.\n"),
        ascii("<html><body>%PDF-</body></html>"),
        [],
        [0xFF, 0xD8],                                                  // too short for JPEG
        ascii("RIFF") + [0, 0, 0, 0] + ascii("WAVEfmt "),              // RIFF but not WebP
        ftyp("M4A ", ["M4A ", "mp42", "isom"]),                        // audio only, not a video
        ftyp("crx ", ["crx "]),                                        // a camera raw, not accepted
        [0x47, 0x49, 0x46, 0x38, 0x39, 0x61],                          // GIF89a (not accepted)
    ])
    func rejectsEverythingElse(bytes: [UInt8]) {
        #expect(ContentSniffer.detect(head: bytes) == nil)
        #expect(ContentSniffer.detect(head: Self.head(bytes)) == nil)
    }

    @Test func headLengthIsEnough() {
        #expect(ContentSniffer.headLength == 64)
        // Only the first headLength bytes count: a long head decides the same way.
        let long = Self.jpegHead + Array(repeating: 0x41, count: 10_000)
        #expect(ContentSniffer.detect(head: long) == .jpeg)
    }

    @Test func jpegCompleteness() {
        let body = Self.jpegHead + Array(repeating: 0x55, count: 100)
        #expect(ContentSniffer.isComplete(.jpeg, tail: body + [0xFF, 0xD9]))
        #expect(ContentSniffer.isComplete(.jpeg, tail: body + [0xFF, 0xD9, 0x00, 0x00, 0x00]))
        #expect(!ContentSniffer.isComplete(.jpeg, tail: body))                  // truncated: no FF D9
        #expect(!ContentSniffer.isComplete(.jpeg, tail: body + [0xFF, 0xD9, 0x55]))
        #expect(!ContentSniffer.isComplete(.jpeg, tail: [0xD9]))
        #expect(!ContentSniffer.isComplete(.jpeg, tail: []))
        #expect(!ContentSniffer.isComplete(.jpeg, tail: [0, 0, 0]))
    }

    @Test func pdfCompleteness() {
        let body = Self.ascii("%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\nstartxref\n123\n")
        #expect(ContentSniffer.isComplete(.pdf, tail: body + Self.ascii("%%EOF\n")))
        #expect(ContentSniffer.isComplete(.pdf, tail: body + Self.ascii("%%EOF")))
        #expect(!ContentSniffer.isComplete(.pdf, tail: body))                   // no %%EOF
        #expect(!ContentSniffer.isComplete(.pdf, tail: []))
        // %%EOF further back than the last 1024 bytes does not count.
        let far = body + Self.ascii("%%EOF\n") + Array(repeating: 0x20, count: 1024)
        #expect(!ContentSniffer.isComplete(.pdf, tail: far))
        let near = body + Self.ascii("%%EOF\n") + Array(repeating: 0x20, count: 1000)
        #expect(ContentSniffer.isComplete(.pdf, tail: near))
    }

    @Test func otherTypesAreNotCheckedForCompleteness() {
        for type in [ContentType.png, .webp, .heic, .mp4, .mov] {
            #expect(ContentSniffer.isComplete(type, tail: []))
        }
    }

    @Test func contentTypesMapToMimeAndBack() {
        #expect(ContentType.allCases.map(\.mime) == [
            "application/pdf", "image/jpeg", "image/png", "image/webp", "image/heic", "video/mp4", "video/quicktime",
        ])
        for type in ContentType.allCases {
            #expect(ContentType(mime: type.mime) == type)
            #expect(!type.label.zh.isEmpty && !type.label.en.isEmpty)
        }
        #expect(ContentType(mime: "IMAGE/JPEG; charset=binary") == .jpeg)
        #expect(ContentType(mime: "application/x-executable") == nil)
        #expect(ContentType.pdf.category == .pdf)
        #expect(ContentType.heic.category == .image)
        #expect(ContentType.mov.category == .video)
        #expect(ContentType.acceptedList.en == "PDF, JPEG, PNG, WebP, HEIC, MP4 or MOV")
    }
}
