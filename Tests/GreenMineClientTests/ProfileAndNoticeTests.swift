import Foundation
import GreenMineShared
import Testing
@testable import GreenMineClient

/// 个人资料, 通知公告, and periodic sync.
struct ProfileAndNoticeTests {
    @Test func profileIsMadeOnTheFirstEditAndThenEdited() async throws {
        let home = await TestHome.loggedIn()
        // Issue 14 item 6: no sync needed before the first edit; the id is the user's one profile id.
        let empty = await home.run(["profile", "show"])
        #expect(empty.stdout.contains("no sync needed first"), "\(empty.stdout)")
        let set = await home.run(["profile", "set", "profile.name=张三", "profile.mobile=13812345678",
                                  "profile.email=zhang@example.com"])
        #expect(set.status == 0, "\(set.stderr)")
        #expect(try home.outbox().first?.recordId == ProfileIdentity.recordId(forUser: "u-alice"))
        let shown = await home.run(["profile", "show"])
        #expect(shown.stdout.contains("张三"), "\(shown.stdout)")
        #expect(await home.run(["sync"]).status == 0)
        let bad = await home.run(["profile", "set", "profile.mobile=12345"])
        #expect(bad.status == 1)
        #expect(await home.run(["profile", "set", "profile.position=安全员"]).status == 0)
        #expect(await home.run(["sync"]).status == 0)
        home.language = "zh_CN.UTF-8"
        let show = await home.run(["profile"])
        #expect(show.stdout.contains("张三"))
        #expect(show.stdout.contains("安全员"))
        let profiles = try home.store().read { try LocalRecord.all($0, kind: .profile) }
        #expect(profiles.count == 1)
        #expect(profiles.first?.working.fields[WorkflowFields.owner] == .string("u-alice"))
    }

    @Test func noticesAreReadLocally() async throws {
        let home = await TestHome.loggedIn()
        let notice = Record(id: UUID(), kind: .notice, state: .approved,
                            fields: ["notice.title": .string("关于开展2026年绿色矿山遴选工作的通知"),
                                     "notice.body": .string("各有关单位：……")])
        home.server.store(notice)
        #expect(await home.run(["sync"]).status == 0)
        home.language = "zh_CN.UTF-8"
        #expect(await home.run(["status"]).stdout.contains("未读通知公告：1"))
        let list = await home.run(["notices"])
        #expect(list.stdout.contains("●"))
        #expect(list.stdout.contains("绿色矿山遴选"))
        let show = await home.run(["notices", "show", String(notice.id.uuidString.prefix(8))])
        #expect(show.stdout.contains("各有关单位"))
        #expect(await home.run(["status"]).stdout.contains("未读通知公告：0"))
        #expect(await home.run(["notices", "list", "--unread"]).stdout.contains("没有通知公告"))
    }

    @Test func everyRunsAgainAfterEachPeriod() async throws {
        let home = await TestHome.loggedIn()
        home.sleeps.stopAfter = 2
        _ = await home.newPre()
        let run = await home.run(["sync", "--every", "15m"])
        #expect(run.status == 0)
        #expect(run.stdout.components(separatedBy: "Sync complete.").count == 3)
        #expect(home.sleeps.delays == [.seconds(900), .seconds(900)])
        let bad = await home.run(["sync", "--every", "soon"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("30s, 15m or 1h"))
    }
}
