import Foundation
import GRDB
import GreenMineShared
import Testing
@testable import GreenMineClient

/// Issue 14 item 11: `status` reads counts the store keeps as it changes; they always equal a full
/// count of the records (the speed itself is measured by `greenmine-bench client`, never asserted).
struct RecordCountsTests {
    static func fullCount(_ db: Database) throws -> [StatusReport.Count] {
        try Row.fetchAll(db, sql: """
            SELECT kind, state, COUNT(*) FROM records WHERE deleted = 0 GROUP BY kind, state ORDER BY kind, state
            """).compactMap { row in
            guard let kind = RecordKind(rawValue: row[0]), let state = RecordState(rawValue: row[1]) else { return nil }
            return StatusReport.Count(kind: kind, state: state, count: row[2])
        }
    }

    @Test func countsFollowCreatesEditsTransitionsDeletesAndSyncs() async throws {
        let home = await TestHome.loggedIn()
        func agree(_ step: String) throws {
            let (kept, counted) = try home.store().read { db in (try RecordCounts.all(db), try Self.fullCount(db)) }
            #expect(kept == counted, "after \(step): \(kept) vs \(counted)")
        }
        try agree("login")
        let first = await home.newPre()
        try agree("create")
        #expect(await home.run(["pre", "delete", first]).status == 0)
        try agree("delete")
        let pre = await home.newPre()
        #expect(await home.run(["pre", "set", pre] + Fixtures.prerequisites).status == 0)
        try agree("edit")
        #expect(await home.run(["sync"]).status == 0)
        try agree("sync")
        try home.seed([ReviewFixtures.application(.assessing), ReviewFixtures.preApplication(.approved)])
        try agree("seed")
        let status = await home.run(["status", "--json"])
        let report = try WireCoding.decode(StatusReport.self, from: Data(status.stdout.utf8))
        let counted = try home.store().read { try Self.fullCount($0) }
        #expect(report.counts == counted)
    }
}
