import Foundation
import Testing
@testable import GreenMineClient

/// Where the home is, and that it and the token stay private.
struct HomeTests {
    @Test func optionBeatsEnvironmentBeatsXDGBeatsHome() {
        let variables = ["GREENMINE_HOME": "/g", "XDG_DATA_HOME": "/x", "HOME": "/h"]
        #expect(HomeDirectory.resolve(option: "/o", variables: variables).url.path == "/o")
        #expect(HomeDirectory.resolve(option: nil, variables: variables).url.path == "/g")
        #expect(HomeDirectory.resolve(option: nil, variables: ["XDG_DATA_HOME": "/x", "HOME": "/h"]).url.path
                == "/x/greenmine")
        #expect(HomeDirectory.resolve(option: nil, variables: ["HOME": "/h"]).url.path == "/h/.local/share/greenmine")
        #expect(HomeDirectory.resolve(option: nil, variables: ["GREENMINE_HOME": "", "HOME": "/h"]).url.path
                == "/h/.local/share/greenmine")
        #expect(HomeDirectory.resolve(option: "~/gm", variables: ["HOME": "/h"]).url.path == "/h/gm")
    }

    @Test func homeIs0700AndTokenIs0600() async throws {
        let home = await TestHome.loggedIn()
        let folder = try FileManager.default.attributesOfItem(atPath: home.home.url.path)
        #expect((folder[.posixPermissions] as? NSNumber)?.intValue == 0o700)
        let token = try FileManager.default.attributesOfItem(atPath: home.home.tokenURL.path)
        #expect((token[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try SessionTokenFile(home: home.home).read()?.hasPrefix("token-alice") == true)
    }

    @Test func anExistingOpenFolderIsTightened() throws {
        let test = TestHome()
        try FileManager.default.createDirectory(at: test.home.url, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o755])
        try test.home.prepare()
        let folder = try FileManager.default.attributesOfItem(atPath: test.home.url.path)
        #expect((folder[.posixPermissions] as? NSNumber)?.intValue == 0o700)
    }

    @Test func homeOptionOnTheCommandLineIsUsed() async throws {
        let test = TestHome()
        let elsewhere = test.root.appendingPathComponent("elsewhere")
        let run = await test.run(["status", "--home", elsewhere.path])
        #expect(run.status == 0)
        #expect(FileManager.default.fileExists(atPath: elsewhere.appendingPathComponent("store.sqlite").path))
        #expect(!FileManager.default.fileExists(atPath: test.home.storeURL.path))
    }
}
