import Foundation

/// How a sync retries: a server error or a link that never answered gets the environment's policy
/// (a few growing waits, then the sync stops); a link that answered and then went away gets
/// `patience` — an outage of a radio link is waited out, trying every couple of seconds.
struct SyncRetry: Sendable {
    /// The environment's policy.
    var base: RetryPolicy
    /// For outages once the server has answered in this sync.
    var patience: RetryPolicy
    var link: LinkMeter
    /// The longest an outage is waited out, on the clock (the attempt count of `patience` caps it too,
    /// for tests whose waits return at once).
    var patienceLimit: Duration = .seconds(90)

    /// The patience policy for `patience` in all: the base policy's first wait and growth, waits of at
    /// most 2 s, and as many attempts as fit.
    static func patience(_ patience: Duration, base: RetryPolicy) -> RetryPolicy {
        let seconds = max(3, Double(patience.components.seconds))
        return RetryPolicy(maxAttempts: 2 + Int((seconds / 2).rounded(.up)), initialDelay: base.initialDelay,
                           multiplier: base.multiplier, maxDelay: min(base.maxDelay, .seconds(2)), sleep: base.sleep)
    }

    /// Runs `operation`, retrying transient failures; `onRetry` hears of each wait.
    func run<T: Sendable>(onRetry: (APIError, Int, Duration) -> Void,
                          _ operation: () async throws -> T) async throws -> T {
        var failures = 0
        var outages = 0
        var outageStart: ContinuousClock.Instant?
        while true {
            do {
                return try await operation()
            } catch let error as APIError where error.isTransient {
                let policy: RetryPolicy
                let count: Int
                if case .unreachable = error, link.reached {
                    outages += 1
                    (policy, count) = (patience, outages)
                    let start = outageStart ?? ContinuousClock.now
                    outageStart = start
                    // A link where packets vanish makes each attempt wait out its idle limit: the
                    // outage is measured on the clock, not in attempts.
                    guard ContinuousClock.now - start < patienceLimit else { throw error }
                } else {
                    failures += 1
                    (policy, count) = (base, failures)
                }
                guard count < policy.maxAttempts else { throw error }
                let wait = policy.delay(afterFailure: count)
                onRetry(error, count, wait)
                try await policy.sleep(wait)
            }
        }
    }
}
