import Foundation
import Testing
@testable import GreenMineShared

/// Walks the workflow table: no record can be trapped in a state nobody may leave.
struct WorkflowTrapTests {
    /// Roles that always exist and whose scope always reaches a submitted record of their area: a
    /// state waiting on the authorities must have a way out through one of them, not only through an
    /// assessor (an agency may have no account, or never act).
    static let standingAuthorities: Set<Role> = [.province, .ministry]
    static let authorities: Set<Role> = [.county, .city, .province, .ministry, .assessor]
    /// States the enterprise holds (it edits and submits, or deletes); the authorities wait on it.
    static let enterpriseStates: Set<RecordState> = [.draft, .returned]

    /// The states a kind can reach from `draft` through the table's state-changing rows.
    static func reachable(_ kind: RecordKind) -> Set<RecordState> {
        var seen: Set<RecordState> = [.draft]
        var queue: [RecordState] = [.draft]
        while let state = queue.popLast() {
            for rule in WorkflowTable.rules where rule.kinds.contains(kind) && rule.from.contains(state) {
                if let next = rule.to, seen.insert(next).inserted { queue.append(next) }
            }
        }
        return seen
    }

    /// The rows that move a `kind` record on from `state` (to another state, or to another agency by
    /// assigning again); an opinion moves nothing and does not count.
    static func exits(_ kind: RecordKind, from state: RecordState) -> [TransitionRule] {
        WorkflowTable.rules.filter { $0.kinds.contains(kind) && $0.from.contains(state) && $0.to != nil }
    }

    @Test(arguments: Array(WorkflowTable.reviewedKinds).sorted { $0.rawValue < $1.rawValue })
    func everyNonFinalStateHasAnAuthorityAction(_ kind: RecordKind) {
        let final: Set<RecordState> = kind == .application ? [.rejected, .removed] : [.approved, .rejected]
        for state in Self.reachable(kind).sorted(by: { $0.rawValue < $1.rawValue }) {
            let actions = Self.exits(kind, from: state)
            if final.contains(state) {
                #expect(actions.isEmpty, "\(kind) \(state) is final, yet \(actions.map(\.transition)) leave it")
                continue
            }
            #expect(!actions.isEmpty, "\(kind) is trapped in \(state): no transition leaves it")
            if Self.enterpriseStates.contains(state) {
                #expect(actions.contains { $0.roles.contains(.enterprise) }, "\(kind) \(state): the enterprise cannot act")
                continue
            }
            #expect(actions.contains { !$0.roles.isDisjoint(with: Self.authorities) },
                    "\(kind) \(state): no authority role may act")
            #expect(actions.contains { !$0.roles.isDisjoint(with: Self.standingAuthorities) },
                    "\(kind) \(state): only \(actions.flatMap(\.roles)) may act; a province or the ministry must be able to move it")
        }
    }

    /// The trap of issue 11: an application assigned to an agency that never acts. The province
    /// takes it back by assigning it to another agency.
    @Test func theProvinceReassignsAnApplicationBeingAssessed() {
        let province = Actor(userId: "u-prov", role: .province, region: "130000")
        let subject = WorkflowSubject(kind: .application, state: .assessing, orgId: "org", region: "130102",
                                      assignedAgency: "旧机构")
        let agencies = [Agency(code: "AG0001", name: "旧机构"), Agency(code: "AG0002", name: "新机构", provinces: ["130000"])]
        #expect(Workflow.decide(.assign, by: province, on: subject, agency: "新机构",
                                facts: WorkflowFacts(agencies: agencies)) == .allowed(to: .assessing))
        #expect(Workflow.decide(.assign, by: province, on: subject, agency: "ag0002",
                                facts: WorkflowFacts(agencies: agencies)) == .allowed(to: .assessing))
        #expect(Workflow.decide(.assign, by: province, on: subject, agency: "不存在的机构",
                                facts: WorkflowFacts(agencies: agencies)).violation?.code == "agency_unknown")
        #expect(Workflow.decide(.assign, by: province, on: subject, agency: "不存在的机构").violation == nil,
                "without the list (an offline device that never synced it) only the server can tell")
        let elsewhere = [Agency(code: "AG0003", name: "外省机构", provinces: ["110000"])]
        #expect(Workflow.decide(.assign, by: province, on: subject, agency: "外省机构",
                                facts: WorkflowFacts(agencies: elsewhere)).violation?.code == "agency_out_of_province")
    }

    @Test func anAssessmentCountsOnlyForTheAgencyThatMadeIt() {
        var application = Record(id: UUID(), kind: .application, version: 3, state: .assessing)
        application.fields[WorkflowFields.agency] = .string("新机构")
        var old = Record(id: UUID(), kind: .assessment, version: 2, state: .draft, parentId: application.id)
        old.fields[WorkflowFields.agency] = .string("旧机构")
        var current = old
        current.fields[WorkflowFields.agency] = .string("新机构")
        let legacy = Record(id: UUID(), kind: .assessment, version: 1, state: .draft, parentId: application.id)
        #expect(!AgencyRules.counts(old, for: application))
        #expect(AgencyRules.counts(current, for: application))
        #expect(AgencyRules.counts(legacy, for: application))
    }
}
