import Foundation

/// The transitions of the workflow (DESIGN.md §3). The raw value is the wire name.
public enum Transition: String, Codable, Sendable, CaseIterable {
    /// 提交: enterprise, draft or returned → submitted.
    case submit
    /// 撤回: enterprise, submitted → draft, while no reviewer has acted.
    case withdraw
    /// 受理: province, submitted → underReview.
    case accept
    /// 初审意见: county, city or province adds a comment; no state change.
    case opinion
    /// 退回: province sends the record back for changes (wire name `return`).
    case sendBack = "return"
    /// 不予通过: province rejects.
    case reject
    /// 指派第三方评估机构: province, application underReview → assessing; again while assessing to
    /// give it to another agency (reassign).
    case assign
    /// 提交评估: assessor of the assigned agency, application assessing → assessed.
    case completeAssessment
    /// 审核通过: province approves.
    case approve
    /// 移出: province or ministry, approved → removed; the certificate is revoked.
    case remove

    /// The transition's name for people.
    public var label: LocalizedText {
        switch self {
        case .submit: LocalizedText(zh: "提交", en: "submit")
        case .withdraw: LocalizedText(zh: "撤回", en: "withdraw")
        case .accept: LocalizedText(zh: "受理", en: "accept")
        case .opinion: LocalizedText(zh: "初审意见", en: "opinion")
        case .sendBack: LocalizedText(zh: "退回", en: "return")
        case .reject: LocalizedText(zh: "不予通过", en: "reject")
        case .assign: LocalizedText(zh: "指派评估机构", en: "assign")
        case .completeAssessment: LocalizedText(zh: "提交评估结果", en: "complete assessment")
        case .approve: LocalizedText(zh: "审核通过", en: "approve")
        case .remove: LocalizedText(zh: "移出名录", en: "remove")
        }
    }
}

/// A condition beyond role, scope and state that a transition needs.
public enum Precondition: String, Codable, Sendable, CaseIterable {
    /// The data check finds no error.
    case dataCheckPasses
    /// An approved pre-application exists for the same licence number.
    case approvedPreApplication
    /// The transition names an assessment agency that exists (when the list is known) and serves the
    /// application's province.
    case agencyNamed
    /// The assigned agency has recorded a complete assessment.
    case assessmentRecorded
    /// The assessment passes the catalogue's rules.
    case assessmentPasses
}
