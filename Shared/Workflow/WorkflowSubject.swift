import Foundation

/// What the workflow needs to know about the record an actor wants to act on.
public struct WorkflowSubject: Sendable, Hashable {
    public var kind: RecordKind
    public var state: RecordState
    /// The owning organisation.
    public var orgId: String?
    /// The record's division code.
    public var region: String?
    /// The agency assigned to assess the application (for an assessment: its application's).
    public var assignedAgency: String?
    /// The parent application's state, for evidence and assessments.
    public var parentState: RecordState?
    /// The user a profile belongs to, or who authored a notice.
    public var ownerUserId: String?

    public init(kind: RecordKind, state: RecordState, orgId: String? = nil, region: String? = nil,
                assignedAgency: String? = nil, parentState: RecordState? = nil, ownerUserId: String? = nil) {
        self.kind = kind
        self.state = state
        self.orgId = orgId
        self.region = region
        self.assignedAgency = assignedAgency
        self.parentState = parentState
        self.ownerUserId = ownerUserId
    }

    /// The subject for a record; the parent's facts are passed when the record is a child.
    public init(record: Record, parent: Record? = nil) {
        let carrier = parent ?? record
        self.init(kind: record.kind, state: record.state, orgId: record.orgId, region: record.region,
                  assignedAgency: carrier.fields[WorkflowFields.agency]?.string,
                  parentState: parent?.state, ownerUserId: record.fields[WorkflowFields.owner]?.string)
    }
}

/// Field paths the server maintains on records; clients never set them.
public enum WorkflowFields {
    /// The agency an application is assigned to (set by `assign`); on an assessment, the agency that
    /// made it (set by the server at its creation; `AgencyRules.counts`).
    public static let agency = "review.agency"
    /// The id of the catalogue an application is scored against (set by `assign`: the catalogue in
    /// force at that moment; see `CatalogueRecord`).
    public static let catalogue = "review.catalogueId"
    /// The user a profile belongs to, or the author of a notice.
    public static let owner = "meta.owner"
    /// Prefixes of paths only the server writes.
    public static let serverPrefixes = ["review.", "meta.", "certificate."]

    /// True when clients may not set this path.
    public static func isServerManaged(_ path: String) -> Bool {
        serverPrefixes.contains { path.hasPrefix($0) }
    }
}

/// Facts beyond the record itself that some transitions need (computed by the caller).
public struct WorkflowFacts: Sendable, Hashable {
    /// The data check's findings on the record (errors block a submit).
    public var dataCheckFindings: [Finding]
    /// An approved pre-application exists for the application's licence number.
    public var approvedPreApplicationExists: Bool
    /// The assigned agency has recorded a complete assessment.
    public var assessmentRecorded: Bool
    /// Why the recorded assessment fails the catalogue's pass rules (empty when it passes).
    public var assessmentFailures: [RuleViolation]
    /// The data check's findings on the recorded assessment that block `completeAssessment`: the
    /// report rule (`DataCheck.reportFinding`, issue 14); an error here refuses the transition.
    public var assessmentFindings: [Finding] = []
    /// The assessment agencies an assignment may name (`AgencyRules`); nil when the caller does not
    /// know them (a device that has not synced the list): then only a blank name is refused.
    public var agencies: [Agency]?

    public init(dataCheckFindings: [Finding] = [], approvedPreApplicationExists: Bool = false,
                assessmentRecorded: Bool = false, assessmentFailures: [RuleViolation] = [],
                agencies: [Agency]? = nil) {
        self.dataCheckFindings = dataCheckFindings
        self.approvedPreApplicationExists = approvedPreApplicationExists
        self.assessmentRecorded = assessmentRecorded
        self.assessmentFailures = assessmentFailures
        self.agencies = agencies
    }
}

/// The answer to "may this actor fire this transition on this record now".
public enum WorkflowDecision: Sendable, Hashable {
    /// Allowed; the record moves to `to` (nil: the state does not change).
    case allowed(to: RecordState?)
    /// Refused, and why.
    case refused(RuleViolation)

    /// The refusal, if refused.
    public var violation: RuleViolation? {
        if case .refused(let violation) = self { return violation }
        return nil
    }
}
