/// At most `limit` password hashes run at once; the others wait their turn, first come first served.
/// Each scrypt hash holds 128·N·r bytes while it runs (16 MiB with `PasswordHasher.standard`; a hash
/// stored with an older setting until its next login, up to 32 MiB with N = 2^15), so the server's
/// memory for logins is bounded by `limit` of them, whatever the number of logins at once.
actor HashSlots {
    let limit: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []
    /// The most that ever ran at once (for tests and the bench).
    private(set) var peak = 0

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Runs `body` in a slot, waiting for one when all are taken.
    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    func acquire() async {
        if running < limit {
            running += 1
            peak = max(peak, running)
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty {
            running -= 1
        } else {
            // The slot passes straight to the first waiter: `running` stays the same.
            waiting.removeFirst().resume()
        }
    }

    /// Hashes running and waiting now.
    var load: (running: Int, waiting: Int) { (running, waiting.count) }
}
