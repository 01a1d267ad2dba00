import Foundation
import GreenMineShared

/// Values that pass every rule, to start tests from.
enum Fixtures {
    static let licence = "C1301002009127130054321"
    static let region = "130102"

    static var licenceInfo: LicenceInfo {
        LicenceInfo(number: licence, holder: "石家庄绿源矿业有限公司", creditCode: FakeServer.orgId,
                    mineName: "长安区绿源石灰岩矿", mainMineral: "水泥用灰岩", miningMethod: "openPit", scale: 120,
                    area: 1.25, region: region, validFrom: "2020-01-01", validTo: "2030-12-31")
    }

    /// Every prerequisite declared met.
    static let prerequisites = [
        "prerequisites.licencesValid=是", "prerequisites.noPenalty=是", "prerequisites.disclosure=yes",
        "prerequisites.normalOperation=true", "prerequisites.outsideProtectedAreas=1",
    ]

    /// The application fields the registry does not fill, as `PATH=VALUE`.
    static let applicationAnswers = [
        "basic.economicType=有限责任公司", "basic.address=河北省石家庄市长安区矿山路1号", "basic.designScale=150",
        "basic.designServiceLife=20", "basic.legalRepresentative=张三",
        "contact.person=李四", "contact.mobile=13812345678", "contact.email=lisi@example.com",
        "contact.address=河北省石家庄市长安区矿山路1号", "contact.postalCode=050000",
        "indicators.miningRecoveryRate=95", "indicators.comprehensiveUtilizationRate=85%",
        "indicators.greeningCoverageRate=92.5", "indicators.solidWasteUtilizationRate=80",
        "indicators.wastewaterUtilizationRate=100", "indicators.landReclamationRate=88",
        "indicators.annualOutputValue=12000", "indicators.annualTaxProfit=1500", "indicators.employees=240",
        "status.environment=矿区道路硬化", "status.developmentMode=台阶式开采", "status.comprehensiveUtilization=废石利用",
        "status.energySaving=高效电机", "status.innovation=智能调度", "status.management=管理制度",
    ]
}
