import Foundation

/// The side effects the server depends on, injected so tests can fix them.
public struct ServerEnvironment: Sendable {
    /// The clock.
    public var now: @Sendable () -> Date
    /// Makes new ids.
    public var newId: @Sendable () -> UUID
    /// Fills a buffer with cryptographically secure random bytes.
    public var randomBytes: @Sendable (Int) -> [UInt8]

    public init(now: @escaping @Sendable () -> Date, newId: @escaping @Sendable () -> UUID,
                randomBytes: @escaping @Sendable (Int) -> [UInt8]) {
        self.now = now
        self.newId = newId
        self.randomBytes = randomBytes
    }

    /// The real clock, random UUIDs and the system's secure random generator.
    public static let live = ServerEnvironment(
        now: { Date() },
        newId: { UUID() },
        randomBytes: { count in
            var generator = SystemRandomNumberGenerator()
            return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        })
}
