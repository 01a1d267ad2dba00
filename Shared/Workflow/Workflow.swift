import Foundation

/// Answers whether an actor may act on a record now, and if not, why — for client and server alike.
public enum Workflow {
    /// May `actor` fire `transition` on `subject` now? Checks, in order: the transition applies to
    /// the kind, the role, the actor's scope, the state, the comment, the agency, the preconditions.
    public static func decide(
        _ transition: Transition, by actor: Actor, on subject: WorkflowSubject,
        comment: String? = nil, agency: String? = nil, facts: WorkflowFacts = WorkflowFacts(),
        regions: RegionTable = .standard
    ) -> WorkflowDecision {
        guard let rule = WorkflowTable.rule(transition, kind: subject.kind) else {
            return .refused(RuleViolation(
                code: "transition_not_applicable",
                zh: "\(subject.kind.label.zh)不能执行“\(transition.label.zh)”操作",
                en: "\(subject.kind.englishWithArticle) cannot be given the transition '\(transition.rawValue)'"))
        }
        guard rule.roles.contains(actor.role) else {
            let allowed = rule.roles.sorted { $0.rawValue < $1.rawValue }
            return .refused(RuleViolation(
                code: "role_not_allowed",
                zh: "只有\(allowed.map(\.label.zh).joined(separator: "、"))可以执行“\(transition.label.zh)”，当前角色为\(actor.role.label.zh)",
                en: "only \(Role.englishList(allowed)) may \(transition.label.en); you are \(actor.role.englishWithArticle)"))
        }
        if let violation = scopeViolation(actor: actor, subject: subject, regions: regions) {
            return .refused(violation)
        }
        guard rule.from.contains(subject.state) else {
            return .refused(stateViolation(transition, rule: rule, state: subject.state))
        }
        if rule.commentRequired, isBlank(comment) {
            return .refused(RuleViolation(
                code: "comment_required",
                zh: "“\(transition.label.zh)”必须填写意见或理由",
                en: "'\(transition.rawValue)' needs a comment giving the reason"))
        }
        for precondition in rule.preconditions {
            if let violation = check(precondition, agency: agency, facts: facts, region: subject.region,
                                     regions: regions) {
                return .refused(violation)
            }
        }
        if subject.kind == .appeal, [.submit, .accept, .approve].contains(transition), let appealed = subject.parentState,
           let violation = AppealRules.mootViolation(appealedState: appealed) {
            return .refused(violation)
        }
        return .allowed(to: rule.to)
    }

    /// Why the actor's role does not reach this record (nil when it does). Enterprises reach their own
    /// organisation's records; a province its province; county and city reviewers records in their
    /// division chosen down to county level; assessors their agency's assignments; the ministry all.
    public static func scopeViolation(actor: Actor, subject: WorkflowSubject,
                                      regions: RegionTable = .standard) -> RuleViolation? {
        switch actor.role {
        case .ministry:
            return nil
        case .enterprise:
            if let org = actor.orgId, org == subject.orgId { return nil }
            return RuleViolation(code: "not_your_record", zh: "该记录不属于本单位",
                                 en: "this record belongs to another organisation")
        case .province:
            if let mine = actor.region, let theirs = subject.region, regions.contains(mine, theirs) { return nil }
            return outOfRegion
        case .county, .city:
            guard let mine = actor.region, let theirs = subject.region, regions.contains(mine, theirs) else {
                return outOfRegion
            }
            if regions.isCountyLevel(theirs) { return nil }
            return RuleViolation(
                code: "out_of_region",
                zh: "该记录的所在行政区未选择到县一级，市县级自然资源主管部门无法查看",
                en: "the record's region is not chosen down to county level, so county and city reviewers cannot see it")
        case .assessor:
            if let mine = actor.agency, mine == subject.assignedAgency { return nil }
            return RuleViolation(code: "not_assigned", zh: "该申请未指派给本评估机构",
                                 en: "this application is not assigned to your agency")
        }
    }

    /// Why the actor may not edit the record's fields or attachments now (nil when allowed).
    public static func editViolation(by actor: Actor, on subject: WorkflowSubject,
                                     regions: RegionTable = .standard) -> RuleViolation? {
        switch subject.kind {
        case .preApplication, .application, .appeal:
            if let violation = ownerViolation(actor, subject, regions) { return violation }
            if [.draft, .returned].contains(subject.state) { return nil }
            return RuleViolation(code: "not_editable",
                                 zh: "只有未提交或已退回的记录可以修改，当前状态为“\(subject.state.label.zh)”",
                                 en: "only unsubmitted or returned records can be modified; this one is \(subject.state.label.en)")
        case .evidence:
            if let violation = ownerViolation(actor, subject, regions) { return violation }
            if let parent = subject.parentState, [.submitted, .underReview, .assessing].contains(parent) {
                return nil
            }
            return RuleViolation(code: "not_editable",
                                 zh: "只有已提交、已受理或评估中的申请可以上传评价指标佐证材料",
                                 en: "evidence can be added only while the application is submitted, under review or being assessed")
        case .assessment:
            guard actor.role == .assessor else { return roleOnly(.assessor) }
            if let violation = scopeViolation(actor: actor, subject: subject, regions: regions) { return violation }
            if subject.parentState == .assessing { return nil }
            return RuleViolation(code: "not_editable", zh: "只有评估中的申请可以评分",
                                 en: "an application can be scored only while it is being assessed")
        case .profile:
            if let owner = subject.ownerUserId, owner == actor.userId { return nil }
            return RuleViolation(code: "not_your_record", zh: "只能修改本人的个人资料",
                                 en: "you can only change your own profile")
        case .notice:
            guard actor.role == .province || actor.role == .ministry else { return roleOnly([.province, .ministry]) }
            if let owner = subject.ownerUserId, owner == actor.userId { return nil }
            return RuleViolation(code: "not_your_record", zh: "只能修改本人发布的通知公告",
                                 en: "you can only change notices you posted")
        case .certificate, .catalogue:
            return RuleViolation(code: "server_managed", zh: "\(subject.kind.label.zh)由服务器维护，不能修改",
                                 en: "\(subject.kind.label.en) records are kept by the server and cannot be changed")
        }
    }

    /// States in which a file attached earlier may still arrive (`lateAttachAllowed`).
    public static let lateAttachStates: Set<RecordState> = [.submitted, .underReview, .assessing]

    /// Whether an `attach` that `editViolation` refuses is accepted all the same because the user
    /// attached the file while editing was allowed and only its bytes arrived late (a slow link: the
    /// form data and the submit went first). True only for an attach by the owning enterprise on a
    /// pre-application or application that is now `submitted`, `underReview` or `assessing`, when the
    /// record's state at the mutation's base version (`stateAtBase`) was `draft` or `returned`.
    /// Detach and field changes never qualify; the attachment rules (slot limits) still apply.
    public static func lateAttachAllowed(by actor: Actor, on subject: WorkflowSubject, stateAtBase: RecordState?,
                                         regions: RegionTable = .standard) -> Bool {
        guard [.preApplication, .application].contains(subject.kind),
              ownerViolation(actor, subject, regions) == nil,
              lateAttachStates.contains(subject.state),
              let stateAtBase, [.draft, .returned].contains(stateAtBase) else { return false }
        return true
    }

    /// Why the actor may not delete the record now (nil when allowed). Reviewed records only in draft.
    public static func deleteViolation(by actor: Actor, on subject: WorkflowSubject,
                                       regions: RegionTable = .standard) -> RuleViolation? {
        switch subject.kind {
        case .preApplication, .application, .appeal:
            if let violation = ownerViolation(actor, subject, regions) { return violation }
            if subject.state == .draft { return nil }
            return RuleViolation(code: "not_deletable",
                                 zh: "只有未提交的记录可以删除，当前状态为“\(subject.state.label.zh)”",
                                 en: "only unsubmitted records can be deleted; this one is \(subject.state.label.en)")
        default:
            return editViolation(by: actor, on: subject, regions: regions)
        }
    }

    private static let outOfRegion = RuleViolation(code: "out_of_region", zh: "该记录不在您的管辖区域内",
                                                   en: "this record lies outside your region")

    private static func ownerViolation(_ actor: Actor, _ subject: WorkflowSubject,
                                       _ regions: RegionTable) -> RuleViolation? {
        guard actor.role == .enterprise else { return roleOnly(.enterprise) }
        return scopeViolation(actor: actor, subject: subject, regions: regions)
    }

    private static func roleOnly(_ role: Role) -> RuleViolation { roleOnly([role]) }

    /// `role_not_allowed` naming every role that may: "only province reviewer or ministry users may do this".
    private static func roleOnly(_ roles: [Role]) -> RuleViolation {
        RuleViolation(code: "role_not_allowed", zh: "只有\(roles.map(\.label.zh).joined(separator: "或"))可以执行此操作",
                      en: "only \(roles.map(\.label.en).joined(separator: " or ")) users may do this")
    }

    private static func isBlank(_ text: String?) -> Bool {
        (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }

    private static func stateViolation(_ transition: Transition, rule: TransitionRule,
                                       state: RecordState) -> RuleViolation {
        if transition == .withdraw {
            return RuleViolation(code: "invalid_state",
                                 zh: "只有已提交且尚未审核的记录可以撤回，当前状态为“\(state.label.zh)”",
                                 en: "only a submitted record that no reviewer has acted on can be withdrawn; this one is \(state.label.en)")
        }
        let from = rule.from.sorted { $0.rawValue < $1.rawValue }
        return RuleViolation(
            code: "invalid_state",
            zh: "当前状态“\(state.label.zh)”不能执行“\(transition.label.zh)”，需处于：\(from.map(\.label.zh).joined(separator: "、"))",
            en: "cannot \(transition.label.en) a record that is \(state.label.en); it must be \(from.map(\.label.en).joined(separator: " or "))")
    }

    private static func check(_ precondition: Precondition, agency: String?, facts: WorkflowFacts,
                              region: String?, regions: RegionTable) -> RuleViolation? {
        switch precondition {
        case .dataCheckPasses:
            let errors = facts.dataCheckFindings.filter { $0.severity == .error }
            guard let first = errors.first else { return nil }
            return RuleViolation(
                code: "data_check_failed",
                zh: "数据检查发现\(errors.count)个错误，例如 \(first.path)：\(first.message.zh)",
                en: "the data check found \(errors.count) error(s), e.g. \(first.path): \(first.message.en)")
        case .approvedPreApplication:
            if facts.approvedPreApplicationExists { return nil }
            return RuleViolation(code: "pre_application_not_approved",
                                 zh: "该采矿许可证号没有审核通过的预申报，不能提交新设申请",
                                 en: "there is no approved pre-application for this licence number")
        case .agencyNamed:
            guard let agency, !isBlank(agency) else {
                return RuleViolation(code: "agency_required", zh: "指派时必须指定第三方评估机构",
                                     en: "an assignment must name the assessment agency")
            }
            guard let known = facts.agencies else { return nil }
            return AgencyRules.assignViolation(agency, among: known, region: region, regions: regions)
        case .assessmentRecorded:
            if facts.assessmentRecorded {
                let errors = facts.assessmentFindings.filter { $0.severity == .error }
                guard let first = errors.first else { return nil }
                return RuleViolation(
                    code: first.code,
                    zh: "评估的数据检查发现\(errors.count)个错误，例如 \(first.path)：\(first.message.zh)",
                    en: "the assessment's data check found \(errors.count) error(s), e.g. \(first.path): \(first.message.en)")
            }
            return RuleViolation(code: "assessment_missing", zh: "尚未录入完整的评估评分",
                                 en: "no complete assessment has been recorded yet")
        case .assessmentPasses:
            guard facts.assessmentRecorded else {
                return RuleViolation(code: "assessment_missing", zh: "没有评估结果，不能审核通过",
                                     en: "there is no assessment to approve on")
            }
            guard let first = facts.assessmentFailures.first else { return nil }
            return RuleViolation(
                code: "assessment_failed",
                zh: "评估未达到评价指标体系的通过条件：\(facts.assessmentFailures.map(\.message.zh).joined(separator: "；"))",
                en: "the assessment does not pass the catalogue's rules: \(facts.assessmentFailures.map(\.message.en).joined(separator: "; "))"
                    + (facts.assessmentFailures.count > 1 ? "" : " (\(first.code))"))
        }
    }
}
