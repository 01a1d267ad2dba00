import Foundation
import GreenMineShared
import Hummingbird
import Logging
import NIOCore
import Testing
@testable import GreenMineServer
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Issue 11, connections: the real server (`buildApplication` with short `ConnectionLimits`) on a free
/// loopback port, driven through raw sockets. Nothing asserts a duration: each test waits generously
/// (20 s) for what must happen within a second or two.
@Suite(.serialized) struct ConnectionLimitTests {
    /// Short limits for tests; each test changes what it needs.
    static let short = ConnectionLimits(headerReadTimeout: .seconds(1), idleTimeout: .seconds(1), bodyMinimumRate: 1000,
                                        bodyRateWindow: .seconds(3), stallTimeout: .seconds(60),
                                        maxConnectionsPerAddress: 64, lingerTimeout: .seconds(1))

    // MARK: 1. Header-read timeout

    @Test func aRequestHeadSentAByteAtATimeIsCutOff() async throws {
        var limits = Self.short
        limits.headerReadTimeout = .seconds(2)
        let server = try await LimitedServer.start(limits)
        defer { server.stop() }
        // A whole head sent at once is answered.
        let prompt = try TestSocket(port: server.port)
        try prompt.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(try await prompt.readAnswer().status == 200)
        // Slowloris: a byte every 100 ms, never finishing the head, is closed.
        let slow = try TestSocket(port: server.port)
        try slow.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
        let closed = await slow.closesWithin(seconds: 20) { _ in [UInt8(ascii: "a")] }
        #expect(closed, "a head still incomplete after 20 s was not cut off")
    }

    // MARK: 2. Idle keep-alive timeout

    @Test func anIdleKeptConnectionIsClosedButServesRequestsUntilThen() async throws {
        var limits = Self.short
        limits.idleTimeout = .seconds(2)
        let server = try await LimitedServer.start(limits)
        defer { server.stop() }
        let socket = try TestSocket(port: server.port)
        try socket.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(try await socket.readAnswer().status == 200)
        // Kept: a second request on it is answered.
        try socket.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let second = try await socket.readAnswer()
        #expect(second.status == 200)
        #expect(second.headers["connection"] == nil)
        // Then idle: closed.
        #expect(await socket.closesWithin(seconds: 20), "an idle kept connection was still open after 20 s")
    }

    // MARK: 3. Minimum progress of bodies

    /// A login body of `size` bytes: the JSON, then spaces.
    private func loginBody(_ harness: Harness, size: Int) throws -> [UInt8] {
        let password = try #require(harness.passwords["demo-ent1"])
        let json = Array(#"{"username":"demo-ent1","password":"\#(password)"}"#.utf8)
        return json + [UInt8](repeating: UInt8(ascii: " "), count: size - json.count)
    }

    @Test func aBodyBelowTheMinimumRateIsCutOff() async throws {
        let server = try await LimitedServer.start(Self.short)
        defer { server.stop() }
        let body = try loginBody(server.harness, size: 12_000)
        let socket = try TestSocket(port: server.port)
        try socket.send("POST /v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.count)\r\n\r\n")
        // 20 bytes per 100 ms = 200 B/s, a fifth of the minimum: the body would take a minute.
        let closed = await socket.closesWithin(seconds: 20) { index in
            Array(body[min(index * 20, body.count - 20) ..< min(index * 20 + 20, body.count)])
        }
        #expect(closed, "a body at 200 B/s was not cut off (minimum 1000 B/s)")
    }

    /// 64 kbit/s, scaled: 8× the minimum rate (here 500 B/s over 3 s), with a pause of 0.6 s, for
    /// more than one window, is never cut. (The window is long enough that a loaded machine's late
    /// wake-ups — the browser tests run beside this one — do not pass for a slow sender.)
    @Test func aBodyAtEightTimesTheMinimumRateWithAPauseIsReadToTheEnd() async throws {
        var limits = Self.short
        limits.bodyMinimumRate = 500
        limits.bodyRateWindow = .milliseconds(3000)
        let server = try await LimitedServer.start(limits)
        defer { server.stop() }
        let body = try loginBody(server.harness, size: 16_000)
        let socket = try TestSocket(port: server.port)
        try socket.send("POST /v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.count)\r\n\r\n")
        // 400 bytes per 100 ms = 4,000 B/s, for 4 s.
        for (index, start) in stride(from: 0, to: body.count, by: 400).enumerated() {
            try socket.send(Array(body[start ..< min(start + 400, body.count)]))
            try await Task.sleep(for: .milliseconds(index == 15 ? 600 : 100))
        }
        #expect(try await socket.readAnswer().status == 200)
    }

    // MARK: 4. Connections per address and in all

    @Test func overItsCapAnAddressLosesItsOldestIdleConnection() async throws {
        var limits = Self.short
        limits.headerReadTimeout = .seconds(60)
        limits.maxConnectionsPerAddress = 3
        let server = try await LimitedServer.start(limits)
        defer { server.stop() }
        var idle: [TestSocket] = []
        for _ in 0..<3 {
            idle.append(try TestSocket(port: server.port))
            try await Task.sleep(for: .milliseconds(50))
        }
        let fourth = try TestSocket(port: server.port)
        try fourth.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(try await fourth.readAnswer().status == 200)
        #expect(await idle[0].closesWithin(seconds: 20), "the oldest idle connection was kept over the cap")
        #expect(!idle[1].isClosed && !idle[2].isClosed)
    }

    @Test func overItsCapWithEveryConnectionBusyAnAddressIsAnswered503() async throws {
        var limits = Self.short
        limits.bodyRateWindow = .seconds(60)
        limits.maxConnectionsPerAddress = 2
        let server = try await LimitedServer.start(limits)
        defer { server.stop() }
        var busy: [TestSocket] = []
        for _ in 0..<2 {
            let socket = try TestSocket(port: server.port)
            // A body on its way: the connection is in a request.
            try socket.send("POST /v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\n{\"u")
            busy.append(socket)
        }
        try await Task.sleep(for: .seconds(1))
        let third = try TestSocket(port: server.port)
        try third.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let refused = try await third.readAnswer()
        #expect(refused.status == 503)
        #expect(refused.headers["connection"] == "close")
        #expect(await third.closesWithin(seconds: 20))
        // Another address is not held back.
        let other = try TestSocket(port: server.port, from: "127.0.0.2")
        try other.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(try await other.readAnswer().status == 200)
        #expect(!busy[0].isClosed && !busy[1].isClosed)
    }

    /// At the total (what the descriptors allow), a new connection takes the place of the oldest idle one,
    /// so `/healthz` gets in however many idle connections there are.
    @Test func atTheTotalCapTheOldestIdleConnectionMakesRoom() async throws {
        var limits = Self.short
        limits.headerReadTimeout = .seconds(60)
        limits.maxConnections = 3
        let server = try await LimitedServer.start(limits)
        defer { server.stop() }
        var idle: [TestSocket] = []
        for address in ["127.0.0.2", "127.0.0.3", "127.0.0.4"] {
            idle.append(try TestSocket(port: server.port, from: address))
            try await Task.sleep(for: .milliseconds(50))
        }
        let health = try TestSocket(port: server.port)
        try health.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(try await health.readAnswer().status == 200)
        #expect(await idle[0].closesWithin(seconds: 20))
        #expect(!idle[1].isClosed && !idle[2].isClosed)
    }

    // MARK: 6. A refused body: the answer, then EOF

    @Test func aDeclaredBodyOverTheLimitIsAnsweredThenTheConnectionCloses() async throws {
        let server = try await LimitedServer.start(Self.short)
        defer { server.stop() }
        let socket = try TestSocket(port: server.port)
        try socket.send("POST /v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            + "Content-Length: 10000000000\r\n\r\n" + String(repeating: " ", count: 1000))
        let answer = try await socket.readAnswer()
        #expect(answer.status == 413)
        #expect(answer.headers["connection"] == "close")
        #expect(answer.body.contains("payload_too_large"))
        // A clean end: EOF after the answer, not a reset, while the client sends no more.
        #expect(await socket.readsEOF(within: 20))
    }

    @Test func anAnswerToABodyThatWasReadKeepsTheConnection() async throws {
        let server = try await LimitedServer.start(Self.short)
        defer { server.stop() }
        let socket = try TestSocket(port: server.port)
        let body = #"{"username":"demo-ent1","password":"wrong-guess-1"}"#
        try socket.send("POST /v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.utf8.count)\r\n\r\n" + body)
        let refused = try await socket.readAnswer()
        #expect(refused.status == 401)
        #expect(refused.headers["connection"] == nil)
        try socket.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(try await socket.readAnswer().status == 200)
    }

    /// URLSession (libcurl) keeps working across the close: the next requests go on a new connection.
    @Test func urlSessionGoesOnAfterA413() async throws {
        let server = try await LimitedServer.start(Self.short)
        defer { server.stop() }
        let base = try #require(URL(string: "http://127.0.0.1:\(server.port)"))
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        func status(_ request: URLRequest) async throws -> Int {
            let (_, response) = try await session.data(for: request)
            return (response as? HTTPURLResponse)?.statusCode ?? 0
        }
        #expect(try await status(URLRequest(url: base.appendingPathComponent("healthz"))) == 200)
        var big = URLRequest(url: base.appendingPathComponent("v1/auth/login"))
        big.httpMethod = "POST"
        big.setValue("application/json", forHTTPHeaderField: "Content-Type")
        big.httpBody = Data(repeating: UInt8(ascii: " "), count: 64 * 1024)
        #expect(try await status(big) == 413)
        #expect(try await status(URLRequest(url: base.appendingPathComponent("healthz"))) == 200)
        let password = try #require(server.harness.passwords["demo-ent1"])
        var login = URLRequest(url: base.appendingPathComponent("v1/auth/login"))
        login.httpMethod = "POST"
        login.setValue("application/json", forHTTPHeaderField: "Content-Type")
        login.httpBody = Data(#"{"username":"demo-ent1","password":"\#(password)"}"#.utf8)
        #expect(try await status(login) == 200)
    }
}

/// The server of `buildApplication` with given limits, on a free loopback port, over a `Harness`'s services.
struct LimitedServer {
    let port: Int
    let harness: Harness
    private let task: Task<Void, Error>

    static func start(_ limits: ConnectionLimits) async throws -> LimitedServer {
        let harness = try await Harness()
        var logger = Logger(label: "connection-tests")
        logger.logLevel = .critical
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = buildApplication(harness.services, host: "127.0.0.1", port: 0, logger: logger, limits: limits) {
            continuation.yield($0)
        }
        let task = Task { try await app.run() }
        var port = 0
        for await value in ports {
            port = value
            break
        }
        guard port > 0 else {
            task.cancel()
            throw TestSocket.Failure(step: "the server did not start")
        }
        return LimitedServer(port: port, harness: harness, task: task)
    }

    func stop() {
        task.cancel()
    }
}

/// A TCP socket to 127.0.0.1, optionally from another loopback source address. What blocks (reading,
/// waiting for a close) runs on a thread of its own, off Swift's cooperative pool, where the server under
/// test runs its handlers.
final class TestSocket: @unchecked Sendable {
    struct Failure: Error {
        var step: String
    }

    /// An HTTP answer as read.
    struct Answer {
        var status: Int
        /// Header names in lower case.
        var headers: [String: String]
        var body: String
    }

    let fd: Int32

    init(port: Int, from source: String? = nil) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(step: "socket") }
        func address(_ host: String, _ port: Int) -> sockaddr_in {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr = in_addr(s_addr: inet_addr(host))
            return address
        }
        func withSockaddr<T>(_ address: sockaddr_in, _ body: (UnsafePointer<sockaddr>) -> T) -> T {
            var address = address
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0) }
            }
        }
        if let source {
            let bound = withSockaddr(address(source, 0)) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            guard bound == 0 else {
                close(fd)
                throw Failure(step: "bind \(source)")
            }
        }
        let connected = withSockaddr(address("127.0.0.1", port)) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
        guard connected == 0 else {
            close(fd)
            throw Failure(step: "connect")
        }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit {
        close(fd)
    }

    func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) throws {
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw Failure(step: "send") }
            written += count
        }
    }

    /// Runs blocking work on a thread of its own.
    private func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }

    /// Reads one answer: the head, then `Content-Length` bytes of body.
    func readAnswer() async throws -> Answer {
        try await offPool { try self.readAnswerNow() }
    }

    private func readAnswerNow() throws -> Answer {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        func more() throws {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { throw Failure(step: "recv (\(String(decoding: received, as: UTF8.self)))") }
            received += buffer[0..<count]
        }
        let separator = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        while headEnd == nil {
            try more()
            headEnd = received.indices.dropLast(3).first { Array(received[$0 ..< $0 + 4]) == separator }
        }
        let bodyStart = (headEnd ?? 0) + 4
        let lines = String(decoding: received[..<bodyStart], as: UTF8.self).components(separatedBy: "\r\n")
        let status = lines.first.flatMap { $0.split(separator: " ").dropFirst().first }.flatMap { Int($0) } ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = headers["content-length"].flatMap { Int($0) } ?? 0
        while received.count - bodyStart < length { try more() }
        let body = String(decoding: received[bodyStart ..< bodyStart + length], as: UTF8.self)
        // Keep anything after the answer out of the way: tests read one answer at a time.
        return Answer(status: status, headers: headers, body: body)
    }

    /// Whether the peer closed (EOF or reset) within `seconds`, sending `next(i)` every 100 ms meanwhile.
    func closesWithin(seconds: Double, sending next: (@Sendable (Int) -> [UInt8])? = nil) async -> Bool {
        (try? await offPool { self.closesWithinNow(seconds: seconds, sending: next) }) ?? false
    }

    private func closesWithinNow(seconds: Double, sending next: (@Sendable (Int) -> [UInt8])?) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        var index = 0
        while Date() < end {
            if let next {
                let bytes = next(index)
                index += 1
                let count = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if count < 0 { return true }
            }
            if isClosed(waitingMilliseconds: 100) { return true }
        }
        return false
    }

    /// Whether the next read is EOF (not a reset, not data) within `seconds`.
    func readsEOF(within seconds: Int32) async -> Bool {
        (try? await offPool { self.readsEOFNow(within: seconds) }) ?? false
    }

    private func readsEOFNow(within seconds: Int32) -> Bool {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, seconds * 1000) == 1 else { return false }
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, 0) == 0
    }

    /// Whether the peer has closed (a read would return EOF or fail), looking without waiting.
    var isClosed: Bool { isClosed(waitingMilliseconds: 0) }

    private func isClosed(waitingMilliseconds: Int32) -> Bool {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, waitingMilliseconds) == 1 else { return false }
        if descriptor.revents & Int16(POLLHUP | POLLERR) != 0 { return true }
        var byte: UInt8 = 0
        let count = recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
        return count <= 0
    }
}
