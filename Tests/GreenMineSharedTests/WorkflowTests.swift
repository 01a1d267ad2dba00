import Foundation
import Testing
@testable import GreenMineShared

/// The workflow table against an expectation written out independently from DESIGN.md §3.
struct WorkflowTests {
    static let org = "91130102MA0000000X"
    static let agency = "冀绿评估中心"

    /// One actor per role, each with a scope that reaches the test record (region 130102).
    static func actor(_ role: Role) -> Actor {
        switch role {
        case .enterprise: Actor(userId: "u-ent", role: role, orgId: org)
        case .county: Actor(userId: "u-county", role: role, region: "130102")
        case .city: Actor(userId: "u-city", role: role, region: "130100")
        case .province: Actor(userId: "u-prov", role: role, region: "130000")
        case .assessor: Actor(userId: "u-assessor", role: role, agency: agency)
        case .ministry: Actor(userId: "u-ministry", role: role)
        }
    }

    /// Facts under which every precondition holds.
    static let goodFacts = WorkflowFacts(dataCheckFindings: [], approvedPreApplicationExists: true,
                                         assessmentRecorded: true, assessmentFailures: [])

    /// DESIGN.md §3, written out by hand: transition → (roles, from-states) per kind.
    static let expectedApplication: [Transition: (roles: Set<Role>, from: Set<RecordState>)] = [
        .submit: ([.enterprise], [.draft, .returned]),
        .withdraw: ([.enterprise], [.submitted]),
        .accept: ([.province], [.submitted]),
        .opinion: ([.county, .city, .province], [.submitted, .underReview]),
        .sendBack: ([.province], [.underReview, .assessed]),
        .reject: ([.province], [.underReview, .assessed]),
        .assign: ([.province], [.underReview, .assessing]),
        .completeAssessment: ([.assessor], [.assessing]),
        .approve: ([.province], [.assessed]),
        .remove: ([.province, .ministry], [.approved]),
    ]

    static let expectedPreApplication: [Transition: (roles: Set<Role>, from: Set<RecordState>)] = [
        .submit: ([.enterprise], [.draft, .returned]),
        .withdraw: ([.enterprise], [.submitted]),
        .accept: ([.province], [.submitted]),
        .opinion: ([.county, .city, .province], [.submitted, .underReview]),
        .sendBack: ([.province], [.underReview]),
        .reject: ([.province], [.underReview]),
        .approve: ([.province], [.underReview]),
    ]

    static let expectedTargets: [Transition: RecordState?] = [
        .submit: .submitted, .withdraw: .draft, .accept: .underReview, .opinion: nil, .sendBack: .returned,
        .reject: .rejected, .assign: .assessing, .completeAssessment: .assessed, .approve: .approved,
        .remove: .removed,
    ]

    func subject(_ kind: RecordKind, _ state: RecordState) -> WorkflowSubject {
        WorkflowSubject(kind: kind, state: state, orgId: Self.org, region: "130102", assignedAgency: Self.agency)
    }

    func checkEveryCombination(kind: RecordKind,
                               expected: [Transition: (roles: Set<Role>, from: Set<RecordState>)]) -> Int {
        var checked = 0
        for state in RecordState.allCases {
            for transition in Transition.allCases {
                for role in Role.allCases {
                    let decision = Workflow.decide(transition, by: Self.actor(role), on: subject(kind, state),
                                                   comment: "意见", agency: Self.agency, facts: Self.goodFacts)
                    checked += 1
                    guard let row = expected[transition] else {
                        #expect(decision.violation?.code == "transition_not_applicable",
                                "\(kind) \(state) \(transition) \(role)")
                        continue
                    }
                    if row.roles.contains(role), row.from.contains(state) {
                        #expect(decision == .allowed(to: Self.expectedTargets[transition] ?? nil),
                                "\(kind) \(state) \(transition) \(role) should be allowed")
                    } else if !row.roles.contains(role) {
                        #expect(decision.violation?.code == "role_not_allowed",
                                "\(kind) \(state) \(transition) \(role)")
                    } else {
                        #expect(decision.violation?.code == "invalid_state", "\(kind) \(state) \(transition) \(role)")
                    }
                    if let violation = decision.violation {
                        #expect(!violation.message.zh.isEmpty && !violation.message.en.isEmpty)
                    }
                }
            }
        }
        return checked
    }

    @Test func everyApplicationCombination() {
        let checked = checkEveryCombination(kind: .application, expected: Self.expectedApplication)
        #expect(checked == RecordState.allCases.count * Transition.allCases.count * Role.allCases.count)
    }

    @Test func everyPreApplicationCombination() {
        _ = checkEveryCombination(kind: .preApplication, expected: Self.expectedPreApplication)
    }

    @Test func withdrawAfterAcceptanceSaysAReviewerActed() {
        let decision = Workflow.decide(.withdraw, by: Self.actor(.enterprise), on: subject(.application, .underReview))
        #expect(decision.violation?.code == "invalid_state")
        #expect(decision.violation?.message.zh.contains("撤回") == true)
    }

    @Test func commentRequiredForOpinionReturnRejectRemove() {
        for (transition, state) in [(Transition.opinion, RecordState.submitted), (.sendBack, .underReview),
                                    (.reject, .assessed), (.remove, .approved)] {
            let decision = Workflow.decide(transition, by: Self.actor(.province), on: subject(.application, state),
                                           comment: "  ", facts: Self.goodFacts)
            #expect(decision.violation?.code == "comment_required", "\(transition)")
        }
    }

    @Test func preconditions() {
        let broken = WorkflowFacts(
            dataCheckFindings: [Finding(.error, "basic.mineName", RuleViolation(code: "required", zh: "必填", en: "required"))],
            approvedPreApplicationExists: true)
        #expect(Workflow.decide(.submit, by: Self.actor(.enterprise), on: subject(.application, .draft),
                                facts: broken).violation?.code == "data_check_failed")
        let warningsOnly = WorkflowFacts(
            dataCheckFindings: [Finding(.warning, "basic.region", RuleViolation(code: "x", zh: "x", en: "x"))],
            approvedPreApplicationExists: true)
        #expect(Workflow.decide(.submit, by: Self.actor(.enterprise), on: subject(.application, .draft),
                                facts: warningsOnly) == .allowed(to: .submitted))
        #expect(Workflow.decide(.submit, by: Self.actor(.enterprise), on: subject(.application, .draft),
                                facts: WorkflowFacts()).violation?.code == "pre_application_not_approved")
        #expect(Workflow.decide(.submit, by: Self.actor(.enterprise), on: subject(.preApplication, .draft),
                                facts: WorkflowFacts()) == .allowed(to: .submitted))
        #expect(Workflow.decide(.assign, by: Self.actor(.province), on: subject(.application, .underReview),
                                agency: nil).violation?.code == "agency_required")
        #expect(Workflow.decide(.completeAssessment, by: Self.actor(.assessor), on: subject(.application, .assessing),
                                facts: WorkflowFacts()).violation?.code == "assessment_missing")
        let failing = WorkflowFacts(assessmentRecorded: true, assessmentFailures: [
            RuleViolation(code: "total_below_threshold", zh: "总分 700 低于 800", en: "total 700 is below 800")])
        let refusal = Workflow.decide(.approve, by: Self.actor(.province), on: subject(.application, .assessed),
                                      facts: failing).violation
        #expect(refusal?.code == "assessment_failed")
        #expect(refusal?.message.en.contains("total 700 is below 800") == true)
    }

    @Test func anAppealGoesOnOnlyWhileTheAppealedRecordIsRejectedOrRemoved() {
        func appeal(_ state: RecordState, appealed: RecordState) -> WorkflowSubject {
            WorkflowSubject(kind: .appeal, state: state, orgId: Self.org, region: "130102", parentState: appealed)
        }
        for appealed in [RecordState.rejected, .removed] {
            #expect(Workflow.decide(.approve, by: Self.actor(.province), on: appeal(.underReview, appealed: appealed))
                    == .allowed(to: .approved))
        }
        for appealed in [RecordState.returned, .approved, .submitted, .draft] {
            #expect(Workflow.decide(.approve, by: Self.actor(.province), on: appeal(.underReview, appealed: appealed))
                    .violation?.code == "appeal_moot")
            #expect(Workflow.decide(.accept, by: Self.actor(.province), on: appeal(.submitted, appealed: appealed))
                    .violation?.code == "appeal_moot")
            #expect(Workflow.decide(.submit, by: Self.actor(.enterprise), on: appeal(.draft, appealed: appealed))
                    .violation?.code == "appeal_moot")
        }
        // Returning or rejecting a moot appeal stays possible: it closes it.
        #expect(Workflow.decide(.reject, by: Self.actor(.province), on: appeal(.underReview, appealed: .returned),
                                comment: "已处理") == .allowed(to: .rejected))
        #expect(AppealRules.openStates == [.draft, .submitted, .underReview, .returned])
    }

    @Test func scope() {
        let other = Actor(userId: "u2", role: .enterprise, orgId: "91130102MA0000001Y")
        #expect(Workflow.decide(.submit, by: other, on: subject(.preApplication, .draft))
            .violation?.code == "not_your_record")
        let otherProvince = Actor(userId: "p2", role: .province, region: "140000")
        #expect(Workflow.decide(.accept, by: otherProvince, on: subject(.application, .submitted))
            .violation?.code == "out_of_region")
        let otherCounty = Actor(userId: "c2", role: .county, region: "130104")
        #expect(Workflow.decide(.opinion, by: otherCounty, on: subject(.application, .submitted), comment: "x")
            .violation?.code == "out_of_region")
        var cityLevel = subject(.application, .submitted)
        cityLevel.region = "130100"
        let countyOfCity = Workflow.decide(.opinion, by: Self.actor(.city), on: cityLevel, comment: "x")
        #expect(countyOfCity.violation?.code == "out_of_region")
        #expect(countyOfCity.violation?.message.zh.contains("县一级") == true)
        #expect(Workflow.decide(.opinion, by: Self.actor(.province), on: cityLevel, comment: "x") == .allowed(to: nil))
        let otherAgency = Actor(userId: "a2", role: .assessor, agency: "别的机构")
        #expect(Workflow.decide(.completeAssessment, by: otherAgency, on: subject(.application, .assessing),
                                facts: Self.goodFacts).violation?.code == "not_assigned")
        let provinceAdministered = WorkflowSubject(kind: .application, state: .submitted, orgId: Self.org,
                                                   region: "419001")
        #expect(Workflow.decide(.accept, by: Actor(userId: "p", role: .province, region: "410000"),
                                on: provinceAdministered) == .allowed(to: .underReview))
    }

    @Test func editAndDelete() {
        let enterprise = Self.actor(.enterprise)
        #expect(Workflow.editViolation(by: enterprise, on: subject(.application, .draft)) == nil)
        #expect(Workflow.editViolation(by: enterprise, on: subject(.application, .returned)) == nil)
        #expect(Workflow.editViolation(by: enterprise, on: subject(.application, .submitted))?.code == "not_editable")
        #expect(Workflow.deleteViolation(by: enterprise, on: subject(.application, .draft)) == nil)
        #expect(Workflow.deleteViolation(by: enterprise, on: subject(.application, .returned))?.code == "not_deletable")
        #expect(Workflow.editViolation(by: Self.actor(.province), on: subject(.application, .draft))?.code
            == "role_not_allowed")
        for parent in RecordState.allCases {
            var evidence = subject(.evidence, .draft)
            evidence.parentState = parent
            let allowed = [RecordState.submitted, .underReview, .assessing].contains(parent)
            #expect((Workflow.editViolation(by: enterprise, on: evidence) == nil) == allowed, "\(parent)")
        }
        var assessment = subject(.assessment, .draft)
        assessment.parentState = .assessing
        #expect(Workflow.editViolation(by: Self.actor(.assessor), on: assessment) == nil)
        #expect(Workflow.editViolation(by: Actor(userId: "a2", role: .assessor, agency: "别的机构"), on: assessment)?
            .code == "not_assigned")
        #expect(Workflow.editViolation(by: enterprise, on: subject(.certificate, .approved))?.code == "server_managed")
    }

    @Test func aFileAttachedWhileEditableMayArriveAfterTheSubmit() {
        let enterprise = Self.actor(.enterprise)
        func late(_ kind: RecordKind, _ state: RecordState, base: RecordState?, by actor: Actor? = nil) -> Bool {
            Workflow.lateAttachAllowed(by: actor ?? enterprise, on: subject(kind, state), stateAtBase: base)
        }
        for kind in [RecordKind.preApplication, .application] {
            for state in [RecordState.submitted, .underReview, .assessing] {
                #expect(late(kind, state, base: .draft), "\(kind) \(state)")
                #expect(late(kind, state, base: .returned), "\(kind) \(state)")
                #expect(!late(kind, state, base: .submitted), "\(kind) \(state)")
                #expect(!late(kind, state, base: nil), "\(kind) \(state)")
            }
            for state in [RecordState.assessed, .approved, .rejected, .removed] {
                #expect(!late(kind, state, base: .draft), "\(kind) \(state)")
            }
        }
        #expect(!late(.appeal, .submitted, base: .draft))
        #expect(!late(.application, .submitted, base: .draft,
                      by: Actor(userId: "u-other", role: .enterprise, orgId: "91130102MA0000001X")))
        #expect(!late(.application, .submitted, base: .draft, by: Self.actor(.province)))
    }
}
