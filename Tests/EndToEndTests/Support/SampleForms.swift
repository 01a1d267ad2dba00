import Foundation
import GreenMineShared

/// Complete, valid form contents for demo enterprise 1 (licence 1, county 130102), as the tests
/// type them on the command line and as the server must end up holding them.
enum SampleForms {
    static let region = "130102"
    /// DemoData.licence(1): the licence of demo enterprise 1.
    static let licence1 = "C1301002020127130000001"

    /// Every field of the pre-application form, the optional remark included.
    static let preApplication: [String: JSONValue] = [
        "basic.mineName": .string("长安区绿源石灰岩矿"),
        "prerequisites.licencesValid": .bool(true),
        "prerequisites.noPenalty": .bool(true),
        "prerequisites.disclosure": .bool(true),
        "prerequisites.normalOperation": .bool(true),
        "prerequisites.outsideProtectedAreas": .bool(true),
        "remarks.text": .string("现场核实：五项先决条件均符合。"),
    ]

    /// Every field of the application form (the optional ones included), consistent with the
    /// licence registry's entry for licence 1 and with organisation 1's credit code.
    static let application: [String: JSONValue] = [
        "basic.holder": .string("石家庄长安绿源矿业有限公司"),
        "basic.mineName": .string("长安区绿源石灰岩矿"),
        "basic.creditCode": .string("91130101MA0DEM0X14"),
        "basic.economicType": .string("limitedLiability"),
        "basic.address": .string("河北省石家庄市长安区矿山路1号"),
        "basic.region": .string(region),
        "basic.licenceNumber": .string(licence1),
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

    /// A value as a user types it: 是/否 for yes/no, plain numbers, text as is.
    static func typed(_ value: JSONValue) -> String {
        switch value {
        case .bool(let flag): flag ? "是" : "否"
        case .string(let text): text
        case .null: ""
        default: value.display
        }
    }

    /// `PATH=VALUE` arguments for `pre set` / `app set`.
    static func assignments(_ fields: [String: JSONValue]) -> [String] {
        fields.keys.sorted().map { "\($0)=\(typed(fields[$0] ?? .null))" }
    }

    /// The fields of one section of the application form, in the order `app fill` asks for them.
    static func section(_ id: String) -> [FormField] {
        FormSchema.sections(for: .application).first { $0.id == id }?.fields ?? []
    }

    /// A 1×1 PNG (content type comes from these bytes, not from the name).
    static let png = Data(base64Encoded:
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")!

    /// Compares field sets by value (numbers by value, whatever their JSON spelling).
    static func differences(_ actual: [String: JSONValue], _ expected: [String: JSONValue]) -> [String] {
        var problems: [String] = []
        for path in Set(actual.keys).union(expected.keys).sorted() where actual[path] != expected[path] {
            problems.append("\(path): \(actual[path].map { "\($0)" } ?? "—") ≠ expected \(expected[path].map { "\($0)" } ?? "—")")
        }
        return problems
    }
}

/// Seeded randomness (SplitMix64) so a failing run can be repeated: GREENMINE_E2E_SEED sets the seed.
struct SeededRandom: RandomNumberGenerator, Sendable {
    private(set) var state: UInt64
    let seed: UInt64

    init(_ label: String) {
        if let text = ProcessInfo.processInfo.environment["GREENMINE_E2E_SEED"], let value = UInt64(text) {
            seed = value
        } else {
            seed = UInt64.random(in: 1...UInt64(UInt32.max))
        }
        state = seed
        print("[e2e] \(label): random seed \(seed) (repeat with GREENMINE_E2E_SEED=\(seed))")
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
