import Foundation

/// Every kind of record that syncs (DESIGN.md §2).
public enum RecordKind: String, Codable, Sendable, CaseIterable {
    case preApplication
    case application
    case evidence
    case assessment
    case appeal
    case notice
    case certificate
    case profile
    case catalogue

    /// The kind's name for people.
    public var label: LocalizedText {
        switch self {
        case .preApplication: LocalizedText(zh: "预申报", en: "pre-application")
        case .application: LocalizedText(zh: "新设申请", en: "application")
        case .evidence: LocalizedText(zh: "评价指标佐证材料", en: "evidence")
        case .assessment: LocalizedText(zh: "第三方评估", en: "assessment")
        case .appeal: LocalizedText(zh: "在线申诉", en: "appeal")
        case .notice: LocalizedText(zh: "通知公告", en: "notice")
        case .certificate: LocalizedText(zh: "绿色矿山证书", en: "certificate")
        case .profile: LocalizedText(zh: "个人资料", en: "profile")
        case .catalogue: LocalizedText(zh: "评价指标体系", en: "indicator catalogue")
        }
    }

    /// The English label with its article, for sentences: "an application", "a notice", "evidence".
    public var englishWithArticle: String {
        switch self {
        case .evidence: "evidence"
        case .application, .assessment, .appeal, .catalogue: "an \(label.en)"
        default: "a \(label.en)"
        }
    }
}
