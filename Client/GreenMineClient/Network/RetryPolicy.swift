import Foundation

/// How often and how patiently transient failures are retried: exponential backoff with a cap.
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    /// The wait after the first failure.
    public var initialDelay: Duration
    /// Each further wait is the previous one times this.
    public var multiplier: Double
    /// No wait is longer than this.
    public var maxDelay: Duration
    /// Waits; tests pass one that returns at once and records the delays.
    public var sleep: @Sendable (Duration) async throws -> Void

    public init(maxAttempts: Int, initialDelay: Duration, multiplier: Double = 2, maxDelay: Duration,
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialDelay = initialDelay
        self.multiplier = multiplier
        self.maxDelay = maxDelay
        self.sleep = sleep
    }

    /// Five attempts waiting 1, 2, 4, 8 s: about a quarter of a minute before a sync gives up.
    public static let standard = RetryPolicy(maxAttempts: 5, initialDelay: .seconds(1), maxDelay: .seconds(30))

    /// The wait after the `failures`-th failure (1-based).
    public func delay(afterFailure failures: Int) -> Duration {
        let factor = pow(multiplier, Double(max(0, failures - 1)))
        let delay = initialDelay * factor
        return delay > maxDelay ? maxDelay : delay
    }

    /// Runs `operation`, retrying it while it fails transiently; `onRetry` hears of each wait.
    public func run<T: Sendable>(
        onRetry: (APIError, Int, Duration) -> Void = { _, _, _ in },
        _ operation: () async throws -> T
    ) async throws -> T {
        var failures = 0
        while true {
            do {
                return try await operation()
            } catch let error as APIError where error.isTransient {
                failures += 1
                guard failures < maxAttempts else { throw error }
                let wait = delay(afterFailure: failures)
                onRetry(error, failures, wait)
                try await sleep(wait)
            }
        }
    }
}
