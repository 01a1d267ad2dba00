import Foundation

/// A complete, valid filing for one mine — every field of the pre-application and application forms,
/// the optional ones included — consistent with the demonstration data's enterprise 1 (licence
/// `C1301002020127130000001`, county 长安区 130102). The tests of every target start from it, and
/// `scripts/demo/application.fields` types the same values (a test keeps the two equal).
public enum SampleFiling {
    /// 长安区, 石家庄市, 河北省.
    public static let region = "130102"
    /// The demonstration enterprise 1's mining licence.
    public static let licence = "C1301002020127130000001"
    /// The demonstration enterprise 1's unified social credit code.
    public static let creditCode = "91130101MA0DEM0X14"

    /// Every field of the pre-application form but the registry's (region and licence number).
    public static let preApplication: [String: JSONValue] = [
        "basic.mineName": .string("长安区绿源石灰岩矿"),
        "prerequisites.licencesValid": .bool(true),
        "prerequisites.noPenalty": .bool(true),
        "prerequisites.disclosure": .bool(true),
        "prerequisites.normalOperation": .bool(true),
        "prerequisites.outsideProtectedAreas": .bool(true),
        "remarks.text": .string("现场核实：五项先决条件均符合。"),
    ]

    /// Every field of the application form, for this region, licence and credit code.
    public static func application(region: String = region, licence: String = licence,
                                   creditCode: String = creditCode) -> [String: JSONValue] {
        [
            "basic.holder": .string("石家庄长安绿源矿业有限公司"),
            "basic.mineName": .string("长安区绿源石灰岩矿"),
            "basic.creditCode": .string(creditCode),
            "basic.economicType": .string("limitedLiability"),
            "basic.address": .string("河北省石家庄市长安区矿山路1号"),
            "basic.region": .string(region),
            "basic.licenceNumber": .string(licence),
            "basic.licenceValidFrom": .string("2021-01-01"),
            "basic.licenceValidTo": .string("2031-12-31"),
            "basic.mainMineral": .string("水泥用灰岩"),
            "basic.associatedMinerals": .string("白云岩"),
            "basic.miningMethod": .string("openPit"),
            "basic.productionScale": .double(60),
            "basic.designScale": .double(80),
            "basic.area": .double(1.2),
            "basic.designServiceLife": .int(20),
            "basic.legalRepresentative": .string("张三"),
            "contact.person": .string("李四"),
            "contact.position": .string("安全环保部部长"),
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
        ]
    }

    /// A value as a user types it on the command line: 是/否 for yes/no, plain numbers, text as is.
    public static func typed(_ value: JSONValue) -> String {
        switch value {
        case .bool(let flag): flag ? "是" : "否"
        case .string(let text): text
        case .null: ""
        default: value.display
        }
    }

    /// `PATH=VALUE` arguments for `greenmine pre set` / `app set`, sorted by path.
    public static func assignments(_ fields: [String: JSONValue]) -> [String] {
        fields.keys.sorted().map { "\($0)=\(typed(fields[$0] ?? .null))" }
    }
}
