import Foundation
import GreenMineShared
import Testing
@testable import GreenMineClient

/// login, logout, whoami, passwd, and the forced password change.
struct AccountTests {
    @Test func wrongPasswordAndRateLimitAreExplained() async throws {
        let home = TestHome()
        let wrong = await home.login("alice", password: "nope")
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("wrong user name or password"))
        #expect(try SessionTokenFile(home: home.home).read() == nil)
        home.server.throttleLogins = 60
        let throttled = await home.login()
        #expect(throttled.status == 1)
        #expect(throttled.stderr.contains("too many failed logins"))
        #expect(throttled.stderr.contains("try again in 60 s"))
        let bad = await home.run(["login", "--server", "ftp://x", "--user", "alice", "--password-stdin"], input: ["p"])
        #expect(bad.stderr.contains("not a server URL"))
    }

    @Test func whoamiOnlineAndOffline() async throws {
        let home = await TestHome.loggedIn()
        let online = await home.run(["whoami"])
        #expect(online.stdout.contains("alice"))
        #expect(!online.stdout.contains("offline"))
        home.server.offline = true
        let offline = await home.run(["whoami", "--lang", "zh"])
        #expect(offline.status == 0)
        #expect(offline.stdout.contains("离线"))
        #expect(offline.stdout.contains("矿业权人"))
    }

    @Test func logoutForgetsTheTokenAndKeepsTheQueue() async throws {
        let home = await TestHome.loggedIn()
        _ = await home.newPre()
        let logout = await home.run(["logout"])
        #expect(logout.status == 0)
        #expect(try SessionTokenFile(home: home.home).read() == nil)
        #expect(home.server.locked { home.server.tokens.isEmpty })
        #expect(try home.outbox().count == 1)
        let list = await home.run(["pre", "list"])
        #expect(list.status == 1)
        #expect(list.stderr.contains("not logged in"))
        #expect(await home.login().status == 0)
        #expect(await home.run(["sync"]).status == 0)
    }

    @Test func anotherAccountCannotTakeOverUnsyncedWork() async throws {
        let home = await TestHome.loggedIn()
        _ = await home.newPre()
        let other = await home.login("bob", password: "secret-2")
        #expect(other.status == 1)
        #expect(other.stderr.contains("unsynced change"))
        #expect(await home.run(["sync"]).status == 0)
        let switched = await home.login("bob", password: "secret-2")
        #expect(switched.status == 0, "\(switched.stderr)")
        #expect(switched.stderr.contains("cleared"))
        #expect(try home.syncState().nextSeq == 1)
        #expect(try home.syncState().user?.username == "bob")
    }

    @Test func aResetPasswordMustBeChangedFirst() async throws {
        let home = TestHome()
        let login = await home.login("reset", password: "initial")
        #expect(login.status == 0)
        #expect(login.stderr.contains("greenmine passwd"))
        let blocked = await home.run(["pre", "list"])
        #expect(blocked.status == 1)
        #expect(blocked.stderr.contains("must be changed first"))
        let mismatch = await home.run(["passwd"], input: ["initial", "new-password-1", "new-password-2"])
        #expect(mismatch.status == 1)
        #expect(mismatch.stderr.contains("differ"))
        let weak = await home.run(["passwd"], input: ["initial", "short", "short"])
        #expect(weak.status == 1)
        #expect(weak.stderr.contains("too short"))
        let change = await home.run(["passwd"], input: ["initial", "new-password-1", "new-password-1"])
        #expect(change.status == 0, "\(change.stderr)")
        #expect(await home.run(["pre", "list"]).status == 0)
        #expect(try home.syncState().user?.mustChangePassword == false)
    }

    @Test func aPasswordChangeAnsweredWith204LogsInAgain() async throws {
        let home = await TestHome.loggedIn()
        home.server.passwordAnswersWithSession = false
        let oldToken = try SessionTokenFile(home: home.home).read()
        let change = await home.run(["passwd"], input: ["secret-1", "brand-new-secret", "brand-new-secret"])
        #expect(change.status == 0, "\(change.stderr)")
        let newToken = try SessionTokenFile(home: home.home).read()
        #expect(newToken != nil && newToken != oldToken)
        #expect(await home.run(["sync"]).status == 0)
    }
}
