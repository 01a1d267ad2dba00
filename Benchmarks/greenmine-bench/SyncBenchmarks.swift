import Foundation
import GRDB
import GreenMineClient
import GreenMineServer
import GreenMineShared

/// The sync benchmarks of DESIGN.md §7, over loopback HTTP against a real server in this process.
enum SyncBenchmarks {
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Push 10,000 queued mutations in batches, as `greenmine sync` does (its `APIClient` writes requests
    /// with `FastJSON` and reads answers with `FastJSONReader`).
    static func push(mutations: Int, batch: Int, postgres: String? = nil) async throws -> Double {
        try await pushCounted(mutations: mutations, batch: batch, postgres: postgres).perSecond
    }

    /// Rows in every table of a SQLite file (read through its own connection).
    static func rowCount(_ path: String) throws -> Int {
        let queue = try DatabaseQueue(path: path)
        return try queue.read { db in
            let tables = try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                """)
            return try tables.reduce(0) { sum, table in
                sum + (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \"\(table)\"") ?? 0)
            }
        }
    }

    /// The push, and on SQLite how many rows the server wrote per mutation (every table counted before
    /// and after), for the ratio to the machine's row rate.
    static func pushCounted(mutations: Int, batch: Int, postgres: String? = nil)
        async throws -> (perSecond: Double, rowsPerMutation: Double?) {
        let server = try await BenchServer.start(name: "push", postgres: postgres)
        defer { server.stop() }
        defer { Task { await server.dropDatabase() } }
        let token = try await server.http.login("demo-ent1", try server.password("demo-ent1"))
        let file = server.directory.appendingPathComponent("greenmine.sqlite").path
        let rowsBefore = postgres == nil ? try rowCount(file) : 0
        let all = Workload.creates(count: mutations)
        let client = UUID()
        let clock = ContinuousClock()
        let elapsed = try await clock.measure {
            for mutations in Workload.batches(all, of: batch) {
                let body = FastJSON.encode(PushRequest(clientId: client, mutations: mutations))
                let (status, data) = try await server.http.send("POST", "/v1/sync/push", token: token, body: body)
                guard status == 200 else { throw BenchError("push \(status): \(String(decoding: data.prefix(300), as: UTF8.self))") }
                let response = try WireCoding.decodeFast(PushResponse.self, from: data)
                guard response.results.allSatisfy({ $0.status == .applied }) else { throw BenchError("not all applied") }
            }
        }
        let rows = postgres == nil ? Double(try rowCount(file) - rowsBefore) / Double(mutations) : nil
        return (Double(mutations) / seconds(elapsed), rows)
    }

    /// The same push through `greenmine`'s own `APIClient` and transport (AsyncHTTPClient; bodies of 1 KiB
    /// or more gzip-compressed, answers too; a new connection per request with a body).
    static func pushAsClient(mutations: Int, batch: Int) async throws -> Double {
        let server = try await BenchServer.start(name: "push-client")
        defer { server.stop() }
        let token = try await server.http.login("demo-ent1", try server.password("demo-ent1"))
        let api = APIClient(transport: HTTPClientTransport(baseURL: server.http.base), token: token)
        let all = Workload.creates(count: mutations)
        let client = UUID()
        let clock = ContinuousClock()
        let elapsed = try await clock.measure {
            for mutations in Workload.batches(all, of: batch) {
                let response = try await api.push(PushRequest(clientId: client, mutations: mutations))
                guard response.results.allSatisfy({ $0.status == .applied }) else { throw BenchError("not all applied") }
            }
        }
        return Double(mutations) / seconds(elapsed)
    }

    /// The same push over one keep-alive socket of the bench's own (`BenchConnection`, on a thread of its
    /// own), without URLSession: what the server can take when the client costs next to nothing. On this
    /// 2-core machine URLSession's socket events (a dispatch source per 16 KB read, each waking the
    /// dispatch manager) took about a third of the CPU during the URLSession push, beside the server.
    static func pushOverSocket(mutations: Int, batch: Int) async throws -> (perSecond: Double, rowsPerMutation: Double) {
        let server = try await BenchServer.start(name: "push-socket")
        defer { server.stop() }
        let token = try await server.http.login("demo-ent1", try server.password("demo-ent1"))
        let file = server.directory.appendingPathComponent("greenmine.sqlite").path
        let rowsBefore = try rowCount(file)
        let all = Workload.creates(count: mutations)
        let client = UUID()
        let bodies = Workload.batches(all, of: batch).map {
            FastJSON.encode(PushRequest(clientId: client, mutations: $0))
        }
        let port = server.http.base.port ?? 0
        let elapsed = try await onOwnThread {
            let connection = try BenchConnection(port: port)
            defer { connection.close() }
            connection.keepBody = true
            let start = DispatchTime.now().uptimeNanoseconds
            for body in bodies {
                let head = "POST /v1/sync/push HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Authorization: Bearer \(token)\r\nContent-Length: \(body.count)\r\n\r\n"
                try connection.send(Array(head.utf8) + Array(body))
                let (status, _) = try connection.readResponse()
                guard status == 200 else {
                    throw BenchError("push \(status): \(String(decoding: connection.lastBody.prefix(300), as: UTF8.self))")
                }
                let response = try WireCoding.decodeFast(PushResponse.self, from: Data(connection.lastBody))
                guard response.results.allSatisfy({ $0.status == .applied }) else { throw BenchError("not all applied") }
            }
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        return (Double(mutations) / elapsed, Double(try rowCount(file) - rowsBefore) / Double(mutations))
    }

    /// Runs blocking work on a thread of its own, off Swift's cooperative pool (which the server uses).
    static func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try work() }) }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// Pull everything from an empty cursor, decoding every page as the client does (`decodeFast`).
    static func initialPull(server: BenchServer, token: String, expected: Int, limit: Int) async throws -> Double {
        let clock = ContinuousClock()
        var count = 0
        let elapsed = try await clock.measure {
            var cursor = ""
            var more = true
            while more {
                let (status, data) = try await server.http.send(
                    "GET", "/v1/sync/pull?limit=\(limit)" + (cursor.isEmpty ? "" : "&after=\(cursor)"), token: token)
                guard status == 200 else { throw BenchError("pull \(status)") }
                let page = try WireCoding.decodeFast(PullResponse.self, from: data)
                count += page.records.count
                cursor = page.cursor
                more = page.more
            }
        }
        guard count == expected else { throw BenchError("pulled \(count), expected \(expected)") }
        return Double(count) / seconds(elapsed)
    }

    /// The cursor after everything: what a client that is up to date sends.
    static func latestCursor(server: BenchServer, token: String) async throws -> String {
        var cursor = ""
        var more = true
        while more {
            let (_, data) = try await server.http.send(
                "GET", "/v1/sync/pull?limit=5000" + (cursor.isEmpty ? "" : "&after=\(cursor)"), token: token)
            let page = try WireCoding.decode(PullResponse.self, from: data)
            cursor = page.cursor
            more = page.more
        }
        return cursor
    }

    /// Mean seconds of one no-op pull (nothing changed since the cursor), over `rounds` sequential requests.
    static func noOpPull(server: BenchServer, token: String, cursor: String, rounds: Int) async throws -> Double {
        let clock = ContinuousClock()
        for _ in 0..<50 { _ = try await server.http.send("GET", "/v1/sync/pull?after=\(cursor)", token: token) }
        let elapsed = try await clock.measure {
            for _ in 0..<rounds {
                let (status, data) = try await server.http.send("GET", "/v1/sync/pull?after=\(cursor)", token: token)
                guard status == 200, data.count < 200 else { throw BenchError("no-op pull returned \(status), \(data.count) bytes") }
            }
        }
        return seconds(elapsed) / Double(rounds)
    }
}

extension SyncBenchmarks {
    /// Where push time goes: encoding, the service alone, decoding, each with the coding the client and
    /// the server use (`FastJSON`, `FastJSONReader`).
    static func pushBreakdown(mutations: Int) async throws -> [(String, Double)] {
        let server = try await BenchServer.start(name: "breakdown")
        defer { server.stop() }
        let login = try await server.services.auth.login(username: "demo-ent1", password: try server.password("demo-ent1"),
                                                         address: "bench")
        let user = try await server.services.auth.authenticate(token: login.token)
        let all = Workload.creates(count: mutations)
        let clock = ContinuousClock()
        var body = Data()
        let encode = clock.measure { body = FastJSON.encode(PushRequest(clientId: UUID(), mutations: all)) }
        var request: PushRequest?
        let decode = try clock.measure { request = try FastJSONReader.decode(PushRequest.self, from: body) }
        guard let request else { throw BenchError("no request") }
        var response: PushResponse?
        let service = try await clock.measure { response = try await server.services.sync.push(request, user: user) }
        guard let response else { throw BenchError("no response") }
        // More batches, for a profiler to see the service rather than the setup.
        let client = UUID()
        let batches = (0..<20).map { Workload.creates(count: 500, startingAt: $0 * 500 + 1) }
        let growing = try await clock.measure {
            for batch in batches {
                let pushed = try await server.services.sync.push(PushRequest(clientId: client, mutations: batch), user: user)
                guard pushed.results.allSatisfy({ $0.status == .applied }) else { throw BenchError("not all applied") }
            }
        }
        var out = Data()
        let encodeResponse = clock.measure {
            var writer = FastJSON(capacity: 64 * 1024)
            writer.pushResponse(response)
            out = Data(writer.bytes)
        }
        let decodeResponse = try clock.measure { _ = try FastJSONReader.decode(PushResponse.self, from: out) }
        return [("encode request, 1,000 mutations", seconds(encode)), ("decode request, 1,000 mutations", seconds(decode)),
                ("service, 1,000 mutations", seconds(service)),
                ("service, 10,000 in batches of 500, growing store", seconds(growing) / 10),
                ("encode response, 1,000 mutations", seconds(encodeResponse)),
                ("decode response, 1,000 mutations", seconds(decodeResponse))]
    }
}
