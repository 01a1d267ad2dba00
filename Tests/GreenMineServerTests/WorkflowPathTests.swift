import Foundation
import GreenMineShared
import Hummingbird
import HummingbirdTesting
import Testing
@testable import GreenMineServer

/// The review workflow of DESIGN.md §3, driven only through pushes as clients would send them.
struct WorkflowPathTests {
    /// An assessment that scores every item of the sample catalogue at `share` of its maximum.
    static func assessmentFields(share: Double) -> [String: JSONValue] {
        var fields: [String: JSONValue] = [
            "assessment.catalogueId": .string(Catalogue.sample.id),
            "assessment.summary": .string("现场核查完成"),
        ]
        for prerequisite in Catalogue.sample.prerequisites {
            fields["prerequisites.\(prerequisite.code)"] = .bool(true)
        }
        for item in Catalogue.sample.allItems {
            fields["scores.\(item.code)"] = .double(item.maxPoints * share)
        }
        return fields
    }

    @Test func fromPreApplicationToApprovedApplication() async throws {
        let harness = try await Harness()
        let enterprise = try await harness.token("demo-ent1")
        let province = try await harness.token("demo-province")
        let assessor = try await harness.token("demo-assessor")
        try await harness.withAPI { api in
            var ent = Device()
            var prov = Device()
            var agency = Device()

            // An incomplete pre-application is refused by the data check, with every finding.
            var incomplete = Sample.preApplicationFields()
            incomplete["prerequisites.noPenalty"] = nil
            incomplete["prerequisites.disclosure"] = .bool(false)
            let draft = try await api.apply(enterprise, ent, ent.create(.preApplication, set: incomplete))
            let refused = try await api.expectRejected(enterprise, ent, ent.transition(draft, .submit),
                                                       "data_check_failed")
            let findings = try #require(refused.error?.findings)
            let failing = Set(findings.filter { $0.severity == .error }.map(\.path))
            #expect(failing == ["prerequisites.noPenalty", "prerequisites.disclosure", "attachments.pre.image"])
            #expect(findings.contains { $0.path == "prerequisites.noPenalty" && $0.code == "required" })
            #expect(findings.contains { $0.path == "prerequisites.disclosure" && $0.code == "prerequisite_not_met" })
            #expect(try await harness.stored(draft.id)?.state == .draft)
            #expect(try await harness.versions(of: draft.id) == [1])

            // An application cannot be submitted before its pre-application is approved.
            let application = try await api.apply(enterprise, ent, ent.create(.application, set: Sample.applicationFields()))
            try await api.expectRejected(enterprise, ent, ent.transition(application, .submit),
                                         "pre_application_not_approved")

            // Completed and submitted, the pre-application reaches the province, which accepts and approves it.
            let fixed = try await api.apply(enterprise, ent, ent.patch(draft, set: [
                "prerequisites.noPenalty": .bool(true), "prerequisites.disclosure": .bool(true),
            ]))
            let attached = try await api.apply(enterprise, ent, ent.attach(fixed, slot: "pre.image",
                                                                           sha256: Sample.imageSHA))
            #expect(attached.attachments.map(\.sha256) == [Sample.imageSHA])
            let submitted = try await api.apply(enterprise, ent, ent.transition(attached, .submit))
            #expect(submitted.state == .submitted)
            try await api.expectRejected(province, prov, prov.transition(submitted, .approve), "invalid_state")
            let accepted = try await api.apply(province, prov, prov.transition(submitted, .accept))
            #expect(accepted.state == .underReview)
            let approved = try await api.apply(province, prov, prov.transition(accepted, .approve))
            #expect(approved.state == .approved)
            // Approved records are no longer the enterprise's to edit.
            try await api.expectRejected(enterprise, ent, ent.patch(approved, set: ["remarks.text": .string("x")]),
                                         "not_editable")

            // Now the application goes in; withdrawn before anyone acts, then submitted again.
            let appSubmitted = try await api.apply(enterprise, ent, ent.transition(application, .submit))
            #expect(appSubmitted.state == .submitted)
            let withdrawn = try await api.apply(enterprise, ent, ent.transition(appSubmitted, .withdraw))
            #expect(withdrawn.state == .draft)
            let again = try await api.apply(enterprise, ent, ent.transition(withdrawn, .submit))
            let appAccepted = try await api.apply(province, prov, prov.transition(again, .accept))
            #expect(appAccepted.state == .underReview)
            // After acceptance a withdrawal is refused, and nothing changes.
            try await api.expectRejected(enterprise, ent, ent.transition(appAccepted, .withdraw), "invalid_state")
            #expect(try await harness.stored(application.id)?.state == .underReview)

            // The assessor sees nothing until the province assigns its agency.
            #expect(try await api.pullAll(assessor).records.isEmpty)
            try await api.expectRejected(province, prov, prov.transition(appAccepted, .assign), "agency_required")
            let assigned = try await api.apply(province, prov, prov.transition(appAccepted, .assign,
                                                                               agency: DemoData.agency))
            #expect(assigned.state == .assessing)
            #expect(assigned.fields[WorkflowFields.agency] == .string(DemoData.agency))
            let seen = try await api.pullAll(assessor).records
            #expect(Set(seen.keys) == [application.id])
            #expect(seen[application.id]?.state == .assessing)

            // The assessor scores it and completes the assessment; the province approves.
            let unreported = try await api.apply(assessor, agency, agency.create(
                .assessment, set: Self.assessmentFields(share: 0.9), parent: application.id))
            // Issue 14 item 9: complete scores without the report are refused by the data check.
            try await api.expectRejected(assessor, agency, agency.transition(assigned, .completeAssessment),
                                         "report_required")
            let assessment = try await api.apply(assessor, agency, agency.attach(
                unreported, slot: "assessment.report", sha256: Sample.pdfSHA, name: "评估报告.pdf"))
            #expect(assessment.parentId == application.id)
            try await api.expectRejected(province, prov, prov.transition(assigned, .approve), "invalid_state")
            let assessed = try await api.apply(assessor, agency, agency.transition(assigned, .completeAssessment))
            #expect(assessed.state == .assessed)
            let final = try await api.apply(province, prov, prov.transition(assessed, .approve))
            #expect(final.state == .approved)
            // The enterprise sees the outcome.
            let mine = try await api.pullAll(enterprise).records
            #expect(mine[application.id]?.state == .approved)

            // The history is the process monitoring log: every step, who, when, from where to where.
            let history = try API.decode(HistoryResponse.self, try await api.history(enterprise, application.id))
            #expect(history.events.map(\.action) == ["create", "submit", "withdraw", "submit", "accept", "assign",
                                                     "completeAssessment", "approve", "issueCertificate"])
            #expect(history.events.map(\.role) == [.enterprise, .enterprise, .enterprise, .enterprise, .province,
                                                   .province, .assessor, .province, .province])
            #expect(history.events.map(\.version) == Array(1...8) + [8])
            let assign = try #require(history.events.first { $0.action == "assign" })
            #expect(assign.actorName == "demo-province")
            #expect(assign.fromState == .underReview)
            #expect(assign.toState == .assessing)
            #expect(assign.serverTime == Harness.start)
            #expect(history.events.first?.deviceTime != nil)
            #expect(history.events.first?.orgId == DemoData.creditCode(1))
            #expect(history.events.map(\.seq) == history.events.map(\.seq).sorted())
        }
    }

    @Test func aFailingAssessmentCannotBeApprovedAndGoesBack() async throws {
        let harness = try await Harness()
        let enterprise = try await harness.token("demo-ent1")
        let province = try await harness.token("demo-province")
        let assessor = try await harness.token("demo-assessor")
        try await harness.withAPI { api in
            var ent = Device()
            var prov = Device()
            var agency = Device()
            let pre = try await api.submittedPreApplication(enterprise, &ent)
            _ = try await api.approvedByProvince(pre, province: province, &prov)
            let application = try await api.submittedApplication(enterprise, &ent)
            let accepted = try await api.apply(province, prov, prov.transition(application, .accept))
            let assigned = try await api.apply(province, prov, prov.transition(accepted, .assign,
                                                                               agency: DemoData.agency))
            // Completing without a complete scoresheet is refused.
            try await api.expectRejected(assessor, agency, agency.transition(assigned, .completeAssessment),
                                         "assessment_missing")
            try await api.scoredWithReport(assessor, &agency, application: application.id, share: 0.5)
            let assessed = try await api.apply(assessor, agency, agency.transition(assigned, .completeAssessment))
            try await api.expectRejected(province, prov, prov.transition(assessed, .approve), "assessment_failed")
            try await api.expectRejected(province, prov, prov.transition(assessed, .sendBack), "comment_required")
            let returned = try await api.apply(province, prov, prov.transition(assessed, .sendBack,
                                                                               comment: "评分未达标，请整改"))
            #expect(returned.state == .returned)
            // The enterprise may edit a returned record and submit it again.
            let edited = try await api.apply(enterprise, ent, ent.patch(returned, set: [
                "indicators.landReclamationRate": .double(95),
            ]))
            let resubmitted = try await api.apply(enterprise, ent, ent.transition(edited, .submit))
            #expect(resubmitted.state == .submitted)
            let history = try API.decode(HistoryResponse.self, try await api.history(province, application.id))
            #expect(history.events.first { $0.action == "return" }?.comment == "评分未达标，请整改")
        }
    }

    @Test func approvalIsPerOrganisationAndLicence() async throws {
        let harness = try await Harness()
        let ent1 = try await harness.token("demo-ent1")
        let ent2 = try await harness.token("demo-ent2")
        let province = try await harness.token("demo-province")
        try await harness.withAPI { api in
            var one = Device()
            var two = Device()
            var prov = Device()
            let pre = try await api.submittedPreApplication(ent2, &two, region: DemoData.counties[1],
                                                            licence: DemoData.licence(2))
            _ = try await api.approvedByProvince(pre, province: province, &prov)
            // Enterprise 1 names enterprise 2's licence: the registry says it is not enterprise 1's.
            let borrowed = try await api.apply(ent1, one, one.create(.application, set: Sample.applicationFields(
                licence: DemoData.licence(2))))
            try await api.expectRejected(ent1, one, one.transition(borrowed, .submit), "licence_not_yours")
            // A rejected pre-application does not count either.
            let other = try await api.submittedPreApplication(ent1, &one)
            let accepted = try await api.apply(province, prov, prov.transition(other, .accept))
            _ = try await api.apply(province, prov, prov.transition(accepted, .reject, comment: "不符合条件"))
            let application = try await api.apply(ent1, one, one.create(.application, set: Sample.applicationFields()))
            try await api.expectRejected(ent1, one, one.transition(application, .submit), "pre_application_not_approved")
            // Enterprise 2's own application goes through.
            let own = try await api.apply(ent2, two, two.create(.application, set: Sample.applicationFields(
                region: DemoData.counties[1], licence: DemoData.licence(2), creditCode: DemoData.creditCode(2))))
            #expect(try await api.apply(ent2, two, two.transition(own, .submit)).state == .submitted)
        }
    }

    @Test func anIncompleteApplicationIsRefusedWithItsFindings() async throws {
        let harness = try await Harness()
        let enterprise = try await harness.token("demo-ent1")
        let province = try await harness.token("demo-province")
        try await harness.withAPI { api in
            var ent = Device()
            var prov = Device()
            let pre = try await api.submittedPreApplication(enterprise, &ent)
            _ = try await api.approvedByProvince(pre, province: province, &prov)
            var fields = Sample.applicationFields()
            fields["contact.mobile"] = .string("1234")
            fields["basic.licenceValidTo"] = .string("2020-12-31")
            fields["indicators.landReclamationRate"] = .double(120)
            fields["status.management"] = nil
            let application = try await api.apply(enterprise, ent, ent.create(.application, set: fields))
            let result = try await api.expectRejected(enterprise, ent, ent.transition(application, .submit),
                                                      "data_check_failed")
            let paths = Set((result.error?.findings ?? []).filter { $0.severity == .error }.map(\.path))
            // The licence's dates are the registry's (filled at submit), not the typed 2020-12-31.
            #expect(paths == ["contact.mobile", "indicators.landReclamationRate", "status.management"])
            #expect(try await harness.versions(of: application.id) == [1])
        }
    }
}
