import Foundation
import GRDB
import GreenMineShared
import Testing
@testable import GreenMineClient

/// Ids are accepted by any unique prefix of 4 or more characters.
struct IdPrefixTests {
    @Test func uniqueAmbiguousUnknownAndShortPrefixes() async throws {
        let home = await TestHome.loggedIn()
        let store = try home.store()
        try store.write { db in
            for text in ["abcd1111-0000-4000-8000-000000000001", "abcd2222-0000-4000-8000-000000000002"] {
                guard let id = UUID(uuidString: text) else { return }
                try MutationQueue.create(db, id: id, kind: .preApplication, orgId: FakeServer.orgId, parentId: nil,
                                         fields: ["basic.region": .string("130102")], now: Date())
            }
        }
        let ambiguous = await home.run(["pre", "show", "abcd"])
        #expect(ambiguous.status == 1)
        #expect(ambiguous.stderr.contains("ambiguous"))
        #expect(ambiguous.stderr.contains("abcd1111-0000-4000-8000-000000000001"))
        let unique = await home.run(["pre", "show", "ABCD1"])
        #expect(unique.status == 0, "\(unique.stderr)")
        #expect(unique.stdout.contains("abcd1111-0000-4000-8000-000000000001"))
        let short = await home.run(["pre", "show", "abc"])
        #expect(short.status == 1)
        #expect(short.stderr.contains("at least its first 4 characters"))
        let unknown = await home.run(["pre", "show", "ffff"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no pre-application here has an id starting with 'ffff'"))
        let wrongKind = await home.run(["app", "show", "abcd1"])
        #expect(wrongKind.status == 1)
        let format = await home.run(["pre", "show", "zz-top"])
        #expect(format.stderr.contains("not an id"))
        home.language = "zh_CN.UTF-8"
        let chinese = await home.run(["pre", "show", "abcd"])
        #expect(chinese.stderr.contains("不唯一"))
    }
}
