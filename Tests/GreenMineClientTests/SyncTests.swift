import Foundation
import GRDB
import GreenMineShared
import Testing
@testable import GreenMineClient

/// `greenmine sync` against the fake server: push, pull, retries, the lock, gaps and replays.
struct SyncTests {
    @Test func aDayInTheField() async throws {
        let home = await TestHome.loggedIn()
        let (pre, app) = await home.approvedApplication()
        let preId = try #require(UUID(uuidString: pre))
        #expect(home.server.record(preId)?.state == .approved)
        let created = try #require(try home.local(app))
        #expect(created.working.fields["basic.holder"] == .string("石家庄绿源矿业有限公司"))
        #expect(created.working.fields["basic.area"] == .double(1.25))
        #expect(await home.run(["app", "set", app] + Fixtures.applicationAnswers).status == 0)
        let check = await home.run(["app", "check", app])
        #expect(check.status == 0, "\(check.stdout)")
        home.server.offline = true
        let submit = await home.run(["app", "submit", app])
        #expect(submit.status == 0, "\(submit.stderr)")
        #expect(try home.local(app)?.working.state == .submitted)
        let offline = await home.run(["sync"])
        #expect(offline.status == 3) // incomplete: the next sync continues
        #expect(offline.stderr.contains("cannot reach the server"))
        home.server.offline = false
        let sync = await home.run(["sync"])
        #expect(sync.status == 0, "\(sync.stderr)")
        #expect(sync.stdout.contains("applied"))
        let appId = try #require(UUID(uuidString: app))
        #expect(home.server.record(appId)?.state == .submitted)
        #expect(home.server.record(appId)?.fields["contact.mobile"] == .string("13812345678"))
        #expect(try home.outbox().isEmpty)
        #expect(try home.local(app)?.base?.state == .submitted)
        let history = await home.run(["history", String(app.prefix(8))])
        #expect(history.status == 0, "\(history.stderr)")
        #expect(history.stdout.contains("submit"))
        #expect(history.stdout.contains("alice"))
        let status = await home.run(["status", "--json"])
        let report = try WireCoding.decode(StatusReport.self, from: Data(status.stdout.utf8))
        #expect(report.queuedChanges == 0)
        #expect(report.lastSyncAt != nil)
        #expect(report.counts.contains { $0.kind == .application && $0.state == .submitted && $0.count == 1 })
    }

    @Test func transientFailuresAreRetriedWithGrowingWaits() async throws {
        let home = await TestHome.loggedIn()
        _ = await home.newPre()
        home.server.fail(2, path: "/v1/sync/push", with: .status(503))
        home.server.fail(1, path: "/v1/sync/pull", with: .unreachable)
        let sync = await home.run(["sync"])
        #expect(sync.status == 0, "\(sync.stderr)")
        #expect(sync.stderr.contains("retry 1"))
        #expect(home.sleeps.delays == [.milliseconds(100), .milliseconds(200), .milliseconds(100)])
        #expect(try home.outbox().isEmpty)
    }

    @Test func givingUpLeavesTheQueueAndSaysWhy() async throws {
        let home = await TestHome.loggedIn()
        _ = await home.newPre()
        home.server.fail(10, path: "/v1/sync/push", with: .status(502))
        let sync = await home.run(["sync"])
        #expect(sync.status == 3)
        #expect(sync.stderr.contains("error: the server is busy"))
        #expect(sync.stderr.contains("did not finish"))
        #expect(home.sleeps.delays.count == 3)
        #expect(try home.outbox().count == 1)
        #expect(try home.syncState().lastSyncAt == nil)
    }

    @Test func aSecondSyncOnTheSameHomeIsRefused() async throws {
        let home = await TestHome.loggedIn()
        try home.home.prepare()
        let held = try SyncLock.acquire(home: home.home)
        let refused = await home.run(["sync"])
        #expect(refused.status == 3) // nothing failed: the other run is at it
        #expect(refused.stderr.contains("already running"))
        #expect(SyncLog(home: home.home).last() == nil) // the other run writes the line
        // A periodic sync that meets the held lock waits for its next period instead of ending.
        home.sleeps.stopAfter = 2
        let periodic = await home.run(["sync", "--every", "1m"])
        #expect(periodic.status == 0, "\(periodic.stderr)")
        #expect(home.sleeps.delays == [.seconds(60), .seconds(60)])
        held.release()
        #expect(await home.run(["sync"]).status == 0)
    }

    @Test func aLostAnswerIsHarmlessBecauseReplaysGetTheStoredResults() async throws {
        let home = await TestHome.loggedIn()
        let pre = await home.newPre()
        #expect(await home.run(["pre", "set", pre, "remarks.text=第一次"]).status == 0)
        home.server.loseNextPushAnswer = true
        let sync = await home.run(["sync"])
        #expect(sync.status == 0, "\(sync.stderr)")
        let id = try #require(UUID(uuidString: pre))
        #expect(home.server.record(id)?.version == 2)
        #expect(try home.local(pre)?.base?.version == 2)
        #expect(try home.outbox().isEmpty)
    }

    @Test func aGapIsClosedByResendingFromTheServersLastSeq() async throws {
        let home = await TestHome.loggedIn()
        _ = await home.newPre()
        home.server.spuriousGap = 0
        let sync = await home.run(["sync"])
        #expect(sync.status == 0, "\(sync.stderr)")
        #expect(sync.stderr.contains("resending from #1"))
    }

    @Test func aGapTheDeviceCannotFillIsReported() async throws {
        let home = await TestHome.loggedIn()
        let pre = await home.newPre()
        #expect(await home.run(["sync"]).status == 0)
        #expect(await home.run(["pre", "set", pre, "remarks.text=x"]).status == 0)
        home.server.locked { home.server.lastSeq = [:] }
        let sync = await home.run(["sync"])
        #expect(sync.status == 1)
        #expect(sync.stderr.contains("no longer holds #1"))
        #expect(try home.outbox().count == 1)
    }

    @Test func pullPagesRebasePendingChangesAndDropGoneRecords() async throws {
        let home = await TestHome.loggedIn()
        let pre = await home.newPre()
        #expect(await home.run(["sync"]).status == 0)
        let id = try #require(UUID(uuidString: pre))
        // Offline: a local change; meanwhile the server gets other changes and new records.
        #expect(await home.run(["pre", "set", pre, "remarks.text=本机"]).status == 0)
        home.server.change(id, fields: ["basic.mineName": .string("服务器改名")])
        var others: [UUID] = []
        for number in 0..<5 {
            let other = Record(id: UUID(), kind: .preApplication, orgId: FakeServer.orgId,
                               fields: ["basic.region": .string("130102"),
                                        "basic.licenceNumber": .string("C130100200912713000000\(number)")])
            home.server.store(other)
            others.append(other.id)
        }
        let store = try home.store()
        let session = try #require(try Session.load(store: store, home: home.home))
        let engine = SyncEngine(store: store, api: APIClient(transport: home.server, token: session.token),
                                retry: home.environment.retry, now: { Date() }, makeUUID: { UUID() },
                                pushBatchSize: 1, pullPageSize: 2)
        var summary = SyncSummary()
        var pages = 0
        try await engine.run(summary: &summary) { if case .pulled = $0 { pages += 1 } }
        #expect(pages >= 3)
        #expect(summary.pulledRecords == 6)
        let local = try #require(try home.local(pre))
        #expect(local.working.fields["remarks.text"] == .string("本机"))
        #expect(local.working.fields["basic.mineName"] == .string("服务器改名"))
        #expect(summary.outcomes.map(\.status) == [.merged])
        // Gone: dropped when nothing is pending, kept while something is.
        #expect(await home.run(["pre", "set", others[0].lowercased, "remarks.text=待发"]).status == 0)
        home.server.hide(others[0])
        home.server.hide(others[1])
        var pullOnly = SyncSummary()
        try await engine.pull(summary: &pullOnly) { _ in }
        #expect(try home.local(others[0].lowercased) != nil)
        #expect(try home.local(others[1].lowercased) == nil)
        #expect(pullOnly.goneRecords == 2)
    }

    @Test func syncNeedsALoginAndSaysSo() async throws {
        let home = TestHome()
        let run = await home.run(["sync"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("not logged in"))
        let expired = await TestHome.loggedIn()
        expired.server.locked { expired.server.tokens = [:] }
        let sync = await expired.run(["sync"])
        #expect(sync.status == 1)
        #expect(sync.stderr.contains("log in again"))
    }

    @Test func everyParsesPeriods() {
        #expect(SyncInterval.parse("15m") == .seconds(900))
        #expect(SyncInterval.parse("1h30m") == .seconds(5400))
        #expect(SyncInterval.parse("45s") == .seconds(45))
        #expect(SyncInterval.parse("90") == nil)
        #expect(SyncInterval.parse("0m") == nil)
        #expect(SyncInterval.parse("5x") == nil)
    }

    @Test func backoffDoublesUpToTheCap() {
        let policy = RetryPolicy(maxAttempts: 6, initialDelay: .seconds(1), maxDelay: .seconds(5))
        #expect((1...5).map(policy.delay(afterFailure:)) == [.seconds(1), .seconds(2), .seconds(4), .seconds(5), .seconds(5)])
    }
}

/// Push bodies travel gzip-compressed once they are large enough to gain from it.
struct CompressedPushTests {
    @Test func aLargeBatchGoesCompressedAndASmallOnePlain() async throws {
        let home = await TestHome.loggedIn()
        let pre = await home.newPre()
        #expect(await home.run(["sync"]).status == 0)
        #expect(home.server.locked { home.server.compressedPushes } == 0) // one small create: plain
        let remarks = String(repeating: "矿区复垦情况良好。", count: 150)
        #expect(await home.run(["pre", "set", pre, "remarks.text=\(remarks)"]).status == 0)
        let sync = await home.run(["sync"])
        #expect(sync.status == 0, "\(sync.stderr)")
        #expect(home.server.locked { home.server.compressedPushes } == 1)
        let id = try #require(UUID(uuidString: pre))
        #expect(home.server.record(id)?.fields["remarks.text"] == .string(remarks))
    }
}
