import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What crossed one connection of the link.
public struct ConnectionFigures: Sendable {
    /// 1 for the first connection since the counters were reset.
    public var number: Int
    /// Client → server bytes delivered.
    public var bytesUp: Int
    /// Server → client bytes delivered.
    public var bytesDown: Int
    /// True when an outage cut it.
    public var cutByOutage: Bool
    /// True while it is open.
    public var open: Bool
}

/// The link's counters: bytes that crossed it (read from one side and delivered to the other).
public struct LinkStatistics: Sendable {
    /// Client → server bytes delivered.
    public var bytesUp = 0
    /// Server → client bytes delivered.
    public var bytesDown = 0
    /// Connections forwarded (not those refused during an outage).
    public var connections = 0
    /// Connections accepted and closed at once because the link was down.
    public var refused = 0
    /// Connections an outage cut.
    public var cut = 0
    /// Outages begun since the shape was applied.
    public var outages = 0
    /// Seconds since the shape was applied.
    public var seconds = 0.0
    /// Of those, seconds the link was up.
    public var secondsUp = 0.0
    /// Each connection since the counters were reset.
    public var perConnection: [ConnectionFigures] = []

    /// Bytes both ways.
    public var bytes: Int { bytesUp + bytesDown }
}

/// A loopback TCP proxy that behaves like a field link: it listens on 127.0.0.1, forwards to an
/// upstream loopback port, limits each direction's rate (one shared line per direction, in small
/// slices), delays each direction by the latency, and drops the link on a schedule — every open
/// connection is cut when an outage starts, and connections made during one are closed at once.
public final class FieldLinkProxy: @unchecked Sendable {
    /// The port the proxy listens on (127.0.0.1).
    public let port: Int
    /// The port it forwards to (127.0.0.1).
    public let upstreamPort: Int

    private let listener: Int32
    private let lock = NSLock()
    private var shape: LinkShape
    private var shapedSince: Double
    private var lineFree: [Double] = [0, 0]
    private var counters = LinkStatistics()
    private var figures: [Int: ConnectionFigures] = [:]
    private var open: [Int: Connection] = [:]
    private var nextNumber = 1
    private var stopped = false
    private var threadCount = 0
    private let stopSignal = NSCondition()

    /// Listens on a free loopback port and starts forwarding to `upstreamPort` with `shape`.
    public init(upstreamPort: Int, shape: LinkShape = .unshaped) throws {
        self.upstreamPort = upstreamPort
        self.shape = shape
        shapedSince = Clock.now
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw FieldLinkError("proxy: socket() failed, errno \(errno)") }
        var yes: Int32 = 1
        setsockopt(socketFD, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(socketFD, 64) == 0 else {
            close(socketFD)
            throw FieldLinkError("proxy: cannot listen on 127.0.0.1, errno \(errno)")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) }
        }
        listener = socketFD
        port = Int(UInt16(bigEndian: actual.sin_port))
        spawn { self.acceptLoop() }
        spawn { self.outageLoop() }
    }

    /// `http://127.0.0.1:PORT`.
    public var url: URL {
        URL(string: "http://127.0.0.1:\(port)") ?? URL(fileURLWithPath: "/")
    }

    /// Changes the link's shape from now on: the outage schedule and the up-time start again here,
    /// and the counters are reset.
    public func apply(_ shape: LinkShape) {
        lock.withLock {
            self.shape = shape
            shapedSince = Clock.now
            lineFree = [0, 0]
        }
        resetCounters()
    }

    /// The shape in force.
    public var currentShape: LinkShape { lock.withLock { shape } }

    /// Zeroes the byte and connection counters (the outage schedule goes on).
    public func resetCounters() {
        lock.withLock {
            let outages = counters.outages
            counters = LinkStatistics()
            counters.outages = outages
            figures = figures.filter { open[$0.key] != nil }
            for key in figures.keys {
                figures[key]?.bytesUp = 0
                figures[key]?.bytesDown = 0
            }
        }
    }

    /// A snapshot of the counters.
    public var statistics: LinkStatistics {
        lock.withLock {
            var result = counters
            let elapsed = Clock.now - shapedSince
            result.seconds = elapsed
            result.secondsUp = elapsed - shape.downtime(until: elapsed)
            result.outages = shape.outages(until: elapsed)
            result.perConnection = figures.values.sorted { $0.number < $1.number }
            return result
        }
    }

    /// True while the schedule has the link down.
    public var isDown: Bool {
        lock.withLock { shape.isDown(at: Clock.now - shapedSince) }
    }

    /// Threads of the proxy still running (0 after `stop`).
    public var liveThreads: Int { lock.withLock { threadCount } }

    /// Stops accepting, cuts every connection and waits (up to 10 s) for every thread to end; every
    /// socket is closed afterwards. Returns false when some thread did not end in time.
    @discardableResult
    public func stop() -> Bool {
        let already = lock.withLock { () -> Bool in
            defer { stopped = true }
            return stopped
        }
        if already { return liveThreads == 0 }
        shutdown(listener, Int32(SHUT_RDWR))
        stopSignal.lock()
        stopSignal.broadcast()
        stopSignal.unlock()
        cutAll(byOutage: false)
        let deadline = Clock.now + 10
        while liveThreads > 0, Clock.now < deadline {
            cutAll(byOutage: false)
            usleep(10_000)
        }
        close(listener)
        return liveThreads == 0
    }

    deinit {
        stop()
    }

    // MARK: - Threads

    private func spawn(_ body: @escaping @Sendable () -> Void) {
        lock.withLock { threadCount += 1 }
        Thread.detachNewThread { [self] in
            body()
            lock.withLock { threadCount -= 1 }
        }
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR, !isStopped { continue }
                return
            }
            if isStopped {
                close(client)
                return
            }
            if isDown {
                refuse(client)
                continue
            }
            let shaped = lock.withLock { shape.upBitsPerSecond != nil || shape.downBitsPerSecond != nil }
            let server = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            if shaped {
                // Small kernel buffers on the proxy's side, so bytes wait at the sender, not inside the link.
                Self.setBuffers(client, 32 * 1024)
                Self.setBuffers(server, 32 * 1024)
            }
            var target = Self.loopback(port: upstreamPort)
            var connected = false
            if server >= 0 {
                let result = withUnsafePointer(to: &target) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(server, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
                }
                connected = result == 0
            }
            guard connected else {
                if server >= 0 { close(server) }
                refuse(client)
                continue
            }
            let connection: Connection? = lock.withLock {
                if stopped { return nil }
                let number = nextNumber
                nextNumber += 1
                let connection = Connection(number: number, client: client, server: server)
                open[number] = connection
                figures[number] = ConnectionFigures(number: number, bytesUp: 0, bytesDown: 0, cutByOutage: false, open: true)
                counters.connections += 1
                return connection
            }
            guard let connection else {
                close(client)
                close(server)
                return
            }
            spawn { self.pump(connection, up: true) }
            spawn { self.pump(connection, up: false) }
        }
    }

    /// Closes a connection at once with a reset, as a link that is down would. Counted before the close,
    /// so whoever sees the reset also sees the count (a loaded machine once read it in between).
    private func refuse(_ socketFD: Int32) {
        lock.withLock { counters.refused += 1 }
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(socketFD, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        close(socketFD)
    }

    /// Cuts every open connection when an outage starts.
    private func outageLoop() {
        var wasDown = false
        while !isStopped {
            let down = isDown
            if down, !wasDown { cutAll(byOutage: true) }
            wasDown = down
            stopSignal.lock()
            if !isStopped { _ = stopSignal.wait(until: Date(timeIntervalSinceNow: 0.02)) }
            stopSignal.unlock()
        }
    }

    private func cutAll(byOutage: Bool) {
        lock.withLock {
            for (number, connection) in open where !connection.cut {
                connection.cut = true
                if byOutage {
                    figures[number]?.cutByOutage = true
                    counters.cut += 1
                }
                shutdown(connection.client, Int32(SHUT_RDWR))
                shutdown(connection.server, Int32(SHUT_RDWR))
                connection.queues[0].cutNow()
                connection.queues[1].cutNow()
            }
        }
    }

    // MARK: - One direction of one connection

    /// Reads slices from one side, passes each through the direction's rate limit, and delivers it to
    /// the other side after the latency (through the direction's delay queue when there is one).
    private func pump(_ connection: Connection, up: Bool) {
        let direction = up ? 0 : 1
        let source = up ? connection.client : connection.server
        let target = up ? connection.server : connection.client
        let latency = lock.withLock { shape.latency }
        let queue = connection.queues[direction]
        if latency > 0 {
            spawn { self.deliver(connection, queue: queue, to: target, direction: direction) }
        }
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        var failed = false
        while !connection.isCut(lock) {
            let slice = sliceSize(direction)
            let count = buffer.withUnsafeMutableBytes { recv(source, $0.baseAddress, slice, 0) }
            if count < 0, errno == EINTR { continue }
            if count <= 0 {
                failed = count < 0
                break
            }
            let sent = waitForLine(direction, bytes: count, connection: connection)
            if connection.isCut(lock) { break }
            if latency > 0 {
                if !queue.push(at: sent + latency, Array(buffer[0..<count])) { break }
            } else if !write(buffer, count: count, to: target, direction: direction, connection: connection) {
                failed = true
                break
            }
        }
        if latency > 0 {
            if failed {
                lock.withLock {
                    shutdown(connection.client, Int32(SHUT_RDWR))
                    shutdown(connection.server, Int32(SHUT_RDWR))
                }
            }
            queue.finish()
        } else {
            endDirection(connection, target: target, failed: failed)
        }
    }

    /// The writer of a direction with latency: delivers each slice at its time.
    private func deliver(_ connection: Connection, queue: DelayQueue, to target: Int32, direction: Int) {
        var failed = false
        while let bytes = queue.next() {
            if !write(bytes, count: bytes.count, to: target, direction: direction, connection: connection) {
                failed = true
                queue.cutNow()
                break
            }
        }
        endDirection(connection, target: target, failed: failed)
    }

    /// A direction ended: pass the end on (half-close), or on a failure or a cut close both sides;
    /// the second direction to end closes the sockets.
    private func endDirection(_ connection: Connection, target: Int32, failed: Bool) {
        let last: Bool = lock.withLock {
            if failed || connection.cut {
                shutdown(connection.client, Int32(SHUT_RDWR))
                shutdown(connection.server, Int32(SHUT_RDWR))
                connection.queues[0].cutNow()
                connection.queues[1].cutNow()
            } else {
                shutdown(target, Int32(SHUT_WR))
            }
            connection.ended += 1
            guard connection.ended == 2 else { return false }
            open[connection.number] = nil
            figures[connection.number]?.open = false
            return true
        }
        if last {
            close(connection.client)
            close(connection.server)
        }
    }

    /// Slice size: about 50 ms of the direction's rate, 1–4 KiB; large when the rate is not limited.
    private func sliceSize(_ direction: Int) -> Int {
        let rate = lock.withLock { direction == 0 ? shape.upBitsPerSecond : shape.downBitsPerSecond }
        guard let rate, rate > 0 else { return 256 * 1024 }
        return min(4096, max(1024, Int(rate / 8 * 0.05)))
    }

    /// Takes the direction's line for `bytes` (one line per direction, shared by all connections) and
    /// waits until they have gone through it; returns that time.
    private func waitForLine(_ direction: Int, bytes: Int, connection: Connection) -> Double {
        let end: Double? = lock.withLock {
            guard let rate = direction == 0 ? shape.upBitsPerSecond : shape.downBitsPerSecond, rate > 0 else { return nil }
            let start = max(Clock.now, lineFree[direction])
            lineFree[direction] = start + Double(bytes * 8) / rate
            return lineFree[direction]
        }
        guard let end else { return Clock.now }
        Clock.sleep(until: end) { connection.isCut(lock) }
        return end
    }

    /// Writes every byte; counts what was delivered. False when the target failed.
    private func write(_ buffer: [UInt8], count: Int, to target: Int32, direction: Int, connection: Connection) -> Bool {
        var written = 0
        while written < count {
            let result = buffer.withUnsafeBytes { bytes -> Int in
                guard let base = bytes.baseAddress else { return -1 }
                return send(target, base + written, count - written, Int32(MSG_NOSIGNAL))
            }
            if result < 0, errno == EINTR { continue }
            if result <= 0 { break }
            written += result
        }
        lock.withLock {
            if direction == 0 {
                counters.bytesUp += written
                figures[connection.number]?.bytesUp += written
            } else {
                counters.bytesDown += written
                figures[connection.number]?.bytesDown += written
            }
        }
        return written == count
    }

    private static func setBuffers(_ socketFD: Int32, _ size: Int32) {
        var value = size
        setsockopt(socketFD, SOL_SOCKET, SO_RCVBUF, &value, socklen_t(MemoryLayout<Int32>.size))
        setsockopt(socketFD, SOL_SOCKET, SO_SNDBUF, &value, socklen_t(MemoryLayout<Int32>.size))
    }

    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(clamping: port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}

/// One forwarded connection: its two sockets and the delay queue of each direction.
private final class Connection: @unchecked Sendable {
    let number: Int
    let client: Int32
    let server: Int32
    /// Client → server, server → client.
    let queues = [DelayQueue(limit: 4 << 20), DelayQueue(limit: 4 << 20)]
    /// Guarded by the proxy's lock.
    var cut = false
    /// Directions that have ended (guarded by the proxy's lock).
    var ended = 0

    init(number: Int, client: Int32, server: Int32) {
        self.number = number
        self.client = client
        self.server = server
    }

    func isCut(_ lock: NSLock) -> Bool { lock.withLock { cut } }
}

/// A failure of the field-link proxy.
public struct FieldLinkError: Error, CustomStringConvertible {
    /// What went wrong.
    public var description: String

    /// Makes an error.
    public init(_ description: String) {
        self.description = description
    }
}
