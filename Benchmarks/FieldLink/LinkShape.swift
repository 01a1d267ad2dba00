import Foundation

/// How a field link behaves: a rate per direction, a one-way latency and a schedule of outages.
public struct LinkShape: Sendable, CustomStringConvertible {
    /// Client → server rate in bits per second; nil for no limit.
    public var upBitsPerSecond: Double?
    /// Server → client rate in bits per second; nil for no limit.
    public var downBitsPerSecond: Double?
    /// Added to each direction: bytes are delivered this many seconds after they were read
    /// (and after the rate let them through).
    public var latency: Double
    /// Seconds from the start of one outage to the start of the next; nil for a link that never drops.
    public var outageEvery: Double?
    /// Seconds each outage lasts.
    public var outageLength: Double
    /// Seconds from the moment the shape is applied to the first outage.
    public var firstOutageAfter: Double

    /// Makes a shape; every default is "no shaping".
    public init(upBitsPerSecond: Double? = nil, downBitsPerSecond: Double? = nil, latency: Double = 0,
                outageEvery: Double? = nil, outageLength: Double = 0, firstOutageAfter: Double = 0) {
        self.upBitsPerSecond = upBitsPerSecond
        self.downBitsPerSecond = downBitsPerSecond
        self.latency = max(0, latency)
        self.outageEvery = outageEvery
        self.outageLength = max(0, outageLength)
        self.firstOutageAfter = max(0, firstOutageAfter)
    }

    /// A plain forwarding link: no rate limit, no latency, no outages.
    public static let unshaped = LinkShape()

    /// The same rate both ways.
    public static func symmetric(bitsPerSecond: Double, latency: Double = 0, outageEvery: Double? = nil,
                                 outageLength: Double = 0, firstOutageAfter: Double = 0) -> LinkShape {
        LinkShape(upBitsPerSecond: bitsPerSecond, downBitsPerSecond: bitsPerSecond, latency: latency,
                  outageEvery: outageEvery, outageLength: outageLength, firstOutageAfter: firstOutageAfter)
    }

    /// True when the schedule has outages at all.
    var drops: Bool {
        guard let every = outageEvery else { return false }
        return every > 0 && outageLength > 0
    }

    /// Whether the link is down `elapsed` seconds after the shape was applied.
    public func isDown(at elapsed: Double) -> Bool {
        guard drops, let every = outageEvery, elapsed >= firstOutageAfter else { return false }
        let phase = (elapsed - firstOutageAfter).truncatingRemainder(dividingBy: every)
        return phase < outageLength
    }

    /// Seconds the link was down in the first `elapsed` seconds after the shape was applied.
    public func downtime(until elapsed: Double) -> Double {
        guard drops, let every = outageEvery, elapsed > firstOutageAfter else { return 0 }
        let past = elapsed - firstOutageAfter
        let whole = (past / every).rounded(.down)
        let rest = past - whole * every
        return whole * min(outageLength, every) + min(rest, outageLength)
    }

    /// How many outages started in the first `elapsed` seconds.
    public func outages(until elapsed: Double) -> Int {
        guard drops, let every = outageEvery, elapsed >= firstOutageAfter else { return 0 }
        return Int(((elapsed - firstOutageAfter) / every).rounded(.down)) + 1
    }

    /// `256 kbit/s up, 256 kbit/s down, 300 ms, down 20 s every 60 s (first after 30 s)`.
    public var description: String {
        func rate(_ bits: Double?) -> String {
            guard let bits else { return "unlimited" }
            return bits >= 1_000_000 ? String(format: "%g Mbit/s", bits / 1_000_000) : String(format: "%g kbit/s", bits / 1000)
        }
        var text = "\(rate(upBitsPerSecond)) up, \(rate(downBitsPerSecond)) down, \(Int((latency * 1000).rounded())) ms"
        if drops, let every = outageEvery {
            text += String(format: ", down %g s every %g s (first after %g s)", outageLength, every, firstOutageAfter)
        }
        return text
    }
}
