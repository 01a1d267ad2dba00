import Foundation

// Deterministic stand-ins for the clock, the id generator and sleeping.

/// A clock tests move by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date = Date(timeIntervalSince1970: 1_796_113_800)) { // 2026-12-01T08:30:00Z
        current = start
    }

    var now: Date { lock.withLock { current } }

    func advance(_ seconds: TimeInterval) {
        lock.withLock { current = current.addingTimeInterval(seconds) }
    }
}

/// Ids made in order, with varied first characters so short prefixes are unique.
final class TestUUIDs: @unchecked Sendable {
    private let lock = NSLock()
    private var counter: UInt64
    private let salt: UInt64

    init(salt: UInt64 = 0) {
        self.counter = 0
        self.salt = salt
    }

    func next() -> UUID {
        let n = lock.withLock { () -> UInt64 in
            counter += 1
            return counter
        }
        let head = (n &* 0x9E37_79B9 &+ salt &* 0x1000_0193) & 0xFFFF_FFFF
        let text = String(format: "%08llx-%04llx-4000-8000-%012llx", head, salt & 0xFFFF, n)
        return UUID(uuidString: text) ?? UUID()
    }
}

/// Records the waits of a retry policy instead of sleeping.
final class SleepRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var waits: [Duration] = []
    /// After this many waits, the next one throws (to end `sync --every` in a test).
    var stopAfter: Int?

    var delays: [Duration] { lock.withLock { waits } }

    func sleep(_ duration: Duration) throws {
        try lock.withLock {
            waits.append(duration)
            if let stopAfter, waits.count >= stopAfter { throw CancellationError() }
        }
    }
}
