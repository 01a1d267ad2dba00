import Foundation
import GreenMineShared
import Testing
@testable import GreenMineClient

/// `assess`: scoring against the catalogue, the guided mode, the report, and submitting.
struct AssessTests {
    /// An assessor's home holding an application assigned to its agency.
    static func assessing(_ user: String = "assessor") async throws -> (TestHome, Record) {
        let home = await TestHome.authority(user)
        let application = ReviewFixtures.application(.assessing, agency: FakeServer.agency)
        try home.seed([application])
        return (home, application)
    }

    @Test func theFirstScoreMakesTheAssessmentThenItIsPatched() async throws {
        let (home, application) = try await Self.assessing()
        let id = TestHome.short(application)
        let first = await home.run(["assess", "score", id, "--prerequisite", "P1=是", "P2=yes", "--item", "1.1.1=18",
                                    "1.1.2=19.5"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("Started the assessment"))
        let created = try #require(try home.outbox().first)
        #expect(created.op == .create)
        #expect(created.kind == .assessment)
        #expect(created.parentId == application.id)
        #expect(created.set?["assessment.catalogueId"] == .string(Catalogue.sample.id))
        #expect(created.set?["prerequisites.P1"] == .bool(true))
        #expect(created.set?["scores.1.1.1"] == .int(18))
        #expect(created.set?["scores.1.1.2"] == .double(19.5))
        let second = await home.run(["assess", "score", id, "--item", "1.1.1=20,1.1.3=15", "--summary", "现场核查完成"])
        #expect(second.status == 0, "\(second.stderr)")
        let patch = try #require(try home.outbox().last)
        #expect(patch.op == .patch)
        #expect(patch.recordId == created.recordId)
        #expect(patch.set == ["scores.1.1.1": .int(20), "scores.1.1.3": .int(15),
                              "assessment.summary": .string("现场核查完成")])
        // Unchanged values queue nothing.
        let same = await home.run(["assess", "score", id, "--item", "1.1.1=20"])
        #expect(same.stdout.contains("No score changed"))
        #expect(try home.outbox().count == 2)
        let show = await home.run(["assess", "show", id])
        #expect(show.stdout.contains("Progress: 3/32 items scored, 2/5 prerequisites answered"))
        #expect(show.stdout.contains("SAMPLE"))
    }

    @Test func codesAndRangesAreCheckedAgainstTheCatalogueBeforeAnythingIsSaved() async throws {
        let (home, application) = try await Self.assessing()
        let id = TestHome.short(application)
        let unknown = await home.run(["assess", "score", id, "--item", "1.1.1=10", "9.9.9=1"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("item '9.9.9' is not in the catalogue"))
        let high = await home.run(["assess", "score", id, "--item", "1.1.1=21"])
        #expect(high.stderr.contains("21 points is outside 0 to 20"))
        let negative = await home.run(["assess", "score", id, "--item", "1.1.1=-1"])
        #expect(negative.stderr.contains("outside 0 to 20"))
        let text = await home.run(["assess", "score", id, "--item", "1.1.1=many"])
        #expect(text.stderr.contains("are not a number"))
        let prerequisite = await home.run(["assess", "score", id, "--prerequisite", "P9=yes"])
        #expect(prerequisite.stderr.contains("prerequisite 'P9' is not in the catalogue"))
        let answer = await home.run(["assess", "score", id, "--prerequisite", "P1=maybe"])
        #expect(answer.stderr.contains("answer yes or no"))
        let form = await home.run(["assess", "score", id, "--item", "1.1.1"])
        #expect(form.stderr.contains("CODE=VALUE"))
        #expect(await home.run(["assess", "score", id]).status != 0)
        #expect(try home.outbox().isEmpty)
    }

    @Test func guidedScoringAsksEachPrerequisiteAndItemAndChecksEachAnswer() async throws {
        let (home, application) = try await Self.assessing()
        home.language = "zh_CN.UTF-8"
        var answers = ["是", "是", "也许", "是", "是", "是"] // the third answer is refused, then given again
        for (index, item) in Catalogue.sample.allItems.enumerated() {
            if index == 0 { answers += ["25", "abc"] } // out of range, not a number: asked again
            answers.append(Points.text(item.maxPoints * 0.9))
        }
        answers.append("现场核查完成")
        let run = await home.run(["assess", "score", TestHome.short(application), "--guided"], input: answers)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("P1 营业执照、采矿许可证、安全生产许可证均在有效期内（是/否）"))
        #expect(run.stdout.contains("1.1.1 功能分区与布局合理（0–20 分）"))
        #expect(run.stdout.contains("回答“也许”无效"))
        #expect(run.stdout.contains("得分 25 超出范围"))
        #expect(run.stdout.contains("得分“abc”不是数字"))
        #expect(run.stdout.contains("已评分 32/32 项，先决条件 5/5 项"))
        #expect(run.stdout.contains("达到通过条件 ✓"))
        let created = try #require(try home.outbox().first)
        #expect(created.set?["scores.6.2.2"] == .int(45))
        #expect(created.set?["assessment.summary"] == .string("现场核查完成"))
        // Enter keeps, '-' clears, ':q' abandons without saving.
        let keep = await home.run(["assess", "score", TestHome.short(application), "--guided"], input: ["", "-"])
        #expect(keep.status == 0)
        #expect(try home.outbox().last?.set == ["prerequisites.P2": .null])
        let abandon = await home.run(["assess", "score", TestHome.short(application), "--guided"], input: ["否", ":q"])
        #expect(abandon.status == 1)
        #expect(abandon.stderr.contains("已放弃评分"))
        #expect(try home.outbox().count == 2)
    }

    @Test func submitIsRefusedWhileIncompleteAndQueuedOnTheApplicationWhenComplete() async throws {
        let (home, application) = try await Self.assessing()
        let id = TestHome.short(application)
        #expect(await home.run(["assess", "score", id, "--item", "1.1.1=18"]).status == 0)
        let early = await home.run(["assess", "submit", id])
        #expect(early.status == 1)
        #expect(early.stderr.contains("no complete assessment has been recorded yet"))
        #expect(early.stderr.contains("prerequisites not answered: P1, P2, P3, P4, P5"))
        #expect(early.stderr.contains("items not scored (31)"))
        let items = Catalogue.sample.allItems.map { "\($0.code)=\(Points.text($0.maxPoints * 0.6))" }
        let all = await home.run(["assess", "score", id, "--prerequisite", "P1=y", "P2=y", "P3=y", "P4=y", "P5=y",
                                  "--item"] + items)
        #expect(all.status == 0, "\(all.stderr)")
        // Issue 14 item 9: without the report the data check refuses it, offline.
        let noReport = await home.run(["assess", "submit", id])
        #expect(noReport.status == 1)
        #expect(noReport.stderr.contains("assessment report (PDF) is missing"), "\(noReport.stderr)")
        #expect(try home.outbox().last?.op != .transition)
        let report = try home.files.pdf("评估报告.pdf")
        #expect(await home.run(["assess", "report", id, report.path]).status == 0)
        // A failing score may be submitted; the province then cannot approve it.
        let submit = await home.run(["assess", "submit", id])
        #expect(submit.status == 0, "\(submit.stderr)")
        #expect(submit.stdout.contains("does not pass"))
        let mutation = try #require(try home.outbox().last)
        #expect(mutation.op == .transition)
        #expect(mutation.transition == .completeAssessment)
        #expect(mutation.recordId == application.id)
        #expect(mutation.kind == .application)
        #expect(try home.local(application.id.uuidString.lowercased())?.working.state == .assessed)
        // Now assessed: scoring is closed.
        let late = await home.run(["assess", "score", id, "--item", "1.1.1=20"])
        #expect(late.stderr.contains("can be scored only while it is being assessed"))
    }

    @Test func anAssessorOfAnotherAgencyIsRefused() async throws {
        let (home, application) = try await Self.assessing("stranger")
        let id = TestHome.short(application)
        let score = await home.run(["assess", "score", id, "--item", "1.1.1=18"])
        #expect(score.status == 1)
        #expect(score.stderr.contains("this application is not assigned to your agency"))
        let guided = await home.run(["assess", "score", id, "--guided"], input: ["是"])
        #expect(guided.stderr.contains("not assigned to your agency"))
        #expect(!guided.stdout.contains("P1"))
        try home.seed([ReviewFixtures.assessment(of: application, share: 0.9)])
        let submit = await home.run(["assess", "submit", id])
        #expect(submit.stderr.contains("not assigned to your agency"))
        let report = try home.files.pdf("评估报告.pdf")
        #expect(await home.run(["assess", "report", id, report.path]).stderr.contains("not assigned"))
        #expect(try home.outbox().isEmpty)
    }

    @Test func theReportIsAPDFAttachedToTheAssessment() async throws {
        let (home, application) = try await Self.assessing()
        let id = TestHome.short(application)
        let image = try home.files.jpeg("photo.jpg")
        let refused = await home.run(["assess", "report", id, image.path])
        #expect(refused.status == 1)
        #expect(try home.outbox().isEmpty)
        let report = try home.files.pdf("评估报告.pdf")
        let run = await home.run(["assess", "report", id, report.path])
        #expect(run.status == 0, "\(run.stderr)")
        let queued = try home.outbox()
        #expect(queued.map(\.op) == [.create, .attach])
        #expect(queued.first?.parentId == application.id)
        #expect(queued.last?.attachment?.slot == "assessment.report")
        #expect(queued.last?.attachment?.name == "评估报告.pdf")
        // Later scores patch the same assessment.
        #expect(await home.run(["assess", "score", id, "--item", "1.1.1=18"]).status == 0)
        #expect(try home.outbox().last?.recordId == queued.first?.recordId)
        let list = await home.run(["assess", "list", "--json"])
        let items = try WireCoding.decode([AssessmentListItem].self, from: Data(list.stdout.utf8))
        #expect(items.first?.scoredItems == 1)
        #expect(items.first?.assessmentId == queued.first?.recordId)
    }
}
