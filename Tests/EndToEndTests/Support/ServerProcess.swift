import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The real `greenmine-server serve` on a loopback port over one data folder: started, stopped with
/// SIGTERM or killed with -9, and restarted on the same folder and port (the clients keep its URL).
actor ServerProcess {
    let dataDirectory: URL
    private let logDirectory: URL
    private var child: ChildProcess?
    /// The current or last server process, for its log.
    private var last: ChildProcess?
    private var starts = 0
    /// The port of the first start; later starts reuse it.
    private(set) var port: Int?

    /// `port` fixes the port from the first start on (a copy of another server's data whose
    /// clients know that port); nil picks a free one.
    /// Flags given to `serve` besides the data folder, host and port (`--database URL`, `--demo`).
    private let extraArguments: [String]
    /// What the log files of this server's starts are named after.
    private let logName: String

    init(dataDirectory: URL, logDirectory: URL, port: Int? = nil, extraArguments: [String] = [],
         logName: String = "server") {
        self.dataDirectory = dataDirectory
        self.logDirectory = logDirectory
        self.port = port
        self.extraArguments = extraArguments
        self.logName = logName
    }

    /// `http://127.0.0.1:PORT` (after the first start).
    var url: URL {
        get throws {
            guard let port else { throw HarnessError("the server has not been started yet") }
            return URL(string: "http://127.0.0.1:\(port)")!
        }
    }

    var isRunning: Bool { child?.isRunning ?? false }

    /// Starts the server: on a free port the first time (`--port 0`), on the same port afterwards.
    @discardableResult
    func start() async throws -> URL {
        guard !isRunning else { throw HarnessError("the server is already running") }
        var lastFailure = ""
        // Rebinding the same port can briefly fail while the old socket goes away: try a few times.
        for attempt in 0..<20 {
            starts += 1
            let child = try ChildProcess(
                executable: try Binaries.url(Binaries.server),
                arguments: ["serve", "--data", dataDirectory.path, "--host", "127.0.0.1",
                            "--port", String(port ?? 0), "--log-level", "warning"] + extraArguments,
                environment: ProcessInfo.processInfo.environment,
                stdin: nil, outputStem: logDirectory.appendingPathComponent("\(logName)-\(starts)"))
            last = child
            if let found = await waitForPort(child) {
                self.child = child
                if port == nil { port = found }
                return try url
            }
            child.signal(SIGKILL)
            _ = await child.wait(timeout: 10)
            lastFailure = child.stdoutText() + child.stderrText()
            if port == nil { break }
            try await Task.sleep(for: .milliseconds(100 * (attempt + 1)))
        }
        throw HarnessError("greenmine-server did not start listening (data \(dataDirectory.path)):\n\(lastFailure)")
    }

    /// Stops the server with SIGTERM and waits for it to end (kill -9 after 20 s, which fails).
    func stop() async throws {
        guard let child, child.isRunning else { self.child = nil; return }
        child.signal(SIGTERM)
        let ended = await child.wait(timeout: 20)
        self.child = nil
        if !ended {
            child.signal(SIGKILL)
            _ = await child.wait(timeout: 10)
            throw HarnessError("greenmine-server did not stop within 20 s of SIGTERM")
        }
    }

    /// Kills the server with -9, as a power cut would.
    func kill9() async {
        guard let child else { return }
        child.signal(SIGKILL)
        _ = await child.wait(timeout: 20)
        self.child = nil
    }

    /// SIGTERM (or -9 when `hard`), then start again on the same data folder and port.
    func restart(hard: Bool = false) async throws {
        if hard { await kill9() } else { try await stop() }
        try await start()
    }

    /// What the current or last server process printed.
    func log() -> String {
        guard let last else { return "" }
        return last.stdoutText() + last.stderrText()
    }

    /// Reads the port from `greenmine-server listening on http://127.0.0.1:PORT`.
    private func waitForPort(_ child: ChildProcess) async -> Int? {
        let deadline = Date().addingTimeInterval(60)
        let marker = "listening on http://127.0.0.1:"
        while Date() < deadline {
            let text = child.stdoutText()
            if let range = text.range(of: marker) {
                let digits = text[range.upperBound...].prefix { $0.isNumber }
                if let port = Int(digits), text[range.upperBound...].dropFirst(digits.count).first == "\n" {
                    return port
                }
            }
            if !child.isRunning { return nil }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }
}
