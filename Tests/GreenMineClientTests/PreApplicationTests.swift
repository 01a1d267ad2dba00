import Foundation
import GreenMineShared
import Testing
@testable import GreenMineClient

/// 预申报: creating, checking and the licence registry, online and off.
struct PreApplicationTests {
    @Test func unknownLicenceOfflineIsAWarningNotACrash() async throws {
        let home = await TestHome.loggedIn()
        home.server.offline = true
        let run = await home.run(["pre", "new", "--region", "130102", "--license", "C1301002009127130099999"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("unverified"))
        let id = try #require(TestHome.firstId(run))
        let local = try #require(try home.local(id))
        #expect(local.working.fields["basic.licenceNumber"] == .string("C1301002009127130099999"))
        #expect(local.working.fields["basic.mineName"] == nil)
        #expect(local.working.orgId == FakeServer.orgId)
        #expect(local.base == nil)
    }

    @Test func unknownLicenceOnlineIsAFinding() async throws {
        let home = await TestHome.loggedIn()
        let run = await home.run(["pre", "new", "--region", "130102", "--license", "C1301002009127130099999"])
        #expect(run.status == 0)
        #expect(run.stderr.contains("does not know this licence"))
        home.language = "zh_CN.UTF-8"
        let zh = await home.run(["pre", "new", "--region", "130102", "--license", "C1301002009127130088888", "--json"])
        #expect(zh.stdout.contains("licence_unknown"))
    }

    @Test func knownLicenceFillsTheMineNameAndIsCachedForOfflineUse() async throws {
        let home = await TestHome.loggedIn()
        let first = await home.newPre()
        #expect(try home.local(first)?.working.fields["basic.mineName"] == .string("长安区绿源石灰岩矿"))
        #expect(await home.run(["pre", "delete", first]).status == 0)
        home.server.offline = true
        let second = await home.newPre()
        #expect(try home.local(second)?.working.fields["basic.mineName"] == .string("长安区绿源石灰岩矿"))
    }

    @Test func badRegionAndLicenceAreRefusedWithTheSchemaMessageAndNothingWritten() async throws {
        let home = await TestHome.loggedIn()
        let region = await home.run(["pre", "new", "--region", "1301", "--license", Fixtures.licence])
        #expect(region.status == 1)
        #expect(region.stderr.contains("must be 6 digits"))
        let licence = await home.run(["pre", "new", "--region", "130102", "--license", "C13010020091271300543"])
        #expect(licence.status == 1)
        #expect(licence.stderr.contains("22 digits"))
        home.language = "zh_CN.UTF-8"
        let zh = await home.run(["pre", "new", "--region", "130102", "--license", "c1301002009127130054321"])
        #expect(zh.stderr.contains("小写字母"))
        #expect(try home.outbox().isEmpty)
        #expect(try home.syncState().nextSeq == 1)
    }

    @Test func aRegionAboveCountyLevelIsAWarning() async throws {
        let home = await TestHome.loggedIn()
        let run = await home.run(["pre", "new", "--region", "130100", "--license", Fixtures.licence])
        #expect(run.status == 0)
        #expect(run.stderr.contains("county level"))
    }

    @Test func setRefusesUnknownAndServerManagedPathsAndBadValues() async throws {
        let home = await TestHome.loggedIn()
        let pre = await home.newPre()
        let unknown = await home.run(["pre", "set", pre, "basic.colour=green"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("has no field 'basic.colour'"))
        #expect(unknown.stderr.contains("prerequisites.licencesValid"))
        let managed = await home.run(["pre", "set", pre, "review.agency=x"])
        #expect(managed.stderr.contains("kept by the server"))
        let wrongType = await home.run(["pre", "set", pre, "prerequisites.noPenalty=maybe"])
        #expect(wrongType.stderr.contains("yes or no"))
        let noEquals = await home.run(["pre", "set", pre, "basic.region"])
        #expect(noEquals.stderr.contains("PATH=VALUE"))
        #expect(try home.outbox().count == 1)
    }

    @Test func checkListsFindingsAndSubmitIsRefusedUntilTheyAreFixed() async throws {
        let home = await TestHome.loggedIn()
        let pre = await home.newPre()
        let check = await home.run(["pre", "check", pre])
        #expect(check.status == 1)
        #expect(check.stdout.contains("Business, mining and safety licences all valid"))
        #expect(check.stdout.contains("required"))
        let submit = await home.run(["pre", "submit", pre])
        #expect(submit.status == 1)
        #expect(submit.stderr.contains("data check found"))
        #expect(submit.stderr.contains("prerequisites.licencesValid"))
        #expect(await home.run(["pre", "set", pre, "prerequisites.licencesValid=否"]).status == 0)
        let veto = await home.run(["pre", "check", pre, "--json"])
        #expect(veto.stdout.contains("prerequisite_not_met"))
        #expect(try home.outbox().map(\.op) == [.create, .patch])
    }

    @Test func theOrganisationsLicencesAreCachedAtLoginAndSyncForOfflineUse() async throws {
        // Logged in, then straight to the mine: no pre-application was ever made online.
        let home = await TestHome.loggedIn()
        home.server.offline = true
        let run = await home.run(["pre", "new", "--region", Fixtures.region, "--license", Fixtures.licence])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.stderr.contains("unverified"), "\(run.stderr)")
        let id = try #require(TestHome.firstId(run))
        #expect(try home.local(id)?.working.fields["basic.mineName"] == .string("长安区绿源石灰岩矿"))

        // A licence the registry gains later reaches the device at the next sync.
        var second = Fixtures.licenceInfo
        second.number = "C1301002009127130077777"
        second.mineName = "长安区第二石灰岩矿"
        home.server.licences[second.number] = second
        home.server.offline = false
        #expect(await home.run(["sync"]).status == 0)
        home.server.offline = true
        let later = await home.newPre(licence: second.number)
        #expect(try home.local(later)?.working.fields["basic.mineName"] == .string("长安区第二石灰岩矿"))

        // A licence the registry no longer has is forgotten at the next sync.
        var third = Fixtures.licenceInfo
        third.number = "C1301002009127130066666"
        home.server.licences[third.number] = third
        home.server.offline = false
        #expect(await home.run(["sync"]).status == 0)
        home.server.licences[third.number] = nil
        #expect(await home.run(["sync"]).status == 0)
        home.server.offline = true
        let dropped = await home.run(["pre", "new", "--region", Fixtures.region, "--license", third.number])
        #expect(dropped.status == 0)
        #expect(dropped.stderr.contains("unverified"), "\(dropped.stderr)")
    }

    @Test func aDuplicatePreApplicationForTheSameLicenceIsRefused() async throws {
        let home = await TestHome.loggedIn()
        let first = await home.newPre()
        let again = await home.run(["pre", "new", "--region", "130102", "--license", Fixtures.licence])
        #expect(again.status == 1)
        #expect(again.stderr.contains(first))
    }

    @Test func listShowAndJSON() async throws {
        let home = await TestHome.loggedIn()
        let pre = await home.newPre()
        home.language = "zh_CN.UTF-8"
        let list = await home.run(["pre", "list"])
        #expect(list.stdout.contains("长安区绿源石灰岩矿"))
        #expect(list.stdout.contains("未提交"))
        let show = await home.run(["pre", "show", String(pre.prefix(6))])
        #expect(show.stdout.contains("所在行政区"))
        #expect(show.stdout.contains("待同步的修改"))
        let json = await home.run(["pre", "list", "--json"])
        let items = try WireCoding.decode([RecordListItem].self, from: Data(json.stdout.utf8))
        #expect(items.map(\.id.lowercased) == [pre])
        #expect(items.first?.pendingChanges == 1)
        let detail = await home.run(["pre", "show", pre, "--json"])
        let decoded = try WireCoding.decode(RecordDetail.self, from: Data(detail.stdout.utf8))
        #expect(decoded.pending.count == 1)
    }
}
