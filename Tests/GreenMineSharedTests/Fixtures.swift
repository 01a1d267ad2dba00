import Foundation
@testable import GreenMineShared

/// Complete, valid records to start tests from.
enum Fixtures {
    static let now = Date(timeIntervalSince1970: 1_796_113_800) // 2026-12-01T08:30:00Z
    static let context = DataCheckContext(now: now)

    /// A valid credit code made by the GB 32100 algorithm.
    static var creditCode: String {
        let first17 = "91130102MA0A1B2C3"
        return first17 + String(CreditCode.checkCharacter(forFirst17: first17) ?? "0")
    }

    static let pdf = AttachmentRef(slot: "app.pdf", sha256: String(repeating: "a", count: 64), size: 2_000_000,
                                   mime: "application/pdf", name: "自评报告.pdf")
    static let photo = AttachmentRef(slot: "app.image", sha256: String(repeating: "b", count: 64), size: 3_000_000,
                                     mime: "image/jpeg", name: "矿区全貌.jpg")

    static var application: Record {
        Record(id: UUID(), kind: .application, orgId: creditCode, region: "130102",
               fields: SampleFiling.application(licence: "C1301002009127130054321", creditCode: creditCode),
               attachments: [pdf, photo])
    }

    static var preApplication: Record {
        Record(id: UUID(), kind: .preApplication, orgId: creditCode, region: "130102", fields: [
            "basic.region": .string("130102"),
            "basic.licenceNumber": .string("C1301002009127130054321"),
            "prerequisites.licencesValid": .bool(true),
            "prerequisites.noPenalty": .bool(true),
            "prerequisites.disclosure": .bool(true),
            "prerequisites.normalOperation": .bool(true),
            "prerequisites.outsideProtectedAreas": .bool(true),
        ], attachments: [AttachmentRef(slot: "pre.image", sha256: String(repeating: "c", count: 64), size: 1000,
                                       mime: "image/png", name: "现场照片.png")])
    }
}
