import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A field laptop waits a long time for answers on a slow link: the real `greenmine` must wait
/// without spending the CPU. With URLSession on Linux it woke about a thousand times a second while
/// waiting (0.7 s of CPU per second); six logins at once then starved the server they waited for,
/// and one got no answer within 60 s (docs/DECISIONS.md, "The client's HTTP transport").
struct WaitingClientTests {
    @Test func aClientWaitingForAnAnswerSpendsNoCPU() async throws {
        // A loopback server that takes the request and never answers while the client waits.
        let silent = try LoopbackSink()
        defer { silent.stop() }
        let folder = TestRoot.folder("waiting-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment
        environment["GREENMINE_HOME"] = folder.appendingPathComponent("home").path
        let child = try ChildProcess(
            executable: try Binaries.url(Binaries.client),
            arguments: ["login", "--server", "http://127.0.0.1:\(silent.port)", "--user", "demo-ent1",
                        "--password-stdin"],
            environment: environment, stdin: Data("password\n".utf8),
            outputStem: folder.appendingPathComponent("login"))
        defer { child.signal(SIGKILL) }
        try await Task.sleep(for: .seconds(1))
        let before = try #require(Self.cpuSeconds(child.pid), "the client ended early: \(child.stderrText())")
        try await Task.sleep(for: .seconds(4))
        let after = try #require(Self.cpuSeconds(child.pid), "the client ended early: \(child.stderrText())")
        // Four seconds of waiting: URLSession spent about 3 s of CPU here; waiting should cost next to
        // nothing. The bound is generous (a loaded machine can only lower what a spinning client gets).
        #expect(after - before < 0.5, "the waiting client spent \(after - before) s of CPU in 4 s")
        #expect(child.isRunning, "the client gave up within 5 s: \(child.stderrText())")
    }

    /// User plus system CPU time of a live process, from /proc/PID/stat.
    static func cpuSeconds(_ pid: Int32) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        // Fields after "(comm)": state is the 3rd field of the line, utime the 14th, stime the 15th.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
