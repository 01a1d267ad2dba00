import Foundation

/// The demonstration data set, seeded once per test run with `greenmine-server seed-demo --json`,
/// then copied into each test's own data folder. Seeding hashes seven passwords with the server's
/// real scrypt cost, so doing it once keeps the suite fast. The template also holds API sessions of
/// the accounts the tests drive over HTTP, made once and valid in every copy.
actor DemoTemplate {
    struct Account: Decodable, Sendable {
        var username: String
        var password: String
        var role: String
    }

    struct Seeded: Sendable {
        var directory: URL
        var passwords: [String: String]
        /// Bearer tokens made on the template, by username.
        var tokens: [String: String]
    }

    static let shared = DemoTemplate()

    /// The accounts whose API sessions the template keeps.
    static let apiUsers = ["demo-ent1", "demo-ent2", "demo-province"]

    private var seeding: Task<Seeded, Error>?

    /// Seeds the template on the first call; later calls get the same one.
    func seeded() async throws -> Seeded {
        if let seeding { return try await seeding.value }
        let task = Task { try await Self.seed() }
        seeding = task
        return try await task.value
    }

    /// A fresh copy of the template's data folder at `destination`.
    func copy(to destination: URL) async throws -> Seeded {
        let template = try await seeded()
        let manager = FileManager.default
        try manager.createDirectory(at: destination, withIntermediateDirectories: true)
        for item in try manager.contentsOfDirectory(atPath: template.directory.path) {
            try manager.copyItem(at: template.directory.appendingPathComponent(item),
                                 to: destination.appendingPathComponent(item))
        }
        return Seeded(directory: destination, passwords: template.passwords, tokens: template.tokens)
    }

    private static func seed() async throws -> Seeded {
        let root = TestRoot.folder("template")
        let data = root.appendingPathComponent("data")
        let logs = root.appendingPathComponent("logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let seed = try ChildProcess(executable: try Binaries.url(Binaries.server),
                                    arguments: ["seed-demo", "--data", data.path, "--json"],
                                    environment: ProcessInfo.processInfo.environment, stdin: nil,
                                    outputStem: logs.appendingPathComponent("seed"))
        let outcome = await seed.finish(timeout: 120)
        guard outcome.exitedCleanly else { throw HarnessError("greenmine-server seed-demo failed: \(outcome)") }
        let accounts: [Account]
        do {
            accounts = try JSONDecoder().decode([Account].self, from: Data(outcome.stdout.utf8))
        } catch {
            throw HarnessError("seed-demo --json printed no account list: \(error)\n\(outcome.stdout)")
        }
        let passwords = Dictionary(uniqueKeysWithValues: accounts.map { ($0.username, $0.password) })
        let server = ServerProcess(dataDirectory: data, logDirectory: logs)
        let api = ServerAPI(baseURL: try await server.start())
        var tokens: [String: String] = [:]
        do {
            for user in apiUsers {
                guard let password = passwords[user] else { throw HarnessError("seed-demo made no account \(user)") }
                tokens[user] = try await api.login(user, password)
            }
        } catch {
            await server.kill9()
            throw error
        }
        try await server.stop()
        print("[e2e] demo data seeded once in \(data.path)")
        return Seeded(directory: data, passwords: passwords, tokens: tokens)
    }
}
