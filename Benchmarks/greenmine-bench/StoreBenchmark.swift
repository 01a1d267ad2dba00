import Foundation
import GreenMineServer
import GreenMineShared

/// The sync path's own cost on each storage backend, without HTTP (issue 13): 10,000 pre-application
/// creates pushed through `SyncService` in batches of 500, then the initial pull of them all in pages of
/// 5,000, on SQLite and, when `GREENMINE_BENCH_POSTGRES` names a PostgreSQL server the bench may create
/// a database on, on PostgreSQL in the same run.
enum StoreBenchmark {
    /// One backend's stores on a fresh database, and how to let it go.
    struct Backend {
        var name: String
        var records: any SyncRecordStore
        var accounts: any AccountStore
        var registry: any RegistryStore
        var settings: any SettingsStore
        var close: () async -> Void
    }

    static func backends() async throws -> [Backend] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("greenmine-bench-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let sqlite = try ServerDatabase.open(path: folder.appendingPathComponent("greenmine.sqlite").path)
        var all = [Backend(name: "SQLite", records: SQLiteRecordStore(writer: sqlite),
                           accounts: SQLiteAccountStore(writer: sqlite), registry: SQLiteRegistryStore(writer: sqlite),
                           settings: SQLiteSettingsStore(writer: sqlite),
                           close: { try? FileManager.default.removeItem(at: folder) })]
        if let server = ProcessInfo.processInfo.environment["GREENMINE_BENCH_POSTGRES"], !server.isEmpty {
            let url = try await PostgresDatabase.createScratch(on: server, prefix: "greenmine_bench")
            let database = try await PostgresDatabase.open(url: url)
            all.append(Backend(name: "PostgreSQL", records: PostgresRecordStore(database: database),
                               accounts: PostgresAccountStore(database: database),
                               registry: PostgresRegistryStore(database: database),
                               settings: PostgresSettingsStore(database: database), close: {
                                   database.close()
                                   try? await PostgresDatabase.dropScratch(url, on: server)
                               }))
        }
        return all
    }

    /// Pushes and pulls on one backend: mutations per second, records per second.
    static func measure(_ backend: Backend, mutations: Int) async throws -> (push: Double, pull: Double) {
        let code = DemoData.creditCode(1)
        try await backend.accounts.addOrganisation(Organisation(creditCode: code, name: "基准企业", region: "130102"),
                                                   at: Date())
        try await backend.registry.upsertLicences([LicenceInfo(
            number: DemoData.licence(1), holder: "基准企业", creditCode: code, mineName: "基准矿山", mainMineral: "水泥用灰岩",
            miningMethod: "openPit", scale: 60, area: 1.2, region: "130102", validFrom: "2021-01-01", validTo: "2031-12-31")])
        let info = try await backend.accounts.addUser(
            id: UUID().uuidString, NewUser(username: "bench-ent", role: .enterprise, orgId: code),
            password: try await PasswordHasher.fastForTests.hash("bench", salt: Array(repeating: 1, count: 16)), at: Date())
        let user = AuthenticatedUser(info: info, orgRegion: "130102", tokenHash: [])
        let sync = SyncService(store: backend.records, environment: .live,
                               signer: try await CertificateSigner.loadOrCreate(backend.settings))
        let all = Workload.creates(count: mutations)
        let client = UUID()
        let clock = ContinuousClock()
        let pushed = try await clock.measure {
            for mutations in Workload.batches(all, of: 500) {
                let response = try await sync.push(PushRequest(clientId: client, mutations: mutations), user: user)
                guard response.results.allSatisfy({ $0.status == .applied }) else { throw BenchError("not all applied") }
            }
        }
        var count = 0
        let pulled = try await clock.measure {
            var cursor: String?
            var more = true
            while more {
                let page = try await sync.pull(user: user, after: cursor, limit: 5000, clientId: nil)
                for body in page.records { _ = try WireCoding.decodeFast(Record.self, from: Data(body.utf8)) }
                count += page.records.count
                cursor = String(page.cursor)
                more = page.more
            }
        }
        guard count == mutations else { throw BenchError("pulled \(count) of \(mutations)") }
        return (Double(mutations) / SyncBenchmarks.seconds(pushed), Double(count) / SyncBenchmarks.seconds(pulled))
    }
}
