import Foundation
import GreenMineServer
import GreenMineShared

/// Issue 4's figures: the wall time of `greenmine status` and of a no-op `greenmine sync` on a home
/// holding 1,000 and 100,000 records (the real binaries, each its own process).
enum ClientCommandBenchmark {
    struct Figures {
        var records: Int
        var firstSync: Double
        /// CPU seconds of the first sync: the client's, the server's.
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
        let home = root.appendingPathComponent("home")
        _ = try UploadBenchmark.client(["login", "--server", server.baseURL.absoluteString, "--user", "demo-ent1",
                                        "--password-stdin"], home: home, stdin: password + "\n")
        // GREENMINE_BENCH_PROFILE_FIRST_SYNC="perf record -g -o /tmp/first.perf --" runs the first sync
        // of the largest home under a profiler (its time then includes the profiler's).
        let profiler = ProcessInfo.processInfo.environment["GREENMINE_BENCH_PROFILE_FIRST_SYNC"]
            .map { $0.split(separator: " ").map(String.init) } ?? []
        let cpuBefore = ProcessMemory.cpu(server: server.pid)
        let first = try timed(["sync"], home: home, wrapper: records >= 100_000 ? profiler : [])
        let cpu = ProcessMemory.cpu(since: cpuBefore, server: server.pid)
        let status = median(try (0..<5).map { _ in try timed(["status"], home: home) })
        let sync = median(try (0..<5).map { _ in try timed(["sync"], home: home) })
        return Figures(records: records, firstSync: first, firstSyncCPU: cpu, status: status, noOpSync: sync)
    }
}
