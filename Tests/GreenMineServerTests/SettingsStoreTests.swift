import Foundation
import Testing
@testable import GreenMineServer

/// The settings store on every backend: instances starting at once agree on one certificate key
/// (the first written), and on PostgreSQL they migrate the schema once between them.
struct SettingsStoreTests {
    @Test(arguments: TestBackend.available)
    func instancesStartingAtOnceAgreeOnOneSigningKey(_ backend: TestBackend) async throws {
        switch backend {
        case .sqlite:
            let harness = try await Harness()
            let settings = harness.backend.storage.settings
            let keys = try await Self.keysOfInstances(8) { _ in settings }
            #expect(keys == [harness.services.signer.keyId])
        case .postgres:
            let url = try await TestBackend.makeDatabase()
            // Eight instances, each with its own pool, open (and so migrate) the database at once.
            let databases = try await withThrowingTaskGroup(of: PostgresDatabase.self) { group in
                for _ in 0..<8 { group.addTask { try await PostgresDatabase.open(url: url) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let stores = databases.map(PostgresSettingsStore.init(database:))
            let keys = try await Self.keysOfInstances(8) { stores[$0] }
            #expect(keys.count == 1)
            let reopened = try await PostgresDatabase.open(url: url)
            let applied = try await reopened.client.query("SELECT count(*) FROM schema_migrations")
                .decode(Int.self).reduce(into: [Int]()) { $0.append($1) }
            #expect(applied == [PostgresSchema.migrations.count])
            #expect(try await CertificateSigner.loadOrCreate(PostgresSettingsStore(database: reopened)).keyId
                    == keys.first)
            for database in databases + [reopened] { database.close() }
            try await TestBackend.dropDatabase(url)
        }
    }

    /// The key ids that `count` instances load at once, each through the store `store(index)` gives.
    private static func keysOfInstances(_ count: Int, store: @escaping @Sendable (Int) -> any SettingsStore)
        async throws -> Set<String> {
        try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<count {
                group.addTask { try await CertificateSigner.loadOrCreate(store(index)).keyId }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
    }

    @Test func aDatabaseURLThatIsNotPostgresIsRefusedInBothLanguages() {
        for url in ["mysql://a@b/c", "postgres:///nohost", "postgres://host-without-user/db", "not a url"] {
            #expect(throws: PostgresURLError.self, "\(url)") { try PostgresDatabase.configuration(url: url) }
        }
        #expect(throws: Never.self) { try PostgresDatabase.configuration(url: "postgres://gm:pw@127.0.0.1:5433/greenmine") }
        #expect(throws: Never.self) { try PostgresDatabase.configuration(url: "postgres://gm@localhost/greenmine?host=/tmp/pg") }
        #expect("\(PostgresURLError(url: "x"))".contains("数据库地址"))
    }
}
