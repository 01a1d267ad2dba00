import Foundation

/// What an appeal (在线申诉) may be filed on — a rejected or removed pre-application or application —
/// and what upholding it does to that record.
public enum AppealRules {
    /// The kinds of record an appeal may name as its parent.
    public static let appealableKinds: Set<RecordKind> = [.preApplication, .application]
    /// The states in which a record may be appealed.
    public static let appealableStates: Set<RecordState> = [.rejected, .removed]
    /// The states of an appeal still being dealt with: a record has at most one such appeal.
    public static let openStates: Set<RecordState> = [.draft, .submitted, .underReview, .returned]

    /// Why a second appeal may not be filed while `open` is still being dealt with.
    public static func alreadyOpen(_ open: Record) -> RuleViolation {
        RuleViolation(code: "appeal_open",
                      zh: "该记录已有处理中的申诉 \(open.id.wireString.prefix(8))（\(open.state.label.zh)）",
                      en: "this record already has an open appeal \(open.id.wireString.prefix(8)) (\(open.state.label.en))")
    }

    /// Why an appeal can no longer be submitted, accepted or upheld: the record it appeals is no longer
    /// rejected or removed (it was appealed successfully, or changed since). Nil when it still is.
    public static func mootViolation(appealedState: RecordState) -> RuleViolation? {
        guard !appealableStates.contains(appealedState) else { return nil }
        return RuleViolation(
            code: "appeal_moot",
            zh: "被申诉的记录当前状态为“\(appealedState.label.zh)”，已不是未通过或已移出，该申诉无法继续处理",
            en: "the appealed record is now \(appealedState.label.en), no longer rejected or removed; this appeal cannot go on")
    }

    /// Why an appeal may not be filed on `parent` (nil when it may).
    public static func violation(parent: Record) -> RuleViolation? {
        guard appealableKinds.contains(parent.kind) else {
            return RuleViolation(code: "parent_kind", zh: "\(parent.kind.label.zh)不能申诉，只有预申报和新设申请可以申诉",
                                 en: "\(parent.kind.englishWithArticle) cannot be appealed; only pre-applications and applications can")
        }
        guard appealableStates.contains(parent.state) else {
            return RuleViolation(
                code: "appeal_not_allowed",
                zh: "只有未通过或已移出的记录可以申诉，当前状态为“\(parent.state.label.zh)”",
                en: "an appeal can be filed only on a rejected or removed record; this one is \(parent.state.label.en)")
        }
        return nil
    }

    /// The state an upheld appeal (approved by the province) puts the appealed record in: a rejected
    /// record is returned to the enterprise to be corrected and submitted again; a removed application
    /// is listed again (approved, with a new certificate). Nil when the record is in neither state any
    /// more, and then nothing changes.
    public static func outcomeOfUpholding(_ parent: Record) -> RecordState? {
        guard appealableKinds.contains(parent.kind) else { return nil }
        switch parent.state {
        case .rejected: return .returned
        case .removed: return parent.kind == .application ? .approved : nil
        default: return nil
        }
    }
}
