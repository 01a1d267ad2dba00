import Foundation
import Testing
@testable import GreenMineServer

/// Issue 15: password hashes run at most two at a time (each scrypt hash holds 16 MiB while it runs),
/// so the server's memory for logins is bounded whatever the number of logins at once.
struct HashSlotsTests {
    @Test func aThirdHashWaitsUntilOneOfTheTwoEnds() async throws {
        let slots = HashSlots(limit: 2)
        await slots.acquire()
        await slots.acquire()
        let third = Task { await slots.acquire(); return true }
        // The third asker is queued, not running.
        for _ in 0..<200 where await slots.load.waiting == 0 { try await Task.sleep(for: .milliseconds(5)) }
        #expect(await slots.load == (running: 2, waiting: 1))
        await slots.release()
        #expect(await third.value)
        #expect(await slots.load == (running: 2, waiting: 0))
        await slots.release()
        await slots.release()
        #expect(await slots.load == (running: 0, waiting: 0))
        #expect(await slots.peak == 2)
    }

    @Test func manyLoginsAtOnceNeverHashMoreThanTwoAtATime() async throws {
        let hasher = PasswordHasher.fastForTests
        let stored = try await hasher.hash("secret", salt: Array(repeating: 7, count: 16))
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<16 {
                group.addTask { try await hasher.verify(index % 2 == 0 ? "secret" : "wrong", against: stored) }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.filter { $0 }.count == 8)
        #expect(await PasswordHasher.slots.peak <= 2)
        #expect(await PasswordHasher.slots.peak >= 1)
    }
}
