import Foundation
import GreenMineShared

/// A demonstration account and its generated password.
public struct DemoAccount: Codable, Sendable, Hashable {
    public var username: String
    public var role: Role
    public var password: String
    /// What the account is for, in Chinese.
    public var note: String
}

/// The demonstration data set: Hebei province (130000) with two counties of Shijiazhuang, two
/// enterprises with licences, county, city and province reviewers, an agency and its assessor, a ministry admin.
public enum DemoData {
    public static let province = "130000"
    public static let city = "130100"
    public static let counties = ["130102", "130104"]
    public static let agency = "河北绿源第三方评估中心"

    /// A valid credit code for demo organisation `n`.
    public static func creditCode(_ n: Int) -> String {
        let first17 = "911301" + String(format: "%02d", n) + "MA0DEM0X" + String(n % 10)
        return first17 + String(CreditCode.checkCharacter(forFirst17: first17) ?? "0")
    }

    /// The demo licence number of enterprise `n`.
    public static func licence(_ n: Int) -> String {
        "C13010020201271300000" + String(format: "%02d", n)
    }

    /// Seeds everything; refuses when the demo accounts already exist.
    public static func seed(_ admin: AdminService, services: AppServices) async throws -> [DemoAccount] {
        var accounts: [DemoAccount] = []
        let names = ["石家庄长安绿源矿业有限公司", "石家庄桥西恒石建材有限公司"]
        let mines = ["长安区绿源石灰岩矿", "桥西区恒石建筑石料矿"]
        var licences: [LicenceInfo] = []
        for n in 1...2 {
            let county = counties[n - 1]
            try await admin.addOrganisation(Organisation(creditCode: creditCode(n), name: names[n - 1], region: county))
            licences.append(LicenceInfo(number: licence(n), holder: names[n - 1], creditCode: creditCode(n),
                                        mineName: mines[n - 1], mainMineral: "水泥用灰岩", miningMethod: "openPit",
                                        scale: Double(60 * n), area: 1.2 * Double(n), region: county,
                                        validFrom: "2021-01-01", validTo: "2031-12-31"))
        }
        try await services.registry.upsertLicences(licences)
        _ = try await admin.addAgency(name: agency, provinces: [province])
        let plan: [(String, NewUser, String)] = [
            ("demo-ent1", NewUser(username: "demo-ent1", role: .enterprise, orgId: creditCode(1)), "企业一（长安区）"),
            ("demo-ent2", NewUser(username: "demo-ent2", role: .enterprise, orgId: creditCode(2)), "企业二（桥西区）"),
            ("demo-county", NewUser(username: "demo-county", role: .county, region: counties[0]), "长安区自然资源局"),
            ("demo-city", NewUser(username: "demo-city", role: .city, region: city), "石家庄市自然资源和规划局"),
            ("demo-province", NewUser(username: "demo-province", role: .province, region: province), "河北省自然资源厅"),
            ("demo-assessor", NewUser(username: "demo-assessor", role: .assessor, agency: agency), agency),
            ("demo-ministry", NewUser(username: "demo-ministry", role: .ministry), "自然资源部"),
        ]
        for (username, user, note) in plan {
            let password = AuthService.initialPassword(from: services.environment.randomBytes(12))
            _ = try await admin.addUser(user, password: password)
            accounts.append(DemoAccount(username: username, role: user.role, password: password, note: note))
        }
        return accounts
    }
}
