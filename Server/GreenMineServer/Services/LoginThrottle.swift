import Foundation

/// Rate-limits failed logins per account and per address within a sliding window.
public actor LoginThrottle {
    /// Failures allowed per account within the window.
    public let accountLimit: Int
    /// Failures allowed per address within the window.
    public let addressLimit: Int
    /// The window, in seconds.
    public let window: TimeInterval
    private var failures: [String: [Date]] = [:]
    /// When every key was last swept of failures older than the window.
    private var lastSweep = Date.distantPast

    public init(accountLimit: Int = 5, addressLimit: Int = 20, window: TimeInterval = 900) {
        self.accountLimit = accountLimit
        self.addressLimit = addressLimit
        self.window = window
    }

    /// Seconds to wait before another attempt for this account or address, or nil when allowed.
    public func retryAfter(account: String, address: String, now: Date) -> Int? {
        let waits = [(key("a", account), accountLimit), (key("ip", address), addressLimit)].compactMap {
            wait(for: $0.0, limit: $0.1, now: now)
        }
        return waits.max()
    }

    /// Reserves an attempt on the account before the password is checked: nil and the attempt
    /// counted as the account's failure (until `recordSuccess` takes it back), or the seconds to wait
    /// when either limit is reached. So at most the account's limit is ever evaluated, however many
    /// guesses arrive at once. The address counts real failures only (`recordAddressFailure`), so
    /// an office of many users behind one address logging in at once is not held back.
    public func reserve(account: String, address: String, now: Date) -> Int? {
        if let wait = retryAfter(account: account, address: address, now: now) { return wait }
        failures[key("a", account), default: []].append(now)
        return nil
    }

    /// Counts a failed attempt against the address (its account's was reserved).
    public func recordAddressFailure(address: String, now: Date) {
        let name = key("ip", address)
        failures[name, default: []].append(now)
        prune(name, now: now)
    }

    /// Records a failed attempt. Once per window every key is swept, so names and addresses tried
    /// once and never again do not stay in memory.
    public func recordFailure(account: String, address: String, now: Date) {
        for name in [key("a", account), key("ip", address)] {
            failures[name, default: []].append(now)
            prune(name, now: now)
        }
        if now.timeIntervalSince(lastSweep) >= window {
            lastSweep = now
            for name in Array(failures.keys) { prune(name, now: now) }
        }
    }

    /// How many accounts and addresses have failures kept (for tests).
    var keptKeys: Int { failures.count }

    /// Forgets an account's failures after a successful login.
    public func recordSuccess(account: String) {
        failures[key("a", account)] = nil
    }

    private func key(_ prefix: String, _ value: String) -> String {
        SharedLoginThrottle.key(prefix, value)
    }

    private func prune(_ name: String, now: Date) {
        failures[name] = failures[name]?.filter { now.timeIntervalSince($0) < window }
        if failures[name]?.isEmpty == true { failures[name] = nil }
    }

    private func wait(for name: String, limit: Int, now: Date) -> Int? {
        prune(name, now: now)
        guard let times = failures[name], times.count >= limit, let oldest = times.first else { return nil }
        return max(1, Int((window - now.timeIntervalSince(oldest)).rounded(.up)))
    }
}
