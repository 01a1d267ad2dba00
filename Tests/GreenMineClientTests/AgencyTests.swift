import Foundation
import GreenMineShared
import Testing
@testable import GreenMineClient

/// `review assign` names an agency the server keeps: the list reaches reviewers at login and sync,
/// and an unknown name is refused on the device, offline (issue 11).
struct AgencyTests {
    @Test func anUnknownAgencyIsRefusedOfflineAgainstTheListOfTheLastSync() async throws {
        let home = await TestHome.authority("prov")
        let application = ReviewFixtures.application(.underReview)
        try home.seed([application])
        #expect(try home.store().read { try AgencyCache.known($0) }?.map(\.name) == [FakeServer.agency])
        home.server.offline = true
        let unknown = await home.run(["review", "assign", TestHome.short(application), "--agency", "不存在的机构"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("there is no assessment agency named or coded '不存在的机构'"))
        home.language = "zh_CN.UTF-8"
        let zh = await home.run(["review", "assign", TestHome.short(application), "--agency", "不存在的机构", "--json"])
        #expect(zh.status == 1)
        #expect(zh.stderr.contains("agency_unknown"))
        #expect(zh.stderr.contains("没有名称或代码为“不存在的机构”的第三方评估机构"))
        home.language = "en_US.UTF-8"
        #expect(try home.outbox().isEmpty)
        // By code, offline: queued under the agency's name.
        let byCode = await home.run(["review", "assign", TestHome.short(application), "--agency", "ag0001"])
        #expect(byCode.status == 0, "\(byCode.stderr)")
        #expect(byCode.stdout.contains(FakeServer.agency))
        #expect(try home.outbox().map(\.agency) == [FakeServer.agency])
    }

    @Test func theListIsRefreshedAtSyncAndShown() async throws {
        let server = FakeServer()
        let home = await TestHome.authority("prov", server: server)
        server.agencies.append(Agency(code: "AG0002", name: "另一家评估机构"))
        #expect(await home.run(["sync"]).status == 0)
        let listed = await home.run(["review", "agencies"])
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout.contains("AG0002"))
        #expect(listed.stdout.contains("另一家评估机构"))
        // An agency the server no longer lists is forgotten at the next sync.
        server.agencies.removeLast()
        #expect(await home.run(["sync"]).status == 0)
        #expect(!(await home.run(["review", "agencies"])).stdout.contains("另一家评估机构"))
    }

    @Test func withoutAListTheServerDecides() async throws {
        let server = FakeServer()
        server.agencies = []
        let home = await TestHome.authority("prov", server: server)
        let application = ReviewFixtures.application(.underReview)
        try home.seed([application])
        let run = await home.run(["review", "assign", TestHome.short(application), "--agency", "某机构"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("the server checks the name"))
    }

    @Test func anApplicationBeingAssessedCanBeAssignedAgain() async throws {
        let home = await TestHome.authority("prov")
        let application = ReviewFixtures.application(.assessing, agency: "另一家评估机构")
        try home.seed([application])
        let run = await home.run(["review", "assign", TestHome.short(application), "--agency", FakeServer.agency])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try home.outbox().map(\.transition) == [.assign])
    }

    @Test func anAssessmentLeftByAnotherAgencyDoesNotCount() async throws {
        let home = await TestHome.authority("prov")
        let application = ReviewFixtures.application(.assessed, agency: FakeServer.agency)
        var left = ReviewFixtures.assessment(of: application, share: 0.9)
        left.fields[WorkflowFields.agency] = .string("另一家评估机构")
        try home.seed([application, left])
        let refused = await home.run(["review", "approve", TestHome.short(application)])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("there is no assessment to approve on"))
        var own = left
        own.fields[WorkflowFields.agency] = .string(FakeServer.agency)
        try home.seed([own])
        let approved = await home.run(["review", "approve", TestHome.short(application)])
        #expect(approved.status == 0, "\(approved.stderr)")
    }
}
