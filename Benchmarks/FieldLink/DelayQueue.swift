import Foundation

/// The bytes of one direction of one connection that have crossed the rate limit and wait out the
/// latency: each slice is handed to the writer at its delivery time. Bounded, so a fast reader waits.
final class DelayQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [(at: Double, bytes: [UInt8])] = []
    private var head = 0
    private var queuedBytes = 0
    private var ended = false
    private var cut = false
    private let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    /// Queues a slice to be delivered at `at` (a `Clock.now` time); false when the connection was cut.
    func push(at: Double, _ bytes: [UInt8]) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !cut, queuedBytes > 0, queuedBytes + bytes.count > limit {
            condition.wait()
        }
        if cut { return false }
        items.append((at, bytes))
        queuedBytes += bytes.count
        condition.broadcast()
        return true
    }

    /// No more slices will come (the source reached its end).
    func finish() {
        condition.lock()
        ended = true
        condition.broadcast()
        condition.unlock()
    }

    /// Drops everything: the connection is cut.
    func cutNow() {
        condition.lock()
        cut = true
        items.removeAll()
        head = 0
        queuedBytes = 0
        condition.broadcast()
        condition.unlock()
    }

    /// The next slice once its delivery time has come; nil at the end or when cut.
    func next() -> [UInt8]? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if cut { return nil }
            if head < items.count {
                let wait = items[head].at - Clock.now
                if wait <= 0 {
                    let bytes = items[head].bytes
                    head += 1
                    queuedBytes -= bytes.count
                    if head > 256 {
                        items.removeFirst(head)
                        head = 0
                    }
                    condition.broadcast()
                    return bytes
                }
                _ = condition.wait(until: Date(timeIntervalSinceNow: wait))
            } else if ended {
                return nil
            } else {
                condition.wait()
            }
        }
    }
}

/// A monotonic clock in seconds.
enum Clock {
    static var now: Double { ProcessInfo.processInfo.systemUptime }

    /// Sleeps until `time`, in steps of at most 100 ms; stops early when `stop` says so.
    static func sleep(until time: Double, stop: () -> Bool) {
        while !stop() {
            let left = time - now
            if left <= 0 { return }
            usleep(useconds_t(min(left, 0.1) * 1_000_000))
        }
    }
}
