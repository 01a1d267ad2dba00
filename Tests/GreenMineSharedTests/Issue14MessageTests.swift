import Foundation
import Testing
@testable import GreenMineShared

/// Issue 14 item 8: the wording of messages both sides show (articles, who may post notices,
/// the counts of an attach that does not fit).
struct Issue14MessageTests {
    @Test func kindsTakeTheirArticleInEnglish() throws {
        #expect(RecordKind.application.englishWithArticle == "an application")
        #expect(RecordKind.preApplication.englishWithArticle == "a pre-application")
        #expect(RecordKind.assessment.englishWithArticle == "an assessment")
        let bytes: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [0, 1, 1, 0]
        let refused = try #require(AttachmentRules.check(slot: "app.pdf", kind: .application, size: 5000,
                                                         type: ContentSniffer.detect(head: bytes), name: "scan.pdf",
                                                         existing: []))
        #expect(refused.message.en.contains("of an application"), "\(refused.message.en)")
        #expect(!refused.message.en.contains("of a application"))
    }

    @Test func noticesNameBothRolesThatMayPostThem() throws {
        let enterprise = Actor(userId: "u-ent", role: .enterprise, orgId: "91130102MA0000000X")
        var subject = WorkflowSubject(kind: .notice, state: .draft, orgId: nil, region: "130000")
        subject.ownerUserId = "u-min"
        let refused = try #require(Workflow.editViolation(by: enterprise, on: subject))
        #expect(refused.code == "role_not_allowed")
        #expect(refused.message.en == "only province reviewer or ministry users may do this")
        #expect(refused.message.zh.contains("省级自然资源主管部门或自然资源部"))
        let ministry = Actor(userId: "u-min", role: .ministry)
        #expect(Workflow.editViolation(by: ministry, on: subject) == nil)
    }

    @Test func sixVideosAtOnceCountFromTheSlotBeforeTheCommand() throws {
        let refused = try #require(AttachmentRules.checkCount(slot: "app.video", kind: .application, adding: 6,
                                                              existing: []))
        #expect(refused.code == "attachment_too_many")
        #expect(refused.message.en.contains("it has 0 and this attach adds 6"), "\(refused.message.en)")
        #expect(refused.message.zh.contains("已有 0 个，本次添加 6 个"))
        #expect(AttachmentRules.checkCount(slot: "app.video", kind: .application, adding: 5, existing: []) == nil)
    }
}

/// Issue 14 item 9: an assessment needs its report unless its catalogue waives it; one rule in the
/// data check, used by the workflow's `completeAssessment` on both sides.
struct AssessmentReportRuleTests {
    static func assessment(report: Bool) -> Record {
        Record(id: UUID(), kind: .assessment, version: 1, state: .draft, orgId: nil, region: "130102",
               fields: ["assessment.catalogueId": .string(Catalogue.sample.id), "assessment.summary": .string("完成")],
               attachments: report ? [AttachmentRef(slot: "assessment.report", sha256: String(repeating: "b", count: 64),
                                                    size: 4096, mime: "application/pdf", name: "评估报告.pdf")] : [])
    }

    @Test func theReportIsRequiredUnlessTheCatalogueWaivesIt() throws {
        let now = Date(timeIntervalSince1970: 1_796_100_000)
        let missing = DataCheck.run(Self.assessment(report: false),
                                    context: DataCheckContext(now: now, catalogue: .sample))
        let finding = try #require(missing.first { $0.code == "report_required" })
        #expect(finding.severity == .error)
        #expect(finding.path == "attachments.assessment.report")
        #expect(!DataCheck.run(Self.assessment(report: true), context: DataCheckContext(now: now, catalogue: .sample))
            .contains { $0.code == "report_required" })
        var waived = Catalogue.sample
        waived.reportRequired = false
        #expect(!DataCheck.run(Self.assessment(report: false), context: DataCheckContext(now: now, catalogue: waived))
            .contains { $0.code == "report_required" })
        // The workflow refuses completeAssessment on such findings.
        var facts = WorkflowFacts(assessmentRecorded: true)
        facts.assessmentFindings = missing
        let subject = WorkflowSubject(kind: .application, state: .assessing, orgId: "91130102MA0000000X",
                                      region: "130102", assignedAgency: "冀绿评估中心")
        let assessor = Actor(userId: "u-a", role: .assessor, agency: "冀绿评估中心")
        #expect(Workflow.decide(.completeAssessment, by: assessor, on: subject, facts: facts).violation?.code
            == "report_required")
        facts.assessmentFindings = []
        #expect(Workflow.decide(.completeAssessment, by: assessor, on: subject, facts: facts) == .allowed(to: .assessed))
    }

    @Test func aCatalogueWithoutTheKeyRequiresTheReport() throws {
        let json = try Catalogue.sample.encodedJSON()
        #expect(!String(decoding: json, as: UTF8.self).contains("reportRequired"))
        #expect(try Catalogue.decode(json: json).requiresReport)
    }
}

/// Issue 14 item 6: one profile id per user, the same everywhere.
struct ProfileIdentityTests {
    @Test func theIdIsStablePerUserAndAVersion8UUID() {
        let one = ProfileIdentity.recordId(forUser: "u-alice")
        #expect(one == ProfileIdentity.recordId(forUser: "u-alice"))
        #expect(one != ProfileIdentity.recordId(forUser: "u-bob"))
        #expect(one.uuidString.lowercased().split(separator: "-")[2].hasPrefix("8"))
    }
}
