import Foundation
import Testing
@testable import GreenMineShared

/// The attachment slot table and the checks client and server both run.
@Suite("AttachmentRules")
struct AttachmentRulesTests {
    static let mb: Int64 = 1_048_576

    /// A made-up SHA-256 for the n-th file.
    static func sha(_ n: Int) -> String {
        let hex = String(n, radix: 16)
        return String(repeating: "0", count: 64 - hex.count) + hex
    }

    /// n attachments already in a slot.
    static func existing(_ n: Int, slot: String, type: ContentType, size: Int64 = 1000) -> [AttachmentRef] {
        (0..<n).map {
            AttachmentRef(slot: slot, sha256: sha($0), size: size, mime: type.mime, name: "file\($0)")
        }
    }

    /// Runs the single-file check for a new file.
    static func check(
        _ slot: String, _ kind: RecordKind, size: Int64, type: ContentType?, name: String = "f",
        sha256: String? = nil, existing: [AttachmentRef] = []
    ) -> RuleViolation? {
        AttachmentRules.check(
            slot: slot, kind: kind, sha256: sha256, size: size, type: type, name: name, existing: existing)
    }

    @Test func tableHoldsTheAgreedSlots() throws {
        #expect(AttachmentRules.megabyte == 1_048_576)
        #expect(10 * AttachmentRules.megabyte == 10_485_760)
        #expect(AttachmentRules.slots.map(\.id) == [
            "pre.image", "app.pdf", "app.image", "app.video", "evidence.pdf", "evidence.image",
            "assessment.report", "appeal.file",
        ])
        #expect(Set(AttachmentRules.slots.map(\.id)).count == AttachmentRules.slots.count)
        #expect(AttachmentRules.slots(for: .application).map(\.id) == ["app.pdf", "app.image", "app.video"])
        #expect(AttachmentRules.slots(for: .preApplication).map(\.accepts) == [[.image]])
        #expect(AttachmentRules.slots(for: .notice).isEmpty)
        let video = try #require(AttachmentRules.slot("app.video"))
        #expect(video.maxCount == 5 && video.maxBytes == 100 * Self.mb && video.accepts == [.video])
        let report = try #require(AttachmentRules.slot("assessment.report"))
        #expect(report.kind == .assessment && report.maxCount == 3 && report.maxBytes == 50 * Self.mb)
        #expect(AttachmentRules.slot("appeal.file")?.accepts == [.pdf, .image])
        #expect(AttachmentRules.slot("nope") == nil)
        #expect(AttachmentRules.slots.filter { $0.minCount > 0 }.map(\.id) == ["pre.image"])
        #expect(AttachmentRules.maxBytes == 104_857_600)
    }

    @Test func exactlyTenMegabytesIsAcceptedAndOneByteMoreIsNot() throws {
        #expect(Self.check("app.pdf", .application, size: 10_485_760, type: .pdf) == nil)
        let violation = try #require(Self.check("app.pdf", .application, size: 10_485_761, type: .pdf, name: "报告.pdf"))
        #expect(violation.code == "attachment_too_large")
        #expect(violation.message.zh.contains("报告.pdf") && violation.message.zh.contains("10 MB"))
        #expect(violation.message.en.contains("10,485,761") && violation.message.en.contains("10 MB"))
        #expect(Self.check("app.image", .application, size: 10 * Self.mb + 1, type: .png)?.code == "attachment_too_large")
        #expect(Self.check("pre.image", .preApplication, size: 10 * Self.mb, type: .heic) == nil)
    }

    @Test func theEleventhPDFIsRefused() throws {
        let ten = Self.existing(10, slot: "app.pdf", type: .pdf)
        #expect(Self.check("app.pdf", .application, size: 1000, type: .pdf, existing: Array(ten.prefix(9))) == nil)
        let violation = try #require(Self.check(
            "app.pdf", .application, size: 1000, type: .pdf, name: "第11个.pdf", sha256: Self.sha(99), existing: ten))
        #expect(violation.code == "attachment_too_many")
        #expect(violation.message.zh.contains("10") && violation.message.zh.contains("第11个.pdf"))
        #expect(violation.message.en.contains("at most 10"))
        // Files in other slots do not count against this one.
        let images = Self.existing(10, slot: "app.image", type: .jpeg)
        #expect(Self.check("app.pdf", .application, size: 1000, type: .pdf, existing: images) == nil)
    }

    @Test func aJPEGNamedPDFIsAJPEG() throws {
        let bytes: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [0, 1, 1, 0]
        let type = ContentSniffer.detect(head: bytes)
        #expect(type == .jpeg)
        let refused = try #require(Self.check("app.pdf", .application, size: 5000, type: type, name: "scan.pdf"))
        #expect(refused.code == "attachment_type")
        #expect(refused.message.en.contains("scan.pdf") && refused.message.en.contains("JPEG"))
        #expect(Self.check("app.image", .application, size: 5000, type: type, name: "scan.pdf") == nil)
    }

    @Test func aPDFOfferedToAPreApplicationIsRefused() throws {
        let violation = try #require(Self.check("pre.image", .preApplication, size: 5000, type: .pdf, name: "材料.pdf"))
        #expect(violation.code == "attachment_type")
        #expect(violation.message.zh.contains("预申报环节附件只支持图片格式"))
        #expect(violation.message.zh.contains("材料.pdf"))
        // Nor can a pre-application use an application's PDF slot.
        #expect(Self.check("app.pdf", .preApplication, size: 5000, type: .pdf)?.code == "attachment_slot")
    }

    @Test func videosUpTo100MegabytesAndFiveOfThem() throws {
        #expect(Self.check("app.video", .application, size: 100 * Self.mb, type: .mp4) == nil)
        #expect(Self.check("app.video", .application, size: 100 * Self.mb, type: .mov) == nil)
        let large = try #require(Self.check("app.video", .application, size: 100 * Self.mb + 1, type: .mp4))
        #expect(large.code == "attachment_too_large" && large.message.en.contains("100 MB"))
        let five = Self.existing(5, slot: "app.video", type: .mp4)
        #expect(Self.check("app.video", .application, size: 1000, type: .mp4, existing: Array(five.prefix(4))) == nil)
        let sixth = try #require(Self.check("app.video", .application, size: 1000, type: .mp4, existing: five))
        #expect(sixth.code == "attachment_too_many" && sixth.message.en.contains("at most 5"))
    }

    @Test func reattachingTheSameFileIsNotOneMore() {
        let ten = Self.existing(10, slot: "app.pdf", type: .pdf)
        #expect(Self.check("app.pdf", .application, size: 1000, type: .pdf, sha256: Self.sha(3), existing: ten) == nil)
        #expect(Self.check(
            "app.pdf", .application, size: 1000, type: .pdf, sha256: Self.sha(3).uppercased(), existing: ten) == nil)
        // The same content in another slot is a new file there.
        let images = Self.existing(10, slot: "app.image", type: .jpeg)
        #expect(Self.check(
            "app.image", .application, size: 1000, type: .jpeg, sha256: Self.sha(42),
            existing: images)?.code == "attachment_too_many")
        // A record listing the same blob twice in a slot counts it once.
        let doubled = Self.existing(10, slot: "app.pdf", type: .pdf) + Self.existing(1, slot: "app.pdf", type: .pdf)
        #expect(AttachmentRules.check(record: doubled, kind: .application).isEmpty)
    }

    @Test func otherRefusals() {
        #expect(Self.check("app.pdf", .application, size: 0, type: .pdf)?.code == "attachment_empty")
        #expect(Self.check("app.pdf", .application, size: -5, type: .pdf)?.code == "attachment_empty")
        let unknown = Self.check("app.pdf", .application, size: 100, type: nil, name: "virus.pdf")
        #expect(unknown?.code == "attachment_unrecognized")
        #expect(unknown?.message.en.contains("not a PDF, JPEG, PNG, WebP, HEIC, MP4 or MOV file") == true)
        #expect(Self.check("no.such", .application, size: 100, type: .pdf)?.code == "attachment_slot")
        #expect(Self.check("app.pdf", .notice, size: 100, type: .pdf)?.code == "attachment_slot")
        #expect(Self.check("appeal.file", .appeal, size: 100, type: .pdf) == nil)
        #expect(Self.check("appeal.file", .appeal, size: 100, type: .webp) == nil)
        #expect(Self.check("appeal.file", .appeal, size: 100, type: .mp4)?.code == "attachment_type")
        #expect(Self.check("assessment.report", .assessment, size: 50 * Self.mb, type: .pdf) == nil)
        #expect(Self.check("assessment.report", .assessment, size: 50 * Self.mb + 1, type: .pdf)?.code
            == "attachment_too_large")
        #expect(Self.check("evidence.image", .evidence, size: 100, type: .jpeg) == nil)
    }

    @Test func recordCheckFindsAPlantedOversizeFileAndAnOverCountSlot() throws {
        var attachments = Self.existing(3, slot: "app.pdf", type: .pdf)
        attachments.append(AttachmentRef(
            slot: "app.image", sha256: Self.sha(100), size: 10 * Self.mb + 1, mime: "image/png", name: "big.png"))
        attachments += (0..<6).map {
            AttachmentRef(slot: "app.video", sha256: Self.sha(200 + $0), size: 1000, mime: "video/mp4", name: "v\($0).mp4")
        }
        let issues = AttachmentRules.check(record: attachments, kind: .application)
        #expect(issues.map(\.index) == [3, 9])
        #expect(issues.map(\.path) == ["attachments[3]", "attachments[9]"])
        #expect(issues.map(\.violation.code) == ["attachment_too_large", "attachment_too_many"])
        #expect(issues[0].violation.message.en.contains("big.png"))
        #expect(issues[1].violation.message.en.contains("at most 5") && issues[1].violation.message.en.contains("6"))
    }

    @Test func recordCheckFindsWrongSlotsTypesAndEmptyFiles() {
        let attachments = [
            AttachmentRef(slot: "app.pdf", sha256: Self.sha(1), size: 100, mime: "application/pdf", name: "ok.pdf"),
            AttachmentRef(slot: "pre.image", sha256: Self.sha(2), size: 100, mime: "image/png", name: "wrong-kind.png"),
            AttachmentRef(slot: "app.pdf", sha256: Self.sha(3), size: 100, mime: "image/jpeg", name: "photo.pdf"),
            AttachmentRef(slot: "app.image", sha256: Self.sha(4), size: 100, mime: "application/x-msdownload", name: "x.exe"),
            AttachmentRef(slot: "app.image", sha256: Self.sha(5), size: 0, mime: "image/png", name: "empty.png"),
        ]
        let issues = AttachmentRules.check(record: attachments, kind: .application)
        #expect(issues.map(\.index) == [1, 2, 3, 4])
        #expect(issues.map(\.violation.code) == [
            "attachment_slot", "attachment_type", "attachment_unrecognized", "attachment_empty",
        ])
        #expect(AttachmentRules.check(record: [], kind: .application).isEmpty)
    }
}
