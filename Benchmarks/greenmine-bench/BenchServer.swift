import Foundation
import GreenMineServer
import GreenMineShared
import Hummingbird
import Logging

/// A real server on a free loopback port, in this process, over a fresh data directory.
struct BenchServer {
    let services: AppServices
    let http: BenchHTTP
    let accounts: [DemoAccount]
    let directory: URL
    private let task: Task<Void, Error>
    /// Drops the PostgreSQL scratch database (nothing on SQLite); after `stop`.
    let dropDatabase: @Sendable () async -> Void

    /// On a SQLite file in a new folder, or, when `postgres` names a PostgreSQL server, on a scratch
    /// database made there (dropped by `stop`).
    static func start(name: String, postgres: String? = nil) async throws -> BenchServer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("greenmine-bench-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let storage: ServerStorage
        var dropDatabase: @Sendable () async -> Void = {}
        if let postgres {
            let url = try await PostgresDatabase.createScratch(on: postgres, prefix: "greenmine_bench")
            let database = try await PostgresDatabase.open(url: url)
            storage = .postgres(database)
            dropDatabase = {
                database.close()
                try? await PostgresDatabase.dropScratch(url, on: postgres)
            }
        } else {
            storage = .sqlite(try ServerDatabase.open(path: directory.appendingPathComponent("greenmine.sqlite").path))
        }
        let services = try await AppServices(storage: storage, blobs: BlobDirectory(dataDirectory: directory))
        let accounts = try await DemoData.seed(AdminService(services: services), services: services)
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = buildApplication(services, host: "127.0.0.1", port: 0, logger: logger) { port in
            continuation.yield(port)
        }
        let task = Task { try await app.run() }
        var port = 0
        for await value in stream { port = value; break }
        guard let base = URL(string: "http://127.0.0.1:\(port)") else { throw BenchError("no port") }
        return BenchServer(services: services, http: BenchHTTP(base: base, connections: 64), accounts: accounts,
                           directory: directory, task: task, dropDatabase: dropDatabase)
    }

    func password(_ username: String) throws -> String {
        guard let account = accounts.first(where: { $0.username == username }) else { throw BenchError("no \(username)") }
        return account.password
    }

    /// Stops the server and removes its data, unless GREENMINE_BENCH_KEEP is set (to study the store).
    func stop() {
        task.cancel()
        if ProcessInfo.processInfo.environment["GREENMINE_BENCH_KEEP"] != nil {
            print("kept: \(directory.path)")
            return
        }
        try? FileManager.default.removeItem(at: directory)
    }
}
