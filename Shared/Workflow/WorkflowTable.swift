import Foundation

/// One row of the workflow table: a transition on some kinds, from some states, by some roles.
public struct TransitionRule: Sendable, Hashable {
    public var transition: Transition
    public var kinds: Set<RecordKind>
    public var from: Set<RecordState>
    /// The state after the transition; nil when the state does not change (an opinion).
    public var to: RecordState?
    public var roles: Set<Role>
    public var commentRequired: Bool
    public var preconditions: [Precondition]
}

/// The workflow of DESIGN.md §3 as one table, read by the client, the server and the tests.
public enum WorkflowTable {
    /// Kinds that go through the review workflow.
    public static let reviewedKinds: Set<RecordKind> = [.preApplication, .application, .appeal]

    /// Every transition rule. A (transition, kind) pair has at most one row.
    public static let rules: [TransitionRule] = [
        TransitionRule(transition: .submit, kinds: [.preApplication, .appeal], from: [.draft, .returned],
                       to: .submitted, roles: [.enterprise], commentRequired: false,
                       preconditions: [.dataCheckPasses]),
        TransitionRule(transition: .submit, kinds: [.application], from: [.draft, .returned],
                       to: .submitted, roles: [.enterprise], commentRequired: false,
                       preconditions: [.dataCheckPasses, .approvedPreApplication]),
        TransitionRule(transition: .withdraw, kinds: reviewedKinds, from: [.submitted], to: .draft,
                       roles: [.enterprise], commentRequired: false, preconditions: []),
        TransitionRule(transition: .accept, kinds: reviewedKinds, from: [.submitted], to: .underReview,
                       roles: [.province], commentRequired: false, preconditions: []),
        TransitionRule(transition: .opinion, kinds: [.preApplication, .application],
                       from: [.submitted, .underReview], to: nil,
                       roles: [.county, .city, .province], commentRequired: true, preconditions: []),
        TransitionRule(transition: .sendBack, kinds: [.preApplication, .appeal], from: [.underReview],
                       to: .returned, roles: [.province], commentRequired: true, preconditions: []),
        TransitionRule(transition: .sendBack, kinds: [.application], from: [.underReview, .assessed],
                       to: .returned, roles: [.province], commentRequired: true, preconditions: []),
        TransitionRule(transition: .reject, kinds: [.preApplication, .appeal], from: [.underReview],
                       to: .rejected, roles: [.province], commentRequired: true, preconditions: []),
        TransitionRule(transition: .reject, kinds: [.application], from: [.underReview, .assessed],
                       to: .rejected, roles: [.province], commentRequired: true, preconditions: []),
        // From `assessing` too: the province may take the application from one agency and give it to
        // another (an agency that never acts must not trap it).
        TransitionRule(transition: .assign, kinds: [.application], from: [.underReview, .assessing], to: .assessing,
                       roles: [.province], commentRequired: false, preconditions: [.agencyNamed]),
        TransitionRule(transition: .completeAssessment, kinds: [.application], from: [.assessing],
                       to: .assessed, roles: [.assessor], commentRequired: false,
                       preconditions: [.assessmentRecorded]),
        TransitionRule(transition: .approve, kinds: [.preApplication, .appeal], from: [.underReview],
                       to: .approved, roles: [.province], commentRequired: false, preconditions: []),
        TransitionRule(transition: .approve, kinds: [.application], from: [.assessed], to: .approved,
                       roles: [.province], commentRequired: false, preconditions: [.assessmentPasses]),
        TransitionRule(transition: .remove, kinds: [.application], from: [.approved], to: .removed,
                       roles: [.province, .ministry], commentRequired: true, preconditions: []),
    ]

    /// The row for a transition on a kind, if the transition applies to that kind at all.
    public static func rule(_ transition: Transition, kind: RecordKind) -> TransitionRule? {
        rules.first { $0.transition == transition && $0.kinds.contains(kind) }
    }

    /// The transitions that apply to a kind.
    public static func transitions(for kind: RecordKind) -> [Transition] {
        Transition.allCases.filter { rule($0, kind: kind) != nil }
    }
}
