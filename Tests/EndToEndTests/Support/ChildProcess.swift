import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How a finished child process ended and what it printed.
struct ProcessOutcome: Sendable, CustomStringConvertible {
    /// The exit status, or the signal number when `signalled`.
    var status: Int32
    /// True when a signal ended the process (e.g. our own kill -9).
    var signalled: Bool
    var stdout: String
    var stderr: String
    /// True when the harness killed it because it ran out of time.
    var timedOut: Bool
    var seconds: Double

    var exitedCleanly: Bool { !signalled && status == 0 }

    var description: String {
        let how = timedOut ? "timed out" : signalled ? "killed by signal \(status)" : "exit \(status)"
        return "\(how) after \(String(format: "%.2f", seconds)) s\n--- stdout ---\n\(stdout)\n--- stderr ---\n\(stderr)"
    }
}

/// One child process with its output going to files (never pipes, so nothing blocks on a full
/// buffer and no thread is tied up reading), waited for without blocking a Swift concurrency thread.
final class ChildProcess: @unchecked Sendable {
    let process = Process()
    let stdoutURL: URL
    let stderrURL: URL
    private let started = Date()
    private let lock = NSLock()
    private var exited = false
    private var exitedAt: Date?
    private var waiters: [UUID: CheckedContinuation<Bool, Never>] = [:]
    private var handles: [FileHandle] = []

    /// Starts `executable`; `stdin` is fed from a file (end of input after it), or /dev/null.
    init(executable: URL, arguments: [String], environment: [String: String], stdin: Data?,
         outputStem: URL, currentDirectory: URL? = nil) throws {
        stdoutURL = outputStem.appendingPathExtension("stdout")
        stderrURL = outputStem.appendingPathExtension("stderr")
        let manager = FileManager.default
        guard manager.createFile(atPath: stdoutURL.path, contents: nil),
              manager.createFile(atPath: stderrURL.path, contents: nil) else {
            throw HarnessError("cannot create output files at \(outputStem.path)")
        }
        let out = try FileHandle(forWritingTo: stdoutURL)
        let err = try FileHandle(forWritingTo: stderrURL)
        let input: FileHandle
        if let stdin {
            let inputURL = outputStem.appendingPathExtension("stdin")
            try stdin.write(to: inputURL)
            input = try FileHandle(forReadingFrom: inputURL)
        } else {
            input = FileHandle(forReadingAtPath: "/dev/null") ?? FileHandle.nullDevice
        }
        handles = [out, err, input]
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        process.terminationHandler = { [weak self] _ in self?.markExited() }
        try process.run()
        let pid = process.processIdentifier
        lock.withLock { if !exited { Self.live.add(pid) } }
    }

    /// Every child still running, so none outlives the test run.
    private static let live = LiveChildren()

    /// Kills every child process still running (at exit).
    static func killAll() {
        for pid in live.all() { _ = kill(pid, SIGKILL) }
    }

    var pid: Int32 { process.processIdentifier }

    var isRunning: Bool {
        lock.withLock { !exited }
    }

    /// When the process ended (nil while it runs).
    var endedAt: Date? {
        lock.withLock { exitedAt }
    }

    /// How long the process ran (nil while it runs).
    var runningTime: Double? {
        lock.withLock { exitedAt.map { $0.timeIntervalSince(started) } }
    }

    /// Sends a signal (SIGTERM, SIGKILL) unless the process has already ended.
    func signal(_ number: Int32) {
        guard isRunning else { return }
        _ = kill(pid, number)
    }

    /// Waits for the end; false when `timeout` passed first.
    func wait(timeout: Double) async -> Bool {
        let token = UUID()
        return await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let done: Bool = lock.withLock {
                if exited { return true }
                waiters[token] = continuation
                return false
            }
            if done {
                continuation.resume(returning: true)
                return
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [weak self] in
                guard let self else { return }
                let waiting = self.lock.withLock { self.waiters.removeValue(forKey: token) }
                waiting?.resume(returning: false)
            }
        }
    }

    /// Waits until standard output contains `marker`; false when the process ended or `timeout`
    /// passed first. Polls every millisecond, so it can time a kill right after a step is shown.
    func waitForOutput(_ marker: String, timeout: Double) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if stdoutText().contains(marker) { return true }
            if !isRunning { return stdoutText().contains(marker) }
            try? await Task.sleep(for: .milliseconds(1))
        }
        return false
    }

    /// Waits for the end, killing the process (-9) when it takes longer than `timeout`.
    func finish(timeout: Double) async -> ProcessOutcome {
        var timedOut = false
        if !(await wait(timeout: timeout)) {
            timedOut = true
            signal(SIGKILL)
            _ = await wait(timeout: 30)
        }
        return outcome(timedOut: timedOut)
    }

    /// What the process has printed so far.
    func stdoutText() -> String {
        (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? ""
    }

    func stderrText() -> String {
        (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
    }

    private func outcome(timedOut: Bool) -> ProcessOutcome {
        let running = isRunning
        let signalled = !running && process.terminationReason == .uncaughtSignal
        return ProcessOutcome(status: running ? -1 : process.terminationStatus, signalled: signalled,
                              stdout: stdoutText(), stderr: stderrText(), timedOut: timedOut,
                              seconds: Date().timeIntervalSince(started))
    }

    private func markExited() {
        let pid = process.processIdentifier
        let waiting: [CheckedContinuation<Bool, Never>] = lock.withLock {
            Self.live.remove(pid)
            exited = true
            exitedAt = Date()
            let all = Array(waiters.values)
            waiters.removeAll()
            return all
        }
        for continuation in waiting { continuation.resume(returning: true) }
        for handle in lock.withLock({ handles }) { try? handle.close() }
    }
}

/// The process ids of running children.
private final class LiveChildren: @unchecked Sendable {
    private let lock = NSLock()
    private var pids: Set<Int32> = []

    func add(_ pid: Int32) { lock.withLock { _ = pids.insert(pid) } }
    func remove(_ pid: Int32) { lock.withLock { _ = pids.remove(pid) } }
    func all() -> [Int32] { lock.withLock { Array(pids) } }
}

/// A failure of the harness itself, with a message for the test log.
struct HarnessError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
