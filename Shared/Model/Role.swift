import Foundation

/// The roles of the directory's users (DOMAIN.md "Who uses it").
public enum Role: String, Codable, Sendable, CaseIterable {
    /// 矿业权人: a mining-rights holder.
    case enterprise
    /// 县级自然资源主管部门.
    case county
    /// 市级自然资源主管部门.
    case city
    /// 省级自然资源主管部门.
    case province
    /// 第三方评估机构 assessor.
    case assessor
    /// 部级管理员.
    case ministry

    /// The role's name for people.
    public var label: LocalizedText {
        switch self {
        case .enterprise: LocalizedText(zh: "矿业权人", en: "enterprise")
        case .county: LocalizedText(zh: "县级自然资源主管部门", en: "county reviewer")
        case .city: LocalizedText(zh: "市级自然资源主管部门", en: "city reviewer")
        case .province: LocalizedText(zh: "省级自然资源主管部门", en: "province reviewer")
        case .assessor: LocalizedText(zh: "第三方评估机构", en: "assessor")
        case .ministry: LocalizedText(zh: "自然资源部", en: "ministry")
        }
    }

    /// The English label with its article, for sentences: "a county reviewer", "the ministry".
    public var englishWithArticle: String {
        switch self {
        case .enterprise: "an enterprise"
        case .assessor: "an assessor"
        case .ministry: "the ministry"
        default: "a \(label.en)"
        }
    }

    /// Roles in an English sentence: "a city reviewer or a province reviewer".
    public static func englishList(_ roles: [Role]) -> String {
        let words = roles.map(\.englishWithArticle)
        guard words.count > 1, let last = words.last else { return words.first ?? "" }
        return words.dropLast().joined(separator: ", ") + " or " + last
    }

    /// True for the review authorities (county, city, province, ministry).
    public var isAuthority: Bool {
        switch self {
        case .county, .city, .province, .ministry: true
        case .enterprise, .assessor: false
        }
    }
}

/// Who acts: the user, its role, and the scope the role applies to.
public struct Actor: Codable, Hashable, Sendable {
    /// The user's id.
    public var userId: String
    /// The user's role.
    public var role: Role
    /// The organisation (credit code) of an enterprise user.
    public var orgId: String?
    /// The division code a county, city or province reviewer is responsible for.
    public var region: String?
    /// The assessment agency of an assessor.
    public var agency: String?

    public init(userId: String, role: Role, orgId: String? = nil, region: String? = nil, agency: String? = nil) {
        self.userId = userId
        self.role = role
        self.orgId = orgId
        self.region = region
        self.agency = agency
    }
}
