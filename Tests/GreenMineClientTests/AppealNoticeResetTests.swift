import Foundation
import GreenMineShared
import Testing
@testable import GreenMineClient

/// 在线申诉, 发布通知公告 and password resets.
struct AppealNoticeResetTests {
    @Test func anAppealOnAnApprovedRecordIsRefused() async throws {
        let home = await TestHome.authority("alice")
        let approved = ReviewFixtures.application(.approved)
        try home.seed([approved])
        let run = await home.run(["appeal", "new", TestHome.short(approved), "--reason", "请求复核"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("an appeal can be filed only on a rejected or removed record; this one is approved"))
        #expect(try home.outbox().isEmpty)
    }

    @Test func anAppealOnARejectedRecordIsCreatedAndSubmittedInOneGo() async throws {
        let home = await TestHome.authority("alice")
        let rejected = ReviewFixtures.rejectedApplication()
        try home.seed([rejected])
        let letter = try home.files.pdf("申诉书.pdf")
        let empty = await home.run(["appeal", "new", TestHome.short(rejected), "--reason", " "])
        #expect(empty.status == 1)
        #expect(empty.stderr.contains("appeal.reason"))
        let run = await home.run(["appeal", "new", TestHome.short(rejected), "--reason", "已完成整改，请求复核",
                                  letter.path])
        #expect(run.status == 0, "\(run.stderr)")
        let queued = try home.outbox()
        #expect(queued.map(\.op) == [.create, .attach, .transition])
        let create = try #require(queued.first)
        #expect(create.kind == .appeal)
        #expect(create.parentId == rejected.id)
        #expect(create.set == ["appeal.reason": .string("已完成整改，请求复核")])
        #expect(queued[1].attachment?.slot == "appeal.file")
        #expect(queued[2].transition == .submit)
        #expect(Set(queued.map(\.recordId)).count == 1)
        let again = await home.run(["appeal", "new", TestHome.short(rejected), "--reason", "再次申诉"])
        #expect(again.status == 1)
        #expect(again.stderr.contains("already has an open appeal"))
        let list = await home.run(["appeal", "list", "--json"])
        let items = try WireCoding.decode([AppealListItem].self, from: Data(list.stdout.utf8))
        #expect(items.map(\.state) == [.submitted])
        #expect(items.first?.appealedId == rejected.id)
        #expect(items.first?.files == 1)
        // Another organisation's record, and a reviewer filing an appeal, are refused.
        let province = await TestHome.authority("prov")
        try province.seed([rejected])
        let byReviewer = await province.run(["appeal", "new", TestHome.short(rejected), "--reason", "x"])
        #expect(byReviewer.stderr.contains("only enterprise users may do this"))
    }

    @Test func theProvinceAnswersAnAppealWithReviewCommands() async throws {
        let home = await TestHome.authority("prov")
        let rejected = ReviewFixtures.rejectedApplication()
        let appeal = Record(id: UUID(), kind: .appeal, version: 2, state: .submitted, orgId: FakeServer.orgId,
                            region: rejected.region, parentId: rejected.id,
                            fields: ["appeal.reason": .string("已完成整改")], updatedAt: Date(timeIntervalSince1970: 1_796_100_900))
        try home.seed([rejected, appeal])
        let list = await home.run(["review", "list", "--state", "submitted"])
        #expect(list.stdout.contains("appeal"))
        #expect(list.stdout.contains("长安区绿源石灰岩矿"))
        #expect(await home.run(["review", "accept", TestHome.short(appeal)]).status == 0)
        let show = await home.run(["review", "show", TestHome.short(appeal)])
        #expect(show.stdout.contains("【Record appealed】"))
        #expect(show.stdout.contains("greenmine review approve"))
        #expect(await home.run(["review", "approve", TestHome.short(appeal)]).status == 0)
        #expect(try home.outbox().map(\.transition) == [.accept, .approve])
        #expect(try home.outbox().allSatisfy { $0.kind == .appeal })
    }

    @Test func aProvincePostsWithinItsProvinceTheMinistryAnywhere() async throws {
        let server = FakeServer()
        let province = await TestHome.authority("prov", server: server)
        let run = await province.run(["notice", "post", "--title", "关于开展2027年绿色矿山遴选工作的通知", "--body", "各有关单位：……"])
        #expect(run.status == 0, "\(run.stderr)")
        let create = try #require(try province.outbox().first)
        #expect(create.kind == .notice)
        #expect(create.op == .create)
        #expect(create.set?["notice.region"] == .string("130000"))
        #expect(create.set?["notice.title"] == .string("关于开展2027年绿色矿山遴选工作的通知"))
        let county = await province.run(["notice", "post", "--title", "长安区通知", "--body", "正文", "--region", "130102"])
        #expect(county.status == 0)
        let outside = await province.run(["notice", "post", "--title", "越界", "--body", "正文", "--region", "110000"])
        #expect(outside.status == 1)
        #expect(outside.stderr.contains("a province posts notices within its own province only"))
        let untitled = await province.run(["notice", "post", "--title", "", "--body", "正文"])
        #expect(untitled.stderr.contains("Title is required"))
        #expect(try province.outbox().count == 2)
        let ministry = await TestHome.authority("ministry", server: server, salt: 8)
        #expect(await ministry.run(["notice", "post", "--title", "全国通知", "--body", "正文"]).status == 0)
        #expect(try ministry.outbox().first?.set?["notice.region"] == nil)
        let enterprise = await TestHome.authority("alice", server: server, salt: 9)
        let refused = await enterprise.run(["notice", "post", "--title", "x", "--body", "y"])
        #expect(refused.status == 1)
        #expect(try enterprise.outbox().isEmpty)
        // The posted notice reaches readers through sync.
        #expect(await ministry.run(["sync"]).status == 0)
        #expect(await enterprise.run(["sync"]).status == 0)
        #expect(await enterprise.run(["notices"]).stdout.contains("全国通知"))
    }

    @Test func aResetPrintsTheInitialPasswordOnce() async throws {
        let server = FakeServer()
        let authority = CertificateAuthority(server)
        let province = await TestHome.authority("prov", server: server, transport: authority)
        let run = await province.run(["admin", "reset-password", "u-alice"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Init-7f3k9q2w"))
        #expect(run.stdout.contains("alice"))
        #expect(authority.resets == ["u-alice"])
        // A user name the server does not know as an id, and no history names it here.
        let name = await province.run(["admin", "reset-password", "nobody"])
        #expect(name.status == 1)
        #expect(name.stderr.contains("no user with the id or user name 'nobody' among the accounts you may reset"),
                "\(name.stderr)")
        // A user name found in the process history of a record here.
        let application = ReviewFixtures.application(.submitted)
        server.store(application)
        try province.seed([try #require(server.record(application.id))])
        server.locked {
            server.events[application.id] = [HistoryEvent(
                seq: 1, recordId: application.id, action: "submit", actorId: "u-bob", actorName: "bob", role: .enterprise,
                orgId: FakeServer.orgId, serverTime: server.now, deviceTime: server.now, fromState: .draft,
                toState: .submitted, version: 2, comment: nil)]
        }
        let byName = await province.run(["admin", "reset-password", "bob"])
        #expect(byName.status == 0, "\(byName.stderr)")
        #expect(byName.stderr.contains("u-bob"))
        #expect(authority.resets == ["u-alice", "u-bob"])
        let enterprise = await TestHome.authority("alice", server: server, transport: authority)
        let refused = await enterprise.run(["admin", "reset-password", "u-bob"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("only a province (its enterprises) or the ministry may reset passwords"))
        #expect(authority.resets.count == 2)
    }
}
