import Foundation

/// The states of the workflow (DESIGN.md §3).
public enum RecordState: String, Codable, Sendable, CaseIterable {
    case draft
    case submitted
    case underReview
    case assessing
    case assessed
    case approved
    case rejected
    case returned
    case removed

    /// The state's name for people.
    public var label: LocalizedText {
        switch self {
        case .draft: LocalizedText(zh: "未提交", en: "draft")
        case .submitted: LocalizedText(zh: "已提交", en: "submitted")
        case .underReview: LocalizedText(zh: "已受理", en: "under review")
        case .assessing: LocalizedText(zh: "评估中", en: "assessing")
        case .assessed: LocalizedText(zh: "已评估", en: "assessed")
        case .approved: LocalizedText(zh: "审核通过", en: "approved")
        case .rejected: LocalizedText(zh: "未通过", en: "rejected")
        case .returned: LocalizedText(zh: "已退回", en: "returned")
        case .removed: LocalizedText(zh: "已移出", en: "removed")
        }
    }
}
