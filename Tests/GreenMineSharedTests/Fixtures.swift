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
        Record(id: UUID(), kind: .application, orgId: creditCode, region: "130102", fields: [
            "basic.holder": .string("石家庄绿源矿业有限公司"),
            "basic.mineName": .string("长安区绿源石灰岩矿"),
            "basic.creditCode": .string(creditCode),
            "basic.economicType": .string("limitedLiability"),
            "basic.address": .string("河北省石家庄市长安区矿山路1号"),
            "basic.region": .string("130102"),
            "basic.licenceNumber": .string("C1301002009127130054321"),
            "basic.licenceValidFrom": .string("2020-01-01"),
            "basic.licenceValidTo": .string("2030-12-31"),
            "basic.mainMineral": .string("水泥用灰岩"),
            "basic.miningMethod": .string("openPit"),
            "basic.productionScale": .double(120),
            "basic.designScale": .double(150),
            "basic.area": .double(1.25),
            "basic.designServiceLife": .int(20),
            "basic.legalRepresentative": .string("张三"),
            "contact.person": .string("李四"),
            "contact.mobile": .string("13812345678"),
            "contact.phone": .string("0311-87654321"),
            "contact.email": .string("lisi@example.com"),
            "contact.address": .string("河北省石家庄市长安区矿山路1号"),
            "contact.postalCode": .string("050000"),
            "indicators.miningRecoveryRate": .double(95),
            "indicators.processingRecoveryRate": .double(90),
            "indicators.comprehensiveUtilizationRate": .double(85),
            "indicators.greeningCoverageRate": .double(92.5),
            "indicators.solidWasteUtilizationRate": .double(80),
            "indicators.wastewaterUtilizationRate": .double(100),
            "indicators.landReclamationRate": .double(88),
            "indicators.annualOutputValue": .double(12000),
            "indicators.annualTaxProfit": .double(1500),
            "indicators.employees": .int(240),
            "status.environment": .string("矿区道路硬化，设置洒水降尘。"),
            "status.developmentMode": .string("采用台阶式开采。"),
            "status.comprehensiveUtilization": .string("废石用于骨料生产。"),
            "status.energySaving": .string("更换高效电机。"),
            "status.innovation": .string("建设智能调度系统。"),
            "status.management": .string("建立绿色矿山管理制度。"),
        ], attachments: [pdf, photo])
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
