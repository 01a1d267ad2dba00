import Foundation
import GRDB
import PostgresNIO
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

    /// The backend `Harness` runs the server on: `GREENMINE_TEST_BACKEND=postgres` runs the whole server
    /// suite on PostgreSQL (`.ci/run` does, after the run on SQLite); SQLite otherwise.
    static var harness: TestBackend {
        ProcessInfo.processInfo.environment["GREENMINE_TEST_BACKEND"] == "postgres" ? .postgres : .sqlite
    }

    var testDescription: String { rawValue }

    /// A new, empty database on the test server; its URL. Dropped by `dropDatabase`.
    static func makeDatabase() async throws -> String {
        try await GreenMineServer.PostgresDatabase.createScratch(on: try #require(serverURL), prefix: "greenmine_test")
    }

    /// Drops a database `makeDatabase` made.
    static func dropDatabase(_ url: String) async throws {
        try await GreenMineServer.PostgresDatabase.dropScratch(url, on: try #require(serverURL))
    }
}

/// One new database of a backend for a store test, opened once per server instance the test plays
/// (on PostgreSQL each with a pool of its own), and how to let it go.
struct OpenedBackend: Sendable {
    var sqlite: DatabasePool?
    var postgres: [GreenMineServer.PostgresDatabase]
    var instances: Int
    var close: @Sendable () async -> Void

    /// One store per instance, built by the backend's maker.
    func stores<Store>(sqlite makeSQLite: (DatabasePool) -> Store, postgres makePostgres: (GreenMineServer.PostgresDatabase) -> Store)
        -> [Store] {
        if let sqlite { return Array(repeating: makeSQLite(sqlite), count: instances) }
        return postgres.map(makePostgres)
    }

    /// Every store of one server on this database (the first instance's).
    var storage: ServerStorage {
        if let sqlite { return .sqlite(sqlite) }
        return .postgres(postgres[0])
    }

    /// Runs one SQL statement with `?` placeholders on the database.
    func execute(_ sql: String, _ values: [SQLArgument] = []) async throws {
        if let sqlite {
            try await sqlite.write { try $0.execute(sql: sql, arguments: values.statementArguments) }
        } else if let database = postgres.first {
            _ = try await database.rows(sql, values)
        }
    }

    /// The first column of every row of a query with `?` placeholders, as `T` (text, integers, numbers).
    func column<T: DatabaseValueConvertible & PostgresDecodable & Sendable>(_ sql: String, _ values: [SQLArgument] = [],
                                                                 as type: T.Type = T.self) async throws -> [T?] {
        if let sqlite {
            return try await sqlite.read { db in
                try Row.fetchAll(db, sql: sql, arguments: values.statementArguments).map { $0[0] as T? }
            }
        }
        return try await postgres[0].rows(sql, values).map { row in row[0].bytes == nil ? nil : try row[0].decode(T.self) }
    }

    /// The first column of the first row (nil when there is none or it is NULL).
    func value<T: DatabaseValueConvertible & PostgresDecodable & Sendable>(_ sql: String, _ values: [SQLArgument] = [],
                                                                as type: T.Type = T.self) async throws -> T? {
        try await column(sql, values, as: T.self).first ?? nil
    }
}

extension TestBackend {
    /// A new, empty database of this backend, opened `instances` times.
    func open(instances: Int = 1) async throws -> OpenedBackend {
        switch self {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("store-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let database = try ServerDatabase.open(path: folder.appendingPathComponent("server.sqlite").path)
            return OpenedBackend(sqlite: database, postgres: [], instances: instances) {
                try? FileManager.default.removeItem(at: folder)
            }
        case .postgres:
            let url = try await Self.makeDatabase()
            var databases: [GreenMineServer.PostgresDatabase] = []
            for _ in 0..<instances { databases.append(try await GreenMineServer.PostgresDatabase.open(url: url)) }
            let opened = databases
            return OpenedBackend(sqlite: nil, postgres: opened, instances: instances) {
                for database in opened { database.close() }
                try? await Self.dropDatabase(url)
            }
        }
    }
}
