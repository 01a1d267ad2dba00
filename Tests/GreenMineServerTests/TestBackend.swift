import Foundation
import Testing
@testable import GreenMineServer

/// The storage backends a store test runs on: SQLite always; PostgreSQL too when
/// `GREENMINE_TEST_POSTGRES` names a server (`.ci/run` starts a throw-away cluster and sets it, see
/// `scripts/postgres-test-cluster.sh`). Each PostgreSQL test gets a database of its own.
enum TestBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    static let serverURL = ProcessInfo.processInfo.environment["GREENMINE_TEST_POSTGRES"]

    static var available: [TestBackend] { serverURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    var testDescription: String { rawValue }

    /// A new, empty database on the test server; its URL. Dropped by `dropDatabase`.
    static func makeDatabase() async throws -> String {
        try await PostgresDatabase.createScratch(on: try #require(serverURL), prefix: "greenmine_test")
    }

    /// Drops a database `makeDatabase` made.
    static func dropDatabase(_ url: String) async throws {
        try await PostgresDatabase.dropScratch(url, on: try #require(serverURL))
    }
}
