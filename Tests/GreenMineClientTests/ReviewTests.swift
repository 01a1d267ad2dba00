import Foundation
import GreenMineShared
import Testing
@testable import GreenMineClient

/// `review`: what reviewers may do, decided here by the shared workflow, and what they queue.
struct ReviewTests {
    @Test func aCountyReviewerCannotApprove() async throws {
        let home = await TestHome.authority("county")
        let pre = ReviewFixtures.preApplication(.underReview)
        try home.seed([pre])
        let run = await home.run(["review", "approve", TestHome.short(pre)])
        #expect(run.status == 1)
        #expect(run.stderr.contains("only a province reviewer may approve; you are a county reviewer"))
        home.language = "zh_CN.UTF-8"
        let zh = await home.run(["review", "approve", TestHome.short(pre), "--json"])
        #expect(zh.stderr.contains("role_not_allowed"))
        #expect(zh.stderr.contains("只有省级自然资源主管部门可以执行“审核通过”"))
        #expect(try home.outbox().isEmpty)
    }

    @Test func theProvinceAcceptsOfflineAndTheTransitionIsQueuedLikeASubmit() async throws {
        let home = await TestHome.authority("prov")
        home.server.store(ReviewFixtures.preApplication(.submitted))
        let pre = try #require(home.server.locked { home.server.records.values.first })
        try home.seed([pre])
        home.server.offline = true
        let run = await home.run(["review", "accept", TestHome.short(pre)])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("accept queued (local state: under review)"))
        let queued = try home.outbox()
        #expect(queued.count == 1)
        let mutation = try #require(queued.first)
        #expect(mutation.op == .transition)
        #expect(mutation.transition == .accept)
        #expect(mutation.kind == .preApplication)
        #expect(mutation.recordId == pre.id)
        #expect(mutation.baseVersion == pre.version)
        #expect(mutation.comment == nil)
        #expect(try home.local(pre.id.uuidString.lowercased())?.working.state == .underReview)
        // Then approved, still offline: the working copy moved on, so the next step is decided on it.
        #expect(await home.run(["review", "approve", TestHome.short(pre)]).status == 0)
        #expect(try home.outbox().map(\.transition) == [.accept, .approve])
        // Back online, both go through.
        home.server.offline = false
        let sync = await home.run(["sync"])
        #expect(sync.status == 0, "\(sync.stderr)")
        #expect(home.server.record(pre.id)?.state == .approved)
    }

    @Test func returnRejectOpinionAndRemoveNeedTheirComment() async throws {
        let home = await TestHome.authority("prov")
        let application = ReviewFixtures.application(.underReview)
        try home.seed([application])
        let id = TestHome.short(application)
        let bare = await home.run(["review", "return", id])
        #expect(bare.status == 1)
        #expect(bare.stderr.contains("'return' needs a comment"))
        let blank = await home.run(["review", "reject", id, "--comment", "  "])
        #expect(blank.stderr.contains("'reject' needs a comment"))
        #expect(try home.outbox().isEmpty)
        let opinion = await home.run(["review", "opinion", id, "--comment", "材料基本齐全"])
        #expect(opinion.status == 0, "\(opinion.stderr)")
        #expect(opinion.stdout.contains("the state does not change"))
        let returned = await home.run(["review", "return", id, "--comment", " 请补充土地复垦方案 "])
        #expect(returned.status == 0, "\(returned.stderr)")
        let queued = try home.outbox()
        #expect(queued.map(\.transition) == [.opinion, .sendBack])
        #expect(queued.map(\.comment) == ["材料基本齐全", "请补充土地复垦方案"])
        #expect(try home.local(application.id.uuidString.lowercased())?.working.state == .returned)
        let json = try WireCoding.encode(try #require(queued.last))
        #expect(String(decoding: json, as: UTF8.self).contains("\"transition\":\"return\""))
    }

    @Test func assignNamesTheAgencyOnTheWire() async throws {
        let home = await TestHome.authority("prov")
        let application = ReviewFixtures.application(.underReview)
        try home.seed([application])
        let run = await home.run(["review", "assign", TestHome.short(application), "--agency", FakeServer.agency])
        #expect(run.status == 0, "\(run.stderr)")
        let mutation = try #require(try home.outbox().first)
        #expect(mutation.transition == .assign)
        #expect(mutation.agency == FakeServer.agency)
        #expect(try home.local(application.id.uuidString.lowercased())?.working.state == .assessing)
        let blank = await home.run(["review", "assign", TestHome.short(application), "--agency", " "])
        #expect(blank.status == 1)
    }

    @Test func approvalNeedsAPassingAssessmentAndSaysWhichRuleFails() async throws {
        let home = await TestHome.authority("prov")
        let application = ReviewFixtures.application(.assessed)
        try home.seed([application])
        let id = TestHome.short(application)
        let none = await home.run(["review", "approve", id])
        #expect(none.status == 1)
        #expect(none.stderr.contains("there is no assessment to approve on"))
        // 70% of every item: below 800 in total and below 75% in every primary.
        try home.seed([ReviewFixtures.assessment(of: application, share: 0.7)])
        let failing = await home.run(["review", "approve", id])
        #expect(failing.status == 1)
        #expect(failing.stderr.contains("does not pass the catalogue's rules"))
        #expect(failing.stderr.contains("Total 700 points is below the pass mark of 800"))
        #expect(failing.stderr.contains("Primary “1 Mine-site environment” has 84 points"))
        home.language = "zh_CN.UTF-8"
        let zh = await home.run(["review", "approve", id])
        #expect(zh.stderr.contains("总分 700 分，低于通过线 800 分"))
        #expect(try home.outbox().isEmpty)
        // A vetoing prerequisite fails it whatever the points.
        home.language = "en_US.UTF-8"
        var veto = ReviewFixtures.assessment(of: application, share: 1, prerequisitesMet: false)
        veto.updatedAt = Date(timeIntervalSince1970: 1_796_100_600)
        try home.seed([veto])
        let vetoed = await home.run(["review", "approve", id])
        #expect(vetoed.stderr.contains("this vetoes the mine"))
        var pass = ReviewFixtures.assessment(of: application, share: 0.9)
        pass.updatedAt = Date(timeIntervalSince1970: 1_796_100_700)
        try home.seed([pass])
        let passing = await home.run(["review", "approve", id])
        #expect(passing.status == 0, "\(passing.stderr)")
        #expect(passing.stdout.contains("cert download"))
        #expect(try home.outbox().map(\.transition) == [.approve])
    }

    @Test func scopeAndStateRefusals() async throws {
        let beijing = await TestHome.authority("beijing")
        let application = ReviewFixtures.application(.submitted)
        try beijing.seed([application])
        let outside = await beijing.run(["review", "accept", TestHome.short(application)])
        #expect(outside.status == 1)
        #expect(outside.stderr.contains("outside your region"))
        let city = await TestHome.authority("city")
        let coarse = ReviewFixtures.preApplication(.submitted, region: "130100")
        try city.seed([coarse])
        let notCounty = await city.run(["review", "opinion", TestHome.short(coarse), "--comment", "同意"])
        #expect(notCounty.stderr.contains("not chosen down to county level"))
        let province = await TestHome.authority("prov")
        let approved = ReviewFixtures.application(.approved)
        try province.seed([approved])
        let again = await province.run(["review", "accept", TestHome.short(approved)])
        #expect(again.stderr.contains("cannot accept a record that is approved; it must be submitted"))
        let ministry = await TestHome.authority("ministry")
        try ministry.seed([approved])
        let removed = await ministry.run(["review", "remove", TestHome.short(approved), "--reason", "抽查不合格"])
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(removed.stdout.contains("revokes the mine's certificate"))
        let mutation = try #require(try ministry.outbox().first)
        #expect(mutation.transition == .remove)
        #expect(mutation.comment == "抽查不合格")
    }

    @Test func listFiltersByStateAndRegionAndShowHasEverySection() async throws {
        let home = await TestHome.authority("prov")
        let submitted = ReviewFixtures.preApplication(.submitted)
        let other = ReviewFixtures.application(.assessed, region: "130104")
        let assessment = ReviewFixtures.assessment(of: other, share: 0.9)
        let evidence = Record(id: UUID(), kind: .evidence, version: 1, state: .draft, orgId: FakeServer.orgId,
                              region: "130104", parentId: other.id,
                              fields: ["evidence.indicator": .string("1.1.1"), "evidence.note": .string("功能分区图")],
                              attachments: [AttachmentRef(slot: "evidence.pdf", sha256: String(repeating: "a", count: 64),
                                                          size: 2048, mime: "application/pdf", name: "分区图.pdf")])
        try home.seed([submitted, other, assessment, evidence])
        let all = await home.run(["review", "list", "--json"])
        let items = try WireCoding.decode([ReviewListItem].self, from: Data(all.stdout.utf8))
        #expect(Set(items.map(\.id)) == [submitted.id, other.id])
        let byState = await home.run(["review", "list", "--state", "已提交", "--json"])
        #expect(try WireCoding.decode([ReviewListItem].self, from: Data(byState.stdout.utf8)).map(\.id) == [submitted.id])
        let byRegion = await home.run(["review", "list", "--region", "130104", "--json"])
        #expect(try WireCoding.decode([ReviewListItem].self, from: Data(byRegion.stdout.utf8)).map(\.id) == [other.id])
        #expect(await home.run(["review", "list", "--state", "pending"]).status != 0)
        home.language = "zh_CN.UTF-8"
        let show = await home.run(["review", "show", TestHome.short(other)])
        #expect(show.status == 0, "\(show.stderr)")
        for section in ["【矿山企业基本信息】", "【数据检查】", "【评价指标佐证材料】", "分区图.pdf", "【第三方评估】",
                        "总分：900 / 1000 分", "达到通过条件", "【可执行的操作】", "greenmine review approve",
                        "【流程监控】"] {
            #expect(show.stdout.contains(section), "missing \(section)")
        }
        let json = await home.run(["review", "show", TestHome.short(other), "--json"])
        let report = try WireCoding.decode(ReviewShowCommand.Report.self, from: Data(json.stdout.utf8))
        #expect(report.review.assessment?.result?.passed == true)
        #expect(report.review.allowed == [.sendBack, .reject, .approve])
        #expect(report.review.evidence.map(\.id) == [evidence.id])
    }

    /// Issue 14 item 8: a pre-application has no holder field; the list names the mine, not the credit code.
    @Test func holderOfAPreApplicationIsANameNotACreditCode() async throws {
        let home = await TestHome.authority("prov")
        let submitted = ReviewFixtures.preApplication(.submitted)
        try home.seed([submitted])
        let list = await home.run(["review", "list"])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(!list.stdout.contains(FakeServer.orgId), "\(list.stdout)")
        let items = try WireCoding.decode([ReviewListItem].self,
                                          from: Data(await home.run(["review", "list", "--json"]).stdout.utf8))
        #expect(items.first?.enterprise == "长安区绿源石灰岩矿")
    }

    @Test func withdrawalAfterAcceptanceIsRefusedOnTheEnterpriseSide() async throws {
        let home = await TestHome.authority("alice")
        let accepted = ReviewFixtures.application(.underReview)
        try home.seed([accepted])
        let run = await home.run(["app", "withdraw", TestHome.short(accepted)])
        #expect(run.status == 1)
        #expect(run.stderr.contains("only a submitted record that no reviewer has acted on can be withdrawn"))
        #expect(try home.outbox().isEmpty)
        // And an enterprise cannot review its own record.
        let accept = await home.run(["review", "accept", TestHome.short(accepted)])
        #expect(accept.stderr.contains("only a province reviewer may accept"))
    }
}
