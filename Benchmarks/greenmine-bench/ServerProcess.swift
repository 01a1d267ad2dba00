import Foundation

/// The real `greenmine-server` binary as a separate process, so its memory can be measured apart.
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    let data: URL
    private(set) var port = 0
    private let output = Pipe()

    /// The binary beside this benchmark's own (same build products folder).
    static func binary(_ name: String) throws -> URL {
        let own = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let url = own.deletingLastPathComponent().appendingPathComponent(name)
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw BenchError("\(url.path) is missing: build it with `swift build -c release --product \(name)` first")
        }
        return url
    }

    /// `database`: a PostgreSQL database URL (`--database`); nil for the data folder's SQLite file.
    init(data: URL, database: String? = nil) throws {
        self.data = data
        process.executableURL = try Self.binary("greenmine-server")
        process.arguments = ["serve", "--data", data.path, "--port", "0", "--log-level", "warning"]
            + (database.map { ["--database", $0] } ?? [])
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
    }

    /// Seeds the demo data and returns the accounts' passwords by username.
    static func seed(data: URL, database: String? = nil) throws -> [String: String] {
        let seeder = Process()
        seeder.executableURL = try binary("greenmine-server")
        seeder.arguments = ["seed-demo", "--data", data.path, "--json"] + (database.map { ["--database", $0] } ?? [])
        let pipe = Pipe()
        seeder.standardOutput = pipe
        try seeder.run()
        let json = pipe.fileHandleForReading.readDataToEndOfFile()
        seeder.waitUntilExit()
        guard let accounts = try JSONSerialization.jsonObject(with: json) as? [[String: Any]] else {
            throw BenchError("seed-demo printed no accounts")
        }
        var passwords: [String: String] = [:]
        for account in accounts {
            if let name = account["username"] as? String, let password = account["password"] as? String {
                passwords[name] = password
            }
        }
        return passwords
    }

    /// A server on a freshly seeded data folder under `root`, started; with the demo passwords.
    static func seededAndStarted(in root: URL, database: String? = nil)
        throws -> (server: ServerProcess, passwords: [String: String]) {
        let data = root.appendingPathComponent("server")
        let passwords = try seed(data: data, database: database)
        let server = try ServerProcess(data: data, database: database)
        try server.start()
        return (server, passwords)
    }

    /// Starts and waits for the "listening on" line.
    func start() throws {
        try process.run()
        var buffer = Data()
        let handle = output.fileHandleForReading
        while port == 0 {
            let chunk = handle.availableData
            if chunk.isEmpty { throw BenchError("greenmine-server exited before listening") }
            buffer.append(chunk)
            let text = String(decoding: buffer, as: UTF8.self)
            if let range = text.range(of: "listening on http://127.0.0.1:") {
                let digits = text[range.upperBound...].prefix { $0.isNumber }
                port = Int(digits) ?? 0
            }
        }
        // Keep reading what it prints, so a long run never blocks the server on a full pipe.
        Thread.detachNewThread {
            while !handle.availableData.isEmpty {}
        }
    }

    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)") ?? URL(fileURLWithPath: "/") }

    /// Peak resident memory so far (VmHWM), in bytes.
    var peakMemory: Int { ProcessMemory.peak(pid: process.processIdentifier) }
    var pid: Int32 { process.processIdentifier }

    /// Starts a new peak from here (see `ProcessMemory.resetPeak`).
    @discardableResult
    func resetPeakMemory() -> Bool { ProcessMemory.resetPeak(pid: process.processIdentifier) }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}

/// Reads peak resident set sizes from /proc.
enum ProcessMemory {
    /// VmHWM of a process, in bytes (0 when unreadable).
    static func peak(pid: Int32) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
        let kilobytes = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
        return kilobytes * 1024
    }

    /// RssAnon of a process, in bytes: its private memory (heap, stacks), without the pages of the binary
    /// and the libraries it maps from disk (shared, and the same whatever it does).
    static func anonymous(pid: Int32) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("RssAnon:") }) else { return 0 }
        return (line.split(separator: " ").compactMap { Int($0) }.first ?? 0) * 1024
    }

    /// CPU seconds (user + system) a process has used so far, from /proc (0 when unreadable).
    static func cpuSeconds(pid: Int32) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return 0 }
        // After "pid (comm)": state is field 3; utime and stime are fields 14 and 15.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// CPU seconds so far of this process's waited-for children (the `greenmine` or curl runs) and of a
    /// server; subtract two of them for what happened between.
    static func cpu(server pid: Int32) -> (client: Double, server: Double) {
        (childrenCPUSeconds(), cpuSeconds(pid: pid))
    }

    /// CPU seconds used between two `cpu(server:)` readings.
    static func cpu(since before: (client: Double, server: Double), server pid: Int32) -> (client: Double, server: Double) {
        let now = cpu(server: pid)
        return (now.client - before.client, now.server - before.server)
    }

    /// CPU seconds the waited-for children of this process have used (getrusage RUSAGE_CHILDREN).
    static func childrenCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// Resets this process's peak (Linux: writing 5 to clear_refs).
    static func resetOwnPeak() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }

    /// Resets another process's peak, so VmHWM afterwards is the peak of what it does from now on;
    /// false when not permitted.
    @discardableResult
    static func resetPeak(pid: Int32) -> Bool {
        (try? "5".write(toFile: "/proc/\(pid)/clear_refs", atomically: false, encoding: .utf8)) != nil
    }
}

/// Samples a process's private memory (RssAnon) every 10 ms on its own thread and keeps the largest;
/// Linux keeps no high-water mark of it.
final class AnonymousPeak: @unchecked Sendable {
    private let lock = NSLock()
    private var largest = 0
    private var running = true
    private let thread: Thread

    init(pid: Int32) {
        let box = Box()
        thread = Thread {
            while let peak = box.owner, peak.isRunning {
                peak.note(ProcessMemory.anonymous(pid: pid))
                usleep(10_000)
            }
        }
        box.owner = self
        thread.start()
    }

    private final class Box: @unchecked Sendable { weak var owner: AnonymousPeak? }

    private var isRunning: Bool { lock.withLock { running } }
    private func note(_ value: Int) { lock.withLock { largest = max(largest, value) } }

    /// Stops sampling; the largest value seen.
    func stop() -> Int {
        lock.withLock {
            running = false
            return largest
        }
    }
}
