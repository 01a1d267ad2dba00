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
        let server = try #require(serverURL)
        let name = "greenmine_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let admin = try await PostgresDatabase.open(url: server)
        defer { admin.close() }
        try await admin.client.query(.init(unsafeSQL: "CREATE DATABASE \(name)"))
        return try url(server, database: name)
    }

    /// Drops a database `makeDatabase` made.
    static func dropDatabase(_ url: String) async throws {
        let server = try #require(serverURL)
        let name = try #require(URLComponents(string: url)?.path.dropFirst())
        let admin = try await PostgresDatabase.open(url: server)
        defer { admin.close() }
        try await admin.client.query(.init(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"))
    }

    private static func url(_ server: String, database: String) throws -> String {
        var parts = try #require(URLComponents(string: server))
        parts.path = "/" + database
        return try #require(parts.string)
    }
}
