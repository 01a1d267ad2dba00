import Foundation

/// What one sync has learnt of its link: the throughput of what the server acknowledged, and
/// whether the server answered at all. Request sizes follow from it (docs/DECISIONS.md, "Field
/// links"): an upload request should take about `requestSeconds`, small on a radio link and up to
/// the environment's largest chunk on a fast one; pull pages and push batches shrink likewise.
public final class LinkMeter: @unchecked Sendable {
    private let lock = NSLock()
    private var rate: Double?
    private var answered = false
    private var lastChunk: Int?
    private var recordsPerSecond: Double?
    private var checksumsCut = false

    /// The largest upload request (the environment's chunk size).
    public let maxChunk: Int
    /// The time one upload request, pull page or push batch should take.
    public static let requestSeconds = 15.0
    /// The smallest upload request.
    public static let minChunk = 64 << 10
    /// The first upload request before anything is measured.
    public static let firstChunk = 256 << 10
    /// Above this rate a request completes in a second or two, so a per-request checksum costs
    /// nothing on a cut (DESIGN.md §4: checksums only where a request reliably completes).
    public static let checksumRate = 4.0 * 1_048_576
    /// Transfers smaller than this say more about latency than throughput and are not measured.
    static let measurable = 16 << 10

    public init(maxChunk: Int) {
        self.maxChunk = max(1, maxChunk)
    }

    /// The server answered (any status): the link works, and a later loss is an outage to ride out.
    public var reached: Bool { lock.withLock { answered } }

    /// Bytes per second the server acknowledged, smoothed; nil before a measurable transfer.
    public var bytesPerSecond: Double? { lock.withLock { rate } }

    /// Notes an answer from the server.
    public func noteAnswer() {
        lock.withLock { answered = true }
    }

    /// Notes a transfer of `bytes` that took `seconds` from request to answer.
    public func record(bytes: Int64, seconds: Double) {
        guard bytes >= Self.measurable, seconds > 0 else { return }
        let sample = Double(bytes) / seconds
        lock.withLock {
            // Recent transfers weigh most: a link's rate changes as the radio does.
            rate = rate.map { 0.5 * $0 + 0.5 * sample } ?? sample
        }
    }

    /// Notes a pull page of `records` that took `seconds`, for the next page's record count.
    public func recordPage(records: Int, seconds: Double) {
        guard records >= 20, seconds > 0 else { return }
        let sample = Double(records) / seconds
        lock.withLock { recordsPerSecond = recordsPerSecond.map { 0.5 * $0 + 0.5 * sample } ?? sample }
    }

    /// Bytes for the next upload request: about `requestSeconds` of the measured rate, at most four
    /// times the last one, between `minChunk` and `maxChunk`.
    public func nextChunk() -> Int {
        lock.withLock {
            var size: Int
            if let rate {
                size = Int(rate * Self.requestSeconds)
                if let lastChunk { size = min(size, lastChunk * 4) }
            } else {
                size = Self.firstChunk
            }
            size = min(max(size, Self.minChunk), maxChunk)
            // Whole 64 KiB units keep requests aligned with the server's writes.
            if size > Self.minChunk { size -= size % Self.minChunk }
            lastChunk = size
            return size
        }
    }

    /// How long a request of `bytes` may go without libcurl reading or receiving a byte before it
    /// counts as stalled: `base`, or more when the kernel's socket buffers can hold longer than that
    /// of this link's traffic (they take a request's bytes at once and drain at the link's pace).
    public func stallLimit(for bytes: Int64, base: TimeInterval) -> TimeInterval {
        lock.withLock {
            guard let rate, rate > 0 else { return base }
            // Whole half-minutes, at most five minutes (a request is sized to take ~15 s).
            let needed = 3 * Double(bytes) / max(rate, 1024)
            return needed <= base ? base : min((needed / 30).rounded(.up) * 30, max(base, 300))
        }
    }

    /// True when requests reliably complete on this link, so each may carry its checksum: it is fast,
    /// and no request with a checksum was cut in this sync.
    public var checksumsWorthwhile: Bool {
        lock.withLock { !checksumsCut && (rate ?? 0) >= Self.checksumRate }
    }

    /// A request that carried a checksum was cut (and the server dropped it whole): this link does
    /// not reliably complete requests, so the rest of the sync sends none.
    public func noteCutChecksummedRequest() {
        lock.withLock { checksumsCut = true }
    }

    /// Records per pull page: `preferred` on an unmeasured link, then what the link carries in
    /// `requestSeconds`: fewer on a slow link, up to `largest` (the server's largest page) on a fast
    /// one, where a page costs a round trip and a transaction whatever its size.
    public func pullLimit(preferred: Int, largest: Int) -> Int {
        let first = max(1, min(preferred, largest))
        return lock.withLock {
            guard let recordsPerSecond else { return first }
            return min(largest, max(min(20, first), Int(recordsPerSecond * Self.requestSeconds)))
        }
    }

    /// Mutations per push batch, by the same rule (a queued mutation is about `mutationBytes`).
    public func pushBatch(preferred: Int, mutationBytes: Double = 1_500) -> Int {
        lock.withLock {
            guard let rate else { return preferred }
            let fits = Int(rate * Self.requestSeconds / mutationBytes)
            return min(preferred, max(10, fits))
        }
    }
}
