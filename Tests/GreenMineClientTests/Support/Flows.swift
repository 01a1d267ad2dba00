import Foundation
import GRDB
import GreenMineShared
import Testing
@testable import GreenMineClient

/// Steps many tests share: log in, start a pre-application, get an approved one and an application.
extension TestHome {
    /// A home logged in as alice, with the registry knowing the fixture licence.
    static func loggedIn(server: FakeServer = FakeServer(), salt: UInt64 = 1, user: String = "alice",
                         password: String = "secret-1") async -> TestHome {
        server.licences[Fixtures.licence] = Fixtures.licenceInfo
        let home = TestHome(server: server, salt: salt)
        let login = await home.login(user, password: password)
        #expect(login.status == 0, "\(login.stderr)")
        return home
    }

    /// Starts a pre-application and returns its id.
    func newPre(licence: String = Fixtures.licence) async -> String {
        let run = await run(["pre", "new", "--region", Fixtures.region, "--license", licence])
        #expect(run.status == 0, "\(run.stderr)")
        return Self.firstId(run) ?? ""
    }

    /// A pre-application the province approved (synced), and an application made from it.
    func approvedApplication() async -> (pre: String, app: String) {
        let pre = await newPre()
        #expect(await run(["pre", "set", pre] + Fixtures.prerequisites).status == 0)
        #expect(await run(["sync"]).status == 0)
        if let id = UUID(uuidString: pre) { server.change(id, state: .approved) }
        #expect(await run(["sync"]).status == 0)
        let app = await run(["app", "new", "--from", String(pre.prefix(8))])
        #expect(app.status == 0, "\(app.stderr)")
        return (pre, Self.firstId(app) ?? "")
    }

    /// The stored record.
    func local(_ id: String) throws -> LocalRecord? {
        guard let uuid = UUID(uuidString: id) else { return nil }
        return try store().read { try LocalRecord.find($0, uuid) }
    }

    /// The queued mutations.
    func outbox() throws -> [Mutation] {
        try store().read { try OutboxEntry.fetchAll($0, sql: "SELECT * FROM outbox ORDER BY seq").map(\.mutation) }
    }

    /// The sync bookkeeping row.
    func syncState() throws -> SyncState {
        try store().read { try SyncState.load($0) }
    }
}
