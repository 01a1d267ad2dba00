import Foundation

/// What the login path asks of a throttle: reserve an attempt before the password is checked, count a
/// real failure against the address, forget the account's failures after a success. `LoginThrottle`
/// keeps failures in one process's memory; `SharedLoginThrottle` in the store every instance uses.
public protocol LoginThrottling: Sendable {
    /// Nil and the attempt counted as the account's failure (until `recordSuccess`), or the seconds to
    /// wait when the account's or the address's limit is reached.
    func reserve(account: String, address: String, now: Date) async throws -> Int?
    /// Counts a failed attempt against the address (its account's was reserved).
    func recordAddressFailure(address: String, now: Date) async throws
    /// Forgets an account's failures after a successful login.
    func recordSuccess(account: String) async throws
}

extension LoginThrottle: LoginThrottling {}

/// The login throttle of a deployment of several instances (issue 13): the same limits and window as
/// `LoginThrottle`, with the failures in a `LoginFailureStore`, so guesses spread over instances count
/// together and a restart forgets nothing.
public struct SharedLoginThrottle: LoginThrottling {
    let store: any LoginFailureStore
    /// Failures allowed per account within the window.
    public let accountLimit: Int
    /// Failures allowed per address within the window.
    public let addressLimit: Int
    /// The window, in seconds.
    public let window: TimeInterval

    public init(store: any LoginFailureStore, accountLimit: Int = 5, addressLimit: Int = 20, window: TimeInterval = 900) {
        self.store = store
        self.accountLimit = accountLimit
        self.addressLimit = addressLimit
        self.window = window
    }

    public func reserve(account: String, address: String, now: Date) async throws -> Int? {
        let accountKey = Self.key("a", account)
        let oldest = try await store.reserve(limits: [(accountKey, accountLimit), (Self.key("ip", address), addressLimit)],
                                             reserving: accountKey, since: now.addingTimeInterval(-window), now: now)
        return oldest.map { max(1, Int((window - now.timeIntervalSince($0)).rounded(.up))) }.max()
    }

    public func recordAddressFailure(address: String, now: Date) async throws {
        try await store.recordFailure(key: Self.key("ip", address), at: now)
    }

    public func recordSuccess(account: String) async throws {
        try await store.forget(key: Self.key("a", account))
    }

    /// The key failures are counted under, here and in `LoginThrottle`: kind and the lowercased name or address.
    static func key(_ prefix: String, _ value: String) -> String {
        "\(prefix):\(value.lowercased())"
    }
}
