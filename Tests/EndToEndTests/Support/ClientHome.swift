import Foundation
import GRDB
import GreenMineShared

/// One installation of the real `greenmine` client: its own `--home`, run as a separate process with
/// a clean environment, its output captured, and a time limit.
final class ClientHome: Sendable {
    let name: String
    let directory: URL
    private let logDirectory: URL
    private let counter = Counter()

    init(name: String, directory: URL, logDirectory: URL) throws {
        self.name = name
        self.directory = directory
        self.logDirectory = logDirectory
        try FileManager.default.createDirectory(at: logDirectory, withIntermediateDirectories: true)
    }

    var storeURL: URL { directory.appendingPathComponent("store.sqlite") }

    /// The environment of a user's shell: no inherited GreenMine variables, a private HOME, LANG.
    func environment(lang: String) -> [String: String] {
        let inherited = ProcessInfo.processInfo.environment
        return [
            "PATH": inherited["PATH"] ?? "/usr/bin:/bin",
            "HOME": logDirectory.path,
            "LANG": lang,
            "TZ": "UTC",
        ]
    }

    /// Starts `greenmine ARGS --home DIR` without waiting for it.
    func launch(_ arguments: [String], stdin: String? = nil, lang: String = "en_US.UTF-8") throws -> ChildProcess {
        let number = counter.next()
        let label = arguments.prefix(2).joined(separator: "-").filter { $0.isLetter || $0 == "-" }
        return try ChildProcess(
            executable: try Binaries.url(Binaries.client), arguments: arguments + ["--home", directory.path],
            environment: environment(lang: lang), stdin: stdin.map { Data($0.utf8) },
            outputStem: logDirectory.appendingPathComponent(String(format: "%03d-", number) + label))
    }

    /// Runs `greenmine ARGS --home DIR` to its end (killed after `timeout` seconds).
    @discardableResult
    func run(_ arguments: [String], stdin: String? = nil, lang: String = "en_US.UTF-8",
             timeout: Double = 120) async throws -> ProcessOutcome {
        let child = try launch(arguments, stdin: stdin, lang: lang)
        return await child.finish(timeout: timeout)
    }

    /// Runs a command that must succeed (exit 0); returns its standard output.
    @discardableResult
    func ok(_ arguments: [String], stdin: String? = nil, lang: String = "en_US.UTF-8",
            timeout: Double = 120) async throws -> String {
        let outcome = try await run(arguments, stdin: stdin, lang: lang, timeout: timeout)
        guard outcome.exitedCleanly else {
            throw HarnessError("[\(name)] greenmine \(arguments.joined(separator: " ")) failed: \(outcome)")
        }
        return outcome.stdout
    }

    /// Runs a `--json` command that must succeed and decodes its output with the wire coding.
    func json<T: Decodable>(_ type: T.Type, _ arguments: [String], stdin: String? = nil) async throws -> T {
        let text = try await ok(arguments + ["--json"], stdin: stdin)
        do {
            return try WireCoding.decode(T.self, from: Data(text.utf8))
        } catch {
            throw HarnessError("[\(name)] cannot decode \(T.self) from greenmine \(arguments.joined(separator: " ")): \(error)\n\(text)")
        }
    }

    /// `greenmine login` with the password on standard input.
    func login(server: URL, user: String, password: String) async throws {
        try await ok(["login", "--server", server.absoluteString, "--user", user, "--password-stdin"],
                     stdin: password + "\n")
    }

    /// Runs `greenmine sync` and returns its outcome, whatever the status.
    func sync(timeout: Double = 120) async throws -> ProcessOutcome {
        try await run(["sync"], timeout: timeout)
    }

    // MARK: - The local store, read directly (read-only)

    /// The store opened read-only, for assertions about what the client holds.
    func readStore<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: storeURL.path, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read(body)
    }

    /// `PRAGMA integrity_check` of the store ("ok" when sound).
    func integrityCheck() throws -> [String] {
        try readStore { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
    }

    /// Mutations waiting in the outbox.
    func outboxCount() throws -> Int {
        try readStore { try Int.fetchOne($0, sql: "SELECT count(*) FROM outbox") ?? 0 }
    }

    /// The client id this home pushes with.
    func clientId() throws -> String {
        try readStore { try String.fetchOne($0, sql: "SELECT client_id FROM sync_state WHERE id = 1") ?? "" }
    }
}

/// A thread-safe counter for output file names.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func next() -> Int {
        lock.withLock {
            value += 1
            return value
        }
    }
}
