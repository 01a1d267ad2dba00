import Foundation
import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// How long and how many connections the server keeps, and how slow a request may be (docs/DECISIONS.md,
/// "Connections"). Tests pass short values; `serve` takes flags for the ones an operator may change.
public struct ConnectionLimits: Sendable {
    /// A request head must be complete this long after the connection opened, or after its first byte
    /// on a kept connection (slowloris).
    public var headerReadTimeout: TimeAmount
    /// A kept connection with no request in progress is closed after this long.
    public var idleTimeout: TimeAmount
    /// A request body must bring at least this many bytes a second, on average over `bodyRateWindow`…
    public var bodyMinimumRate: Int
    /// …counting only the time the server was waiting for bytes (not the time it was busy writing them).
    public var bodyRateWindow: TimeAmount
    /// A connection on which nothing was read or written for this long is closed, in any phase.
    public var stallTimeout: TimeAmount
    /// Connections from one address; over it the address's oldest idle connection is closed to make room,
    /// and when all of them are in a request the new one is answered 503 and closed.
    public var maxConnectionsPerAddress: Int
    /// Connections in all; nil derives it from the descriptor limit (`RLIMIT_NOFILE`), so accepting never
    /// runs out of descriptors: over it, the oldest idle connection anywhere makes room.
    public var maxConnections: Int?
    /// After an answer to a request whose body will not be read, how long the rest of the body is read
    /// and dropped before the connection is closed (so the peer sees the answer, then EOF, not a reset).
    public var lingerTimeout: TimeAmount

    /// The values `serve` runs with.
    public static let standard = ConnectionLimits()

    /// Limits with the given values; the defaults are those of docs/DECISIONS.md.
    public init(headerReadTimeout: TimeAmount = .seconds(30), idleTimeout: TimeAmount = .seconds(65),
                bodyMinimumRate: Int = 1024, bodyRateWindow: TimeAmount = .seconds(60),
                stallTimeout: TimeAmount = .seconds(120), maxConnectionsPerAddress: Int = 64,
                maxConnections: Int? = nil, lingerTimeout: TimeAmount = .seconds(2)) {
        self.headerReadTimeout = headerReadTimeout
        self.idleTimeout = idleTimeout
        self.bodyMinimumRate = bodyMinimumRate
        self.bodyRateWindow = bodyRateWindow
        self.stallTimeout = stallTimeout
        self.maxConnectionsPerAddress = maxConnectionsPerAddress
        self.maxConnections = maxConnections
        self.lingerTimeout = lingerTimeout
    }

    /// How often a connection's clocks are looked at: an eighth of the shortest limit, within 50 ms…1 s.
    var tick: TimeAmount {
        let shortest = min(headerReadTimeout, idleTimeout, bodyRateWindow)
        return max(.milliseconds(50), min(.seconds(1), .nanoseconds(shortest.nanoseconds / 8)))
    }

    /// The number of ticks in the body rate window.
    var ticksPerWindow: Int {
        max(1, Int((bodyRateWindow.nanoseconds + tick.nanoseconds - 1) / tick.nanoseconds))
    }

    /// The bytes a body must bring per window.
    var bytesPerWindow: Int {
        Int(Double(bodyMinimumRate) * Double(ticksPerWindow) * Double(tick.nanoseconds) / 1e9)
    }

    /// Descriptors kept free for the database, blob files and the event loops.
    static let reservedDescriptors = 64

    /// `maxConnections`, or what the descriptor limit allows: the soft `RLIMIT_NOFILE` less the descriptors
    /// open now and a reserve, at least 16.
    var effectiveMaxConnections: Int {
        if let maxConnections { return max(1, maxConnections) }
        return Self.descriptorBudget()
    }

    /// Connections the process's descriptor limit leaves room for.
    static func descriptorBudget() -> Int {
        var limit = rlimit()
        #if canImport(Glibc)
        let status = getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        #else
        let status = getrlimit(RLIMIT_NOFILE, &limit)
        #endif
        guard status == 0, limit.rlim_cur < rlim_t(Int32.max) else { return 1 << 20 }
        let soft = Int(clamping: limit.rlim_cur)
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 32
        return max(16, soft - open - reservedDescriptors)
    }
}
