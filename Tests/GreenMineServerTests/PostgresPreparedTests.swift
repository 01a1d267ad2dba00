import Foundation
import PostgresNIO
import Testing
@testable import GreenMineServer

/// Statements prepared once per pooled connection (`PostgresSQL.preparedRows`, the pull's path) and the
/// pool's plan mode (issue 15): run only where a PostgreSQL server is given (`GREENMINE_TEST_POSTGRES`).
struct PostgresPreparedTests {
    @Test(.enabled(if: TestBackend.serverURL != nil))
    func aPreparedReadAnswersEveryRunWithItsOwnValues() async throws {
        let url = try await TestBackend.makeDatabase()
        let database = try await PostgresDatabase.open(url: url)
        defer { database.close() }
        let sql = """
            SELECT ? || '-' || coalesce(CAST(? AS TEXT), 'none') AS label, ? + 1 AS next, CAST(? AS TEXT) IS NULL AS missing
            """
        // More runs than the pool has connections, so connections run the statement they prepared before;
        // the same text with a NULL where a text was is another statement (its types differ).
        for round in 0..<24 {
            let tag: SQLArgument = round % 3 == 0 ? .null : .text("t\(round)")
            let rows = try await database.preparedRows(sql, [.text("r\(round)"), tag, .integer(round), tag])
            #expect(rows.count == 1)
            let row = try #require(rows.first)
            #expect(try row.get("label", as: String.self) == "r\(round)-" + (round % 3 == 0 ? "none" : "t\(round)"))
            #expect(try row.get("next", as: Int.self) == round + 1)
            #expect(try row.get("missing", as: Bool.self) == (round % 3 == 0))
        }
        // A refusal comes back as the server's error, and the connection goes on serving.
        await #expect(throws: PSQLError.self) {
            _ = try await database.preparedRows("SELECT 1 / ? AS x", [.integer(0)])
        }
        #expect(try await database.preparedRows("SELECT 1 / ? AS x", [.integer(1)]).first?.get("x", as: Int.self) == 1)
        // Placeholders and values must agree, as for every other query.
        await #expect(throws: StoredDataCorrupt.self) { _ = try await database.preparedRows("SELECT ?", []) }
        try await TestBackend.dropDatabase(url)
    }

    @Test(.enabled(if: TestBackend.serverURL != nil))
    func everyPooledConnectionPlansItsPreparedStatementsOnce() async throws {
        let url = try await TestBackend.makeDatabase()
        let database = try await PostgresDatabase.open(url: url)
        defer { database.close() }
        let modes = try await database.rows("SELECT current_setting('plan_cache_mode') AS mode")
        #expect(try modes.first?.get("mode", as: String.self) == "force_generic_plan")
        try await TestBackend.dropDatabase(url)
    }
}
