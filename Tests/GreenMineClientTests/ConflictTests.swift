import Foundation
import GRDB
import GreenMineShared
import Testing
@testable import GreenMineClient

/// Results other than `applied`: merges, conflicts and their resolution, rejections.
struct ConflictTests {
    /// alice and bob, on two devices of the same enterprise, both holding one synced pre-application.
    static func twoDevices() async throws -> (alice: TestHome, bob: TestHome, pre: String) {
        let server = FakeServer()
        let alice = await TestHome.loggedIn(server: server, salt: 1)
        let bob = await TestHome.loggedIn(server: server, salt: 2, user: "bob", password: "secret-2")
        let pre = await alice.newPre()
        #expect(await alice.run(["sync"]).status == 0)
        #expect(await bob.run(["sync"]).status == 0)
        #expect(try bob.local(pre) != nil)
        return (alice, bob, pre)
    }

    @Test func differentFieldsMergeAndBothDevicesConverge() async throws {
        let (alice, bob, pre) = try await Self.twoDevices()
        #expect(await alice.run(["pre", "set", pre, "remarks.text=alice"]).status == 0)
        #expect(await bob.run(["pre", "set", pre, "prerequisites.noPenalty=是"]).status == 0)
        #expect(await alice.run(["sync"]).status == 0)
        let merged = await bob.run(["sync"])
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdout.contains("merged"))
        #expect(await alice.run(["sync"]).status == 0)
        let a = try #require(try alice.local(pre)).working
        let b = try #require(try bob.local(pre)).working
        #expect(a == b)
        #expect(a.fields["remarks.text"] == .string("alice"))
        #expect(a.fields["prerequisites.noPenalty"] == .bool(true))
    }

    @Test func theSameFieldConflictsAndMineSendsItAgain() async throws {
        let (alice, bob, pre) = try await Self.twoDevices()
        #expect(await alice.run(["pre", "set", pre, "remarks.text=alice"]).status == 0)
        #expect(await bob.run(["pre", "set", pre, "remarks.text=bob"]).status == 0)
        #expect(await alice.run(["sync"]).status == 0)
        let conflicted = await bob.run(["sync"])
        #expect(conflicted.status == 2)
        #expect(conflicted.stdout.contains("conflict: remarks.text"))
        #expect(try bob.local(pre)?.working.fields["remarks.text"] == .string("alice"))
        let status = await bob.run(["status"])
        #expect(status.stdout.contains("Open conflicts: 1"))
        let list = await bob.run(["conflicts"])
        #expect(list.stdout.contains("remarks.text"))
        #expect(list.stdout.contains("bob"))
        let resolve = await bob.run(["conflicts", "resolve", String(pre.prefix(6)), "--mine"])
        #expect(resolve.status == 0, "\(resolve.stderr)")
        #expect(try bob.outbox().last?.set == ["remarks.text": .string("bob")])
        #expect(try bob.local(pre)?.working.fields["remarks.text"] == .string("bob"))
        #expect(await bob.run(["sync"]).status == 0)
        #expect(await alice.run(["sync"]).status == 0)
        #expect(try alice.local(pre)?.working.fields["remarks.text"] == .string("bob"))
        #expect(try bob.local(pre)?.working == alice.local(pre)?.working)
        #expect(try bob.store().read { try LocalConflict.openCount($0) } == 0)
        #expect(await bob.run(["conflicts"]).stdout.contains("No open conflicts"))
    }

    @Test func theirsKeepsTheServerValueAndQueuesNothing() async throws {
        let (alice, bob, pre) = try await Self.twoDevices()
        #expect(await alice.run(["pre", "set", pre, "remarks.text=alice"]).status == 0)
        #expect(await bob.run(["pre", "set", pre, "remarks.text=bob"]).status == 0)
        #expect(await alice.run(["sync"]).status == 0)
        #expect(await bob.run(["sync"]).status == 2)
        let conflict = try #require(try bob.store().read { try LocalConflict.open($0) }.first)
        let resolve = await bob.run(["conflicts", "resolve", String(conflict.id.lowercased.prefix(5)), "--theirs"])
        #expect(resolve.status == 0, "\(resolve.stderr)")
        #expect(try bob.outbox().isEmpty)
        #expect(try bob.store().read { try LocalConflict.openCount($0) } == 0)
        #expect(await bob.run(["sync"]).status == 0)
        #expect(await alice.run(["sync"]).status == 0)
        #expect(try bob.local(pre)?.working == alice.local(pre)?.working)
        #expect(try bob.local(pre)?.working.fields["remarks.text"] == .string("alice"))
    }

    @Test func setSendsAThirdValueCheckedByTheSchema() async throws {
        let (alice, bob, pre) = try await Self.twoDevices()
        #expect(await alice.run(["pre", "set", pre, "basic.region=130104"]).status == 0)
        #expect(await bob.run(["pre", "set", pre, "basic.region=130105"]).status == 0)
        #expect(await alice.run(["sync"]).status == 0)
        #expect(await bob.run(["sync"]).status == 2)
        let bad = await bob.run(["conflicts", "resolve", pre, "--set", "basic.region=99"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("6 digits"))
        let stray = await bob.run(["conflicts", "resolve", pre, "--set", "remarks.text=x"])
        #expect(stray.stderr.contains("not among the selected conflicts"))
        let both = await bob.run(["conflicts", "resolve", pre, "--mine", "--theirs"])
        #expect(both.status != 0)
        let good = await bob.run(["conflicts", "resolve", pre, "--set", "basic.region=130107"])
        #expect(good.status == 0, "\(good.stderr)")
        #expect(await bob.run(["sync"]).status == 0)
        #expect(await alice.run(["sync"]).status == 0)
        #expect(try alice.local(pre)?.working.region == "130107")
    }

    @Test func aRejectedTransitionLeavesTheRecordEditable() async throws {
        let home = await TestHome.loggedIn()
        let (_, app) = await home.approvedApplication()
        #expect(await home.run(["app", "set", app] + Fixtures.applicationAnswers).status == 0)
        #expect(await home.run(["sync"]).status == 0)
        #expect(await home.run(["app", "submit", app]).status == 0)
        // Someone else changes the application first: the submission is stale.
        let id = try #require(UUID(uuidString: app))
        home.server.change(id, fields: ["contact.person": .string("王五")])
        let sync = await home.run(["sync"])
        #expect(sync.status == 2)
        #expect(sync.stderr.contains("[stale]"))
        let local = try #require(try home.local(app))
        #expect(local.working.state == .draft)
        #expect(local.working.fields["contact.person"] == .string("王五"))
        let status = await home.run(["status"])
        #expect(status.stdout.contains("New refused changes: 1"))
        #expect(status.stdout.contains("[stale]"))
        #expect(await home.run(["app", "set", app, "contact.position=矿长"]).status == 0)
        let show = await home.run(["app", "show", app])
        #expect(show.stdout.contains("Changes the server refused"))
        #expect(await home.run(["status"]).stdout.contains("New refused changes: 0"))
        #expect(await home.run(["app", "submit", app]).status == 0)
        #expect(await home.run(["sync"]).status == 0)
        #expect(home.server.record(id)?.state == .submitted)
    }

    @Test func aRejectedCreationKeepsWhatWasTypedAndIsSentAgainOnTheNextChange() async throws {
        let home = await TestHome.loggedIn()
        let pre = await home.newPre()
        #expect(await home.run(["pre", "set", pre, "remarks.text=保留"]).status == 0)
        home.server.rejectSeqs[1] = APIErrorDetail(code: "licence_owned", message: "the licence belongs to another holder",
                                                   messageZh: "该许可证属于其他采矿权人")
        let sync = await home.run(["sync", "--lang", "zh"])
        #expect(sync.status == 2)
        #expect(sync.stderr.contains("该许可证属于其他采矿权人"))
        let local = try #require(try home.local(pre))
        #expect(local.base == nil)
        #expect(local.working.fields["remarks.text"] == .string("保留"))
        #expect(local.working.fields["basic.licenceNumber"] == .string(Fixtures.licence))
        #expect(try home.outbox().isEmpty)
        home.server.rejectSeqs = [:]
        #expect(await home.run(["pre", "set", pre, "remarks.text=再来"]).status == 0)
        #expect(try home.outbox().map(\.op) == [.create, .patch])
        #expect(await home.run(["sync"]).status == 0)
        let id = try #require(UUID(uuidString: pre))
        #expect(home.server.record(id)?.fields["remarks.text"] == .string("再来"))
        #expect(home.server.record(id)?.fields["basic.licenceNumber"] == .string(Fixtures.licence))
    }

    @Test func withdrawAndDeleteFollowTheWorkflow() async throws {
        let home = await TestHome.loggedIn()
        let (_, app) = await home.approvedApplication()
        #expect(await home.run(["app", "set", app] + Fixtures.applicationAnswers).status == 0)
        let early = await home.run(["app", "withdraw", app])
        #expect(early.status == 1)
        #expect(early.stderr.contains("only a submitted record"))
        #expect(await home.run(["app", "submit", app]).status == 0)
        let edit = await home.run(["app", "set", app, "contact.position=矿长"])
        #expect(edit.status == 1)
        #expect(edit.stderr.contains("only unsubmitted or returned"))
        let delete = await home.run(["app", "delete", app])
        #expect(delete.stderr.contains("only unsubmitted records can be deleted"))
        #expect(await home.run(["app", "withdraw", app]).status == 0)
        #expect(await home.run(["sync"]).status == 0)
        let id = try #require(UUID(uuidString: app))
        #expect(home.server.record(id)?.state == .draft)
        #expect(await home.run(["app", "delete", app]).status == 0)
        #expect(await home.run(["sync"]).status == 0)
        #expect(home.server.record(id)?.deleted == true)
        #expect(try home.local(app) == nil)
    }

    @Test func anApplicationNeedsAnApprovedPreApplication() async throws {
        let home = await TestHome.loggedIn()
        let pre = await home.newPre()
        let run = await home.run(["app", "new", "--from", pre])
        #expect(run.status == 1)
        #expect(run.stderr.contains("approved pre-application"))
    }
}
