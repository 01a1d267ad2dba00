import Foundation
import GRDB
import GreenMineShared
import Testing
@testable import GreenMineServer

/// SQLite uses a partial index only where a query's WHERE has its condition as a term: the work queue's
/// and the dashboard's reads keep `records_queue` (built over `review_visible = 1` records only) and the
/// children's reads keep `records_parent` (over records with a parent), and drafts write no queue entry.
@Suite(.enabled(if: TestBackend.harness == .sqlite, "SQLite's own query plans"))
struct QueryPlanTests {
    private func plan(_ db: DatabasePool, _ sql: String, _ values: [SQLArgument]) async throws -> String {
        try await db.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: values.statementArguments)
                .map { (row: Row) -> String in row["detail"] }.joined(separator: "\n")
        }
    }

    @Test func queueCountsAndPagesReadTheQueueIndex() async throws {
        let harness = try await Harness()
        let db = try #require(harness.sqlite)
        // (The ministry awaits nothing: its view is the dashboard, below.)
        for username in ["demo-county", "demo-city", "demo-province", "demo-assessor"] {
            let user = try await harness.user(try await harness.token(username))
            let awaited = ConsoleWorkQueue.awaited(for: user.info.role)
            try #require(!awaited.isEmpty)
            let sql = QueueSQL(QueueQuery(awaited: awaited), user: user, regions: .standard, dialect: .sqlite)
            let counts = try await plan(db, sql.countSQL, sql.countValues)
            #expect(counts.contains("COVERING INDEX records_queue") && !counts.contains("SCAN"), "\(username): \(counts)")
            let search = QueueSQL(QueueQuery(awaited: awaited, search: "矿"), user: user, regions: .standard,
                                  dialect: .sqlite)
            let matches = try await plan(db, "SELECT r.rowid FROM \(search.from) WHERE \(search.base)", search.baseValues)
            #expect(matches.contains("records_queue"), "\(username): \(matches)")
        }
    }

    @Test func theDashboardReadsTheQueueIndex() async throws {
        let harness = try await Harness()
        let db = try #require(harness.sqlite)
        let ministry = try await harness.user(try await harness.token("demo-ministry"))
        for kind in [RecordKind.preApplication, .application] {
            let sql = ConsoleSQL.dashboard(kind: kind, user: ministry, regions: .standard)
            let detail = try await plan(db, sql.sql, sql.values)
            #expect(detail.contains("COVERING INDEX records_queue") && !detail.contains("SCAN"), "\(kind): \(detail)")
        }
    }

    @Test func noticesAndOwnRecordsHaveIndexesOfTheirOwn() async throws {
        let harness = try await Harness()
        let db = try #require(harness.sqlite)
        for username in ["demo-ent1", "demo-county", "demo-province", "demo-ministry"] {
            let user = try await harness.user(try await harness.token(username))
            let filter = VisibilityFilter(user: user, regions: .standard)
            let query = ConsoleSQL.notices(filter, limit: 50)
            let notices = try await plan(db, query.sql, query.values)
            #expect(notices.contains("INDEX records_notice") && !notices.contains("SCAN r\n"), "\(username): \(notices)")
        }
        let owned = try await plan(db, SQLiteRecordTransaction.ownedRecordSQL, [.text("profile"), .text("someone")])
        #expect(owned.contains("INDEX records_owner"), "\(owned)")
    }

    @Test func childrenAreFoundByTheParentIndex() async throws {
        let harness = try await Harness()
        let db = try #require(harness.sqlite)
        let detail = try await plan(db, "SELECT body, creator_client FROM records WHERE parent_id = ? AND kind = ? AND deleted = 0",
                                    [.text(UUID().storedString), .text(RecordKind.evidence.rawValue)])
        #expect(detail.contains("INDEX records_parent"), "\(detail)")
    }

    @Test func draftsAndTopLevelRecordsWriteNeitherPartialEntry() async throws {
        let harness = try await Harness()
        let db = try #require(harness.sqlite)
        try await harness.withAPI { api in
            let enterprise = try await harness.token("demo-ent1")
            let province = try await harness.token("demo-province")
            var device = Device()
            var provincial = Device()
            // An approved pre-application and a submitted application with an evidence child (in
            // reviewers' reach), and a draft (not).
            let pre = try await api.submittedPreApplication(enterprise, &device)
            _ = try await api.approvedByProvince(pre, province: province, &provincial)
            let application = try await api.submittedApplication(enterprise, &device)
            _ = try await api.apply(enterprise, device, device.create(
                .evidence, set: ["evidence.indicator": .string("1.1.1")], parent: application.id))
            _ = try await api.apply(enterprise, device, device.create(.preApplication, set: [:]))
        }
        let (queue, reviewed, parent, children, all) = try await db.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM records INDEXED BY records_queue WHERE review_visible = 1") ?? -1,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM records NOT INDEXED WHERE review_visible = 1") ?? -1,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM records INDEXED BY records_parent WHERE parent_id IS NOT NULL") ?? -1,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM records NOT INDEXED WHERE parent_id IS NOT NULL") ?? -1,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM records") ?? 0)
        }
        // Both indexes are partial (SQLite's own flag), read as many rows as the table has of their kind,
        // which are fewer than the table's, and agree with the table (integrity_check reads every entry).
        let partial = try await db.read { db in
            try Row.fetchAll(db, sql: "PRAGMA index_list(records)").reduce(into: [String: Bool]()) {
                $0[$1["name"]] = ($1["partial"] as Int) == 1
            }
        }
        #expect(partial["records_queue"] == true && partial["records_parent"] == true)
        #expect(partial["records_notice"] == true && partial["records_owner"] == true)
        #expect(partial["records_change"] == false)
        #expect(queue == reviewed && reviewed >= 3 && reviewed < all)
        #expect(parent == children && children == 1 && children < all)
        let integrity = try await db.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        #expect(integrity == ["ok"])
    }
}
