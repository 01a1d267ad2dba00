import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GreenMineServer
import GreenMineShared

/// DESIGN.md §7's "3,000 authenticated no-op pulls per second with p99 under 50 ms", measured on the
/// real `greenmine-server` binary as its own process (store of 100,000 records), driven by a light
/// load generator in this process: `connections` threads, each with one keep-alive HTTP/1.1
/// connection on a blocking socket, sending `GET /v1/sync/pull?after=CURSOR&clientId=ID` (as
/// `greenmine` does, since issue 15's second part; before, without `clientId`) with a bearer token
/// and reading each whole answer before the next request. (URLSession in the same process costs more
/// CPU than the server on this 2-core machine, so it measured the load generator as much as the server.)
enum LoadBenchmark {
    struct Figures {
        var perSecond: Double
        var p50: Double
        var p99: Double
        var requests: Int
        var serverPeak: Int
        /// The rate of every round (the figures above are the best round's).
        var rounds: [Double] = []
        /// The same server's floor, when asked for: `GET /healthz` with the same token on as many
        /// connections (routing, the middlewares and HTTP, but no store), every round (none when not asked).
        var floorRounds: [Double] = []
        /// The floor's best round.
        var floor: Double? { floorRounds.max() }
    }

    /// `postgres`: a PostgreSQL server to run the server binary on (a scratch database, dropped after).
    /// `rounds`: the load runs that many times on the same server; the round with the highest rate is
    /// reported (this machine's noise only slows a round). `floor`: then as many rounds of the floor.
    static func run(records: Int, connections: Int, seconds: Double, rounds: Int = 1, postgres: String? = nil,
                    floor: Bool = false) async throws -> Figures {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("greenmine-load-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        var database: String?
        if let postgres { database = try await PostgresDatabase.createScratch(on: postgres, prefix: "greenmine_load") }
        defer {
            if let postgres, let database { Task { try? await PostgresDatabase.dropScratch(database, on: postgres) } }
        }
        let (server, passwords) = try ServerProcess.seededAndStarted(in: root, database: database)
        defer { server.stop() }
        let http = BenchHTTP(base: server.baseURL)
        let token = try await http.login("demo-ent1", passwords["demo-ent1"] ?? "")
        let client = try await Workload.fill(http, token: token, records: records)
        var cursor = ""
        var more = true
        while more {
            let (_, body) = try await http.send("GET", "/v1/sync/pull?limit=5000" + (cursor.isEmpty ? "" : "&after=\(cursor)"),
                                                token: token)
            let page = try WireCoding.decode(PullResponse.self, from: body)
            cursor = page.cursor
            more = page.more
        }
        // As `greenmine sync` asks: with its client id, whose last seq comes back in the answer.
        let request = "GET /v1/sync/pull?after=\(cursor)&clientId=\(client.wireString) HTTP/1.1\r\n"
            + "Host: 127.0.0.1:\(server.port)\r\n"
            + "Authorization: Bearer \(token)\r\nUser-Agent: greenmine-bench\r\n\r\n"
        var all: [(latencies: [Double], elapsed: Double)] = []
        for _ in 0..<max(1, rounds) {
            all.append(try drive(port: server.port, request: Array(request.utf8), connections: connections,
                                 seconds: seconds))
        }
        var floorRounds: [Double] = []
        if floor {
            let healthz = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\n"
                + "Authorization: Bearer \(token)\r\nUser-Agent: greenmine-bench\r\n\r\n"
            for _ in 0..<max(1, rounds) {
                let round = try drive(port: server.port, request: Array(healthz.utf8), connections: connections,
                                      seconds: seconds)
                floorRounds.append(Double(round.latencies.count) / round.elapsed)
            }
        }
        let rates = all.map { Double($0.latencies.count) / $0.elapsed }
        let best = rates.indices.max { rates[$0] < rates[$1] } ?? 0
        let results = all[best]
        let latencies = results.latencies.sorted()
        func percentile(_ p: Double) -> Double {
            latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
        }
        return Figures(perSecond: Double(latencies.count) / results.elapsed, p50: percentile(0.5), p99: percentile(0.99),
                       requests: latencies.count, serverPeak: server.peakMemory, rounds: rates,
                       floorRounds: floorRounds)
    }

    /// Runs the connections for `seconds`; every answer must be a 200 no-op (a body under 200 bytes).
    static func drive(port: Int, request: [UInt8], connections: Int, seconds: Double) throws
        -> (latencies: [Double], elapsed: Double) {
        let collected = Collected()
        let group = DispatchGroup()
        let start = DispatchTime.now().uptimeNanoseconds
        let deadline = start + UInt64(seconds * 1e9)
        for _ in 0..<connections {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                do {
                    let connection = try BenchConnection(port: port)
                    defer { connection.close() }
                    var samples: [Double] = []
                    while DispatchTime.now().uptimeNanoseconds < deadline {
                        let begin = DispatchTime.now().uptimeNanoseconds
                        try connection.send(request)
                        let (status, length) = try connection.readResponse()
                        guard status == 200, length < 200 else {
                            throw BenchError("a loaded request answered \(status) with \(length) bytes, not a short 200")
                        }
                        samples.append(Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e9)
                    }
                    collected.add(samples)
                } catch {
                    collected.fail(error)
                }
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        group.wait()
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if let error = collected.error { throw error }
        return (collected.latencies, elapsed)
    }
}

/// What the load threads measured.
private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var latencies: [Double] = []
    private(set) var error: Error?

    func add(_ samples: [Double]) { lock.withLock { latencies += samples } }
    func fail(_ error: Error) { lock.withLock { self.error = self.error ?? error } }
}
