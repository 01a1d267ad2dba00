import Foundation
import GreenMineShared

/// One test's world: a fresh temp folder, a server on its own copy of the demo data, client homes,
/// and the demo accounts. `Scenario.run` cleans up whatever happens (server killed, folder removed
/// unless GREENMINE_E2E_KEEP is set).
final class Scenario: Sendable {
    let name: String
    let root: URL
    let server: ServerProcess
    let database: ServerDatabase
    let passwords: [String: String]
    /// API sessions of demo-ent1, demo-ent2 and demo-province, valid on this server.
    let tokens: [String: String]

    private init(name: String) async throws {
        self.name = name
        root = TestRoot.folder(name)
        let data = root.appendingPathComponent("server-data")
        let seeded = try await DemoTemplate.shared.copy(to: data)
        passwords = seeded.passwords
        tokens = seeded.tokens
        server = ServerProcess(dataDirectory: data, logDirectory: root.appendingPathComponent("server-logs"))
        try FileManager.default.createDirectory(at: root.appendingPathComponent("server-logs"),
                                                withIntermediateDirectories: true)
        database = ServerDatabase(dataDirectory: data)
    }

    /// A scenario shared by several tests (its folder goes when the test run ends).
    static func shared(_ name: String) async throws -> Scenario {
        _ = try Binaries.directory.get()
        let scenario = try await Scenario(name: name)
        print("[e2e] \(name): \(scenario.root.path)")
        return scenario
    }

    /// Runs a test body in a fresh scenario and always cleans up.
    static func run<T: Sendable>(_ name: String, _ body: (Scenario) async throws -> T) async throws -> T {
        _ = try Binaries.directory.get()
        let scenario = try await Scenario(name: name)
        print("[e2e] \(name): \(scenario.root.path)")
        do {
            let result = try await body(scenario)
            await scenario.close()
            return result
        } catch {
            print("[e2e] \(name) failed; server log:\n\(await scenario.server.log())")
            await scenario.close()
            throw error
        }
    }

    private func close() async {
        await server.kill9()
        if !TestRoot.keep { try? FileManager.default.removeItem(at: root) }
    }

    /// The server's URL (it must have been started once).
    var url: URL {
        get async throws { try await server.url }
    }

    var api: ServerAPI {
        get async throws { ServerAPI(baseURL: try await server.url) }
    }

    func token(_ user: String) throws -> String {
        guard let token = tokens[user] else { throw HarnessError("no API session for \(user)") }
        return token
    }

    func password(_ user: String) throws -> String {
        guard let password = passwords[user] else { throw HarnessError("no demo account \(user)") }
        return password
    }

    /// A new, empty client home.
    func home(_ name: String) throws -> ClientHome {
        try ClientHome(name: name, directory: root.appendingPathComponent("home-\(name)"),
                       logDirectory: root.appendingPathComponent("logs-\(name)"))
    }

    /// A new client home logged in as `user` (the server must be running).
    func loggedInHome(_ name: String, as user: String) async throws -> ClientHome {
        let home = try home(name)
        try await home.login(server: try await url, user: user, password: try password(user))
        return home
    }

    /// A file in the scenario's folder.
    func file(_ name: String, _ data: Data) throws -> URL {
        let url = root.appendingPathComponent("files").appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
        return url
    }
}
