import Foundation
import GreenMineShared
import Testing
@testable import GreenMineClient

/// The data check shows offline, from the cached registry, what the server refuses at submit.
struct RegistryCheckTests {
    @Test func aRegionOutsideTheLicenceIsAnErrorOfflineAndTheSubmitWaits() async throws {
        let home = await TestHome.loggedIn()
        let pre = await home.newPre()
        #expect(await home.run(["pre", "set", pre] + Fixtures.prerequisites).status == 0)
        home.server.offline = true
        #expect(await home.run(["pre", "set", pre, "basic.region=130104"]).status == 0)
        let check = await home.run(["pre", "check", pre])
        #expect(check.status == 1)
        #expect(check.stdout.contains("region_outside_licence") || check.stdout.contains("not inside the licence"),
                "\(check.stdout)")
        let submit = await home.run(["pre", "submit", pre])
        #expect(submit.status != 0)
        #expect(submit.stderr.contains("basic.region"), "\(submit.stderr)")
        // Back where the registry places the mine, it goes.
        #expect(await home.run(["pre", "set", pre, "basic.region=\(Fixtures.region)"]).status == 0)
        let image = try home.files.jpeg("site.jpg", size: 2_000)
        #expect(await home.run(["pre", "attach", pre, image.path]).status == 0)
        #expect(await home.run(["pre", "submit", pre]).status == 0)
    }

    @Test func anotherHoldersLicenceIsAnError() async throws {
        let home = await TestHome.loggedIn()
        var theirs = Fixtures.licenceInfo
        theirs.number = "C1301002009127130054399"
        theirs.creditCode = "91130100MA0OTHER0X"
        theirs.holder = "别家矿业"
        home.server.licences[theirs.number] = theirs
        let pre = await home.newPre(licence: theirs.number)
        let check = await home.run(["pre", "check", pre])
        #expect(check.status == 1)
        #expect(check.stdout.contains("别家矿业"), "\(check.stdout)")
    }
}
