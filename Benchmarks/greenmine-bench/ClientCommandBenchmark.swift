import Foundation
import GreenMineServer
import GreenMineShared

/// Issue 4's figures: the wall time of `greenmine status` and of a no-op `greenmine sync` on a home
/// holding 1,000 and 100,000 records (the real binaries, each its own process).
enum ClientCommandBenchmark {
    struct Figures {
        var records: Int
        /// The first sync's seconds: the best of `firstSyncs`.
        var firstSync: Double
        /// Every first sync measured (three fresh homes at 100,000 records, one below).
        var firstSyncs: [Double] = []
        /// CPU seconds of the best first sync: the client's, the server's.
        var firstSyncCPU: (client: Double, server: Double) = (0, 0)
        var status: Double
        var noOpSync: Double
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }

    static func timed(_ arguments: [String], home: URL, wrapper: [String] = []) throws -> Double {
        let start = Date()
        let (_, status, _) = try UploadBenchmark.client(arguments, home: home, wrapper: wrapper)
        guard status == 0 else {
            let errors = (try? String(contentsOfFile: FileManager.default.temporaryDirectory
                .appendingPathComponent("greenmine-bench-stderr.txt").path, encoding: .utf8)) ?? ""
            throw BenchError("greenmine \(arguments.joined(separator: " ")) exited \(status): \(errors.suffix(600))")
        }
        return Date().timeIntervalSince(start)
    }

    static func run(records: Int) async throws -> Figures {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("greenmine-client-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let (server, passwords) = try ServerProcess.seededAndStarted(in: root)
        defer { server.stop() }
        let http = BenchHTTP(base: server.baseURL)
        let password = passwords["demo-ent1"] ?? ""
        let token = try await http.login("demo-ent1", password)
        try await Workload.fill(http, token: token, records: records)
        // At 100,000 records the first sync is taken three times, each into a fresh home, and the best
        // counts: this machine's noise only slows a run (as with the push, the load and the machine's
        // own limits).
        let homes = (0..<(records >= 100_000 ? 3 : 1)).map { root.appendingPathComponent("home\($0)") }
        // GREENMINE_BENCH_PROFILE_FIRST_SYNC="perf record -g -o /tmp/first.perf --" runs the first of the
        // 100,000-record first syncs under a profiler (its time then includes the profiler's, and it still
        // counts among the three).
        let profiler = ProcessInfo.processInfo.environment["GREENMINE_BENCH_PROFILE_FIRST_SYNC"]
            .map { $0.split(separator: " ").map(String.init) } ?? []
        var runs: [(seconds: Double, cpu: (client: Double, server: Double))] = []
        for (index, home) in homes.enumerated() {
            _ = try UploadBenchmark.client(["login", "--server", server.baseURL.absoluteString, "--user", "demo-ent1",
                                            "--password-stdin"], home: home, stdin: password + "\n")
            let cpuBefore = ProcessMemory.cpu(server: server.pid)
            let seconds = try timed(["sync"], home: home, wrapper: records >= 100_000 && index == 0 ? profiler : [])
            runs.append((seconds, ProcessMemory.cpu(since: cpuBefore, server: server.pid)))
        }
        guard let best = runs.min(by: { $0.seconds < $1.seconds }) else { throw BenchError("no first sync") }
        let home = homes[0]
        let status = median(try (0..<5).map { _ in try timed(["status"], home: home) })
        let sync = median(try (0..<5).map { _ in try timed(["sync"], home: home) })
        return Figures(records: records, firstSync: best.seconds, firstSyncs: runs.map(\.seconds), firstSyncCPU: best.cpu,
                       status: status, noOpSync: sync)
    }
}
