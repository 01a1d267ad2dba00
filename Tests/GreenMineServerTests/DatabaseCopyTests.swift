import Foundation
import GreenMineShared
import Hummingbird
import HummingbirdTesting
import Testing
@testable import GreenMineServer

/// `db copy`: an embedded installation moved to PostgreSQL serves every role exactly what it served
/// before, goes on numbering changes after the copied ones, and a second copy is refused.
struct DatabaseCopyTests {
    @Test(.enabled(if: TestBackend.serverURL != nil, "needs GREENMINE_TEST_POSTGRES"))
    func everyRolePullsTheSameAfterTheCopy() async throws {
        let harness = try await Harness(backend: .sqlite)
        let users = harness.passwords.keys.sorted()
        var tokens: [String: String] = [:]
        for user in users { tokens[user] = try await harness.token(user) }
        let sent = tokens
        // The world: an approved pre-application, an application accepted and assigned to the agency.
        let application = try await harness.withAPI { api in try await ConsoleRecordTests.assigned(harness, api) }
        func pulls(_ app: some ApplicationProtocol) async throws
            -> (records: [String: [UUID: GreenMineShared.Record]], history: [HistoryEvent], cursor: String) {
            try await app.test(.router) { client in
                let api = API(client: client)
                var pulled: [String: [UUID: GreenMineShared.Record]] = [:]
                for user in users { pulled[user] = try await api.pullAll(try #require(sent[user])).records }
                let history = try API.decode(HistoryResponse.self, try await api.history(try #require(sent["demo-province"]),
                                                                                        application.id)).events
                let cursor = try await api.pullAll(try #require(sent["demo-ent1"])).cursor
                return (pulled, history, cursor)
            }
        }
        let before = try await pulls(harness.app)
        #expect(before.records["demo-assessor"]?[application.id] != nil, "the agency sees the assigned application")
        #expect(before.records["demo-ent2"]?[application.id] == nil)

        let url = try await TestBackend.makeDatabase()
        let target = try await PostgresDatabase.open(url: url)
        let copied = Dictionary(uniqueKeysWithValues: try await DatabaseCopy.copy(from: try #require(harness.sqlite),
                                                                                  to: target))
        #expect((copied["records"] ?? 0) >= 2 && (copied["audit_events"] ?? 0) > 0 && (copied["tokens"] ?? 0) >= users.count, "\(copied)")
        #expect((copied["users"] ?? 0) == users.count)
        let services = try await AppServices(storage: .postgres(target), environment: harness.services.environment,
                                             hasher: .fastForTests, blobs: harness.blobs)
        let moved = Application(router: buildRouter(services))
        let after = try await pulls(moved)
        for user in users {
            #expect(after.records[user] == before.records[user], "\(user) pulls the same")
        }
        #expect(after.history == before.history)
        #expect(services.signer.keyId == harness.services.signer.keyId, "the certificate key moved too")
        // The work queue with a time filter (the change log's times copied) gives the same pages.
        let province = try await harness.user(try #require(tokens["demo-province"]))
        for from in [Harness.start.addingTimeInterval(-1), Harness.start.addingTimeInterval(86_400)] {
            var query = QueueQuery(awaited: [QueuePair(kind: .application, state: .assessing),
                                             QueuePair(kind: .preApplication, state: .approved)], updatedFrom: from)
            query.limit = 10
            let old = try await harness.services.records.queue(query, user: province)
            let new = try await services.records.queue(query, user: province)
            #expect(new.records.map(\.id) == old.records.map(\.id))
            #expect(new.counts == old.counts)
        }
        #expect(try await harness.services.records.queue(
            QueueQuery(awaited: [QueuePair(kind: .application, state: .assessing)], updatedFrom: Harness.start),
            user: province).records.count == 1)
        // Every serial continues after the copied rows.
        for (table, column) in DatabaseCopy.serials {
            let next: Int = try await target.rows("SELECT nextval(pg_get_serial_sequence('\(table)', '\(column)')) AS n")
                .first?.get("n") ?? 0
            let highest: Int = try await target.rows("SELECT coalesce(max(\(column)), 0) AS n FROM \(table)").first?.get("n") ?? 0
            #expect(next > highest, "\(table).\(column)")
        }

        // New changes come after the copied ones: a pull from the old cursor brings exactly them.
        let enterprise = try #require(tokens["demo-ent1"])
        try await moved.test(.router) { client in
            let api = API(client: client)
            var device = Device()
            let draft = try await api.apply(enterprise, device, device.create(.profile, set: ["profile.name": .string("王五")]))
            let page = try await api.pullAll(enterprise, after: before.cursor)
            #expect(Array(page.records.keys) == [draft.id])
        }
        await #expect(throws: DatabaseCopy.CopyRefused.self) {
            _ = try await DatabaseCopy.copy(from: try #require(harness.sqlite), to: target)
        }
        target.close()
        try await TestBackend.dropDatabase(url)
    }
}
