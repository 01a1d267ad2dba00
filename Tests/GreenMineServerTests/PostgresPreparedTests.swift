import Foundation
import PostgresNIO
import Testing
@testable import GreenMineServer

/// Statements prepared once per pooled connection (`PostgresDatabase.preparedRows`, the pull's path) and
/// the plan mode of their pool (issue 15): run only where a PostgreSQL server is given
/// (`GREENMINE_TEST_POSTGRES`).
struct PostgresPreparedTests {
    static let sql = """
        SELECT ? || '-' || coalesce(CAST(? AS TEXT), 'none') AS label, ? + 1 AS next, CAST(? AS TEXT) IS NULL AS missing
        """

    /// A database of its own for `body`, dropped after.
    static func withDatabase(_ body: (GreenMineServer.PostgresDatabase) async throws -> Void) async throws {
        let url = try await TestBackend.makeDatabase()
        let database = try await GreenMineServer.PostgresDatabase.open(url: url)
        do {
            try await body(database)
        } catch {
            database.close()
            try await TestBackend.dropDatabase(url)
            throw error
        }
        database.close()
        try await TestBackend.dropDatabase(url)
    }

    @Test(.enabled(if: TestBackend.serverURL != nil))
    func aPreparedReadAnswersEveryRunWithItsOwnValues() async throws {
        try await Self.withDatabase { database in
            // The same text with a NULL where a text was is another statement (its types differ).
            for round in 0..<24 {
                let tag: SQLArgument = round % 3 == 0 ? .null : .text("t\(round)")
                let row = try #require(try await database.preparedRows(Self.sql, [.text("r\(round)"), tag,
                                                                                  .integer(round), tag]).first)
                #expect(try row.get("label", as: String.self) == "r\(round)-" + (round % 3 == 0 ? "none" : "t\(round)"))
                #expect(try row.get("next", as: Int.self) == round + 1)
                #expect(try row.get("missing", as: Bool.self) == (round % 3 == 0))
            }
            // Several texts at once, each answered with its own rows.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<16 {
                    group.addTask {
                        let rows = try await database.preparedRows("SELECT ? * \(task % 4 + 2) AS product", [SQLArgument.integer(task)])
                        #expect(try rows.first?.get("product", as: Int.self) == task * (task % 4 + 2))
                    }
                }
                try await group.waitForAll()
            }
            // A refusal comes back as the server's error, and reads go on.
            await #expect(throws: PSQLError.self) {
                _ = try await database.preparedRows("SELECT 1 / ? AS x", [.integer(0)])
            }
            #expect(try await database.preparedRows("SELECT 1 / ? AS x", [.integer(1)]).first?.get("x", as: Int.self) == 1)
            await #expect(throws: StoredDataCorrupt.self) { _ = try await database.preparedRows("SELECT ?", []) }
        }
    }

    @Test(.enabled(if: TestBackend.serverURL != nil))
    func aPreparationThatFailedIsNotKept() async throws {
        try await Self.withDatabase { database in
            let sql = "SELECT n FROM made_later WHERE n = ?"
            await #expect(throws: PSQLError.self) { _ = try await database.preparedRows(sql, [.integer(1)]) }
            _ = try await database.rows("CREATE TABLE made_later (n BIGINT)")
            _ = try await database.rows("INSERT INTO made_later VALUES (1)")
            // postgres-nio keeps a failed preparation for its connection's life: that connection was closed.
            #expect(try await database.preparedRows(sql, [.integer(1)]).first?.get("n", as: Int.self) == 1)
        }
    }

    @Test(.enabled(if: TestBackend.serverURL != nil))
    func onlyThePreparedPoolPlansOnce() async throws {
        try await Self.withDatabase { database in
            let logger = database.logger
            // On one connection of the prepared pool: the statement is on the server, planned once, generic.
            let plans = try await database.prepared.withConnection { connection in
                for round in 0..<6 {
                    _ = try await PostgresSQL.preparedRows(connection, "SELECT ? + 1 AS next", [.integer(round)],
                                                           logger: logger)
                }
                return try await PostgresSQL.rows(connection, """
                    SELECT generic_plans, custom_plans, current_setting('plan_cache_mode') AS mode
                    FROM pg_prepared_statements WHERE name LIKE 'greenmine_%'
                    """, logger: logger)
            }
            let plan = try #require(plans.first)
            #expect(plans.count == 1)
            #expect(try plan.get("generic_plans", as: Int.self) == 6 && plan.get("custom_plans", as: Int.self) == 0)
            #expect(try plan.get("mode", as: String.self) == "force_generic_plan")
            // The main pool plans every other query for its values.
            let mode = try await database.rows("SELECT current_setting('plan_cache_mode') AS mode")
            #expect(try mode.first?.get("mode", as: String.self) == "auto")
        }
    }
}
