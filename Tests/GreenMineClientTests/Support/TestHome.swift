import ArgumentParser
import Foundation
import GreenMineShared
@testable import GreenMineClient

/// A throw-away home folder with a controlled environment, and a way to run `greenmine` in it.
final class TestHome: @unchecked Sendable {
    let root: URL
    let clock: TestClock
    let ids: TestUUIDs
    let output = CapturedOutput()
    let sleeps = SleepRecorder()
    var server: FakeServer
    var language = "en_US.UTF-8"
    var extraVariables: [String: String] = [:]
    var input: any LineInput = ScriptedInput([])
    /// The network commands use instead of the fake server (a real server, a fault-injecting wrapper).
    var transport: (@Sendable (URL) -> any APITransport)?
    /// Bytes per upload `PATCH`.
    var uploadChunkSize = 8 << 20
    /// Limits on the store's read-write connections (SQLite refusing writes as on a full or read-only disk).
    var storeLimits = StoreLimits()

    init(server: FakeServer = FakeServer(), clock: TestClock = TestClock(), salt: UInt64 = 1) {
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("greenmine-test-\(UUID().uuidString.lowercased())")
        try? FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        self.server = server
        self.clock = clock
        self.ids = TestUUIDs(salt: salt)
    }

    deinit {
        try? FileManager.default.removeItem(at: root)
    }

    /// The home folder commands use.
    var home: HomeDirectory { HomeDirectory(url: root.appendingPathComponent("home")) }

    var environment: ClientEnvironment {
        let clock = clock
        let ids = ids
        let server = server
        let sleeps = sleeps
        let transport = transport
        var variables = ["LANG": language, "GREENMINE_HOME": home.url.path, "HOME": root.path]
        variables.merge(extraVariables) { $1 }
        var environment = ClientEnvironment(
            variables: variables, now: { clock.now }, makeUUID: { ids.next() }, output: output, input: input,
            transport: { url in transport?(url) ?? server },
            retry: RetryPolicy(maxAttempts: 4, initialDelay: .milliseconds(100), maxDelay: .seconds(1),
                               sleep: { try sleeps.sleep($0) }),
            editor: ShellEditorLauncher(), timeZone: TimeZone(identifier: "Asia/Shanghai") ?? .current,
            lookupTimeout: 1, requestTimeout: 30, sleep: { try sleeps.sleep($0) }, uploadChunkSize: uploadChunkSize)
        environment.storeLimits = storeLimits
        return environment
    }

    /// The result of one command.
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `greenmine ARGS` in this home; `input` lines feed standard input.
    @discardableResult
    func run(_ arguments: [String], input lines: [String]? = nil) async -> Run {
        if let lines { input = ScriptedInput(lines) }
        output.reset()
        let environment = environment
        let status: Int32 = await ClientEnvironment.$current.withValue(environment) {
            do {
                var command = try GreenMineCommand.parseAsRoot(arguments)
                if var asyncCommand = command as? AsyncParsableCommand {
                    try await asyncCommand.run()
                } else {
                    try command.run()
                }
                return 0
            } catch {
                let code = GreenMineCommand.exitCode(for: error).rawValue
                if code != 0, !(error is ExitCode) {
                    output.writeError(GreenMineCommand.message(for: error) + "\n")
                }
                return code
            }
        }
        return Run(status: status, stdout: output.stdout, stderr: output.stderr)
    }

    /// The store of this home, opened directly.
    func store() throws -> Store {
        try home.prepare()
        return try Store.open(at: home.storeURL, makeUUID: { UUID() })
    }

    /// Logs in as the server's enterprise user `alice`.
    func login(_ user: String = "alice", password: String = "secret-1") async -> Run {
        await run(["login", "--server", "http://fake.test", "--user", user, "--password-stdin"], input: [password])
    }

    /// Writes an executable shell script into the test folder and returns its path.
    func script(_ name: String, _ body: String) throws -> String {
        let url = root.appendingPathComponent(name)
        try ("#!/bin/sh\n" + body + "\n").write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        return url.path
    }

    /// The first full id in a command's standard output.
    static func firstId(_ run: Run) -> String? {
        guard let regex = try? Regex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
              let match = run.stdout.firstMatch(of: regex) else { return nil }
        return String(run.stdout[match.range])
    }
}
