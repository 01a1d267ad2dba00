import Foundation
import GreenMineShared
import Testing
@testable import GreenMineServer

/// `RecordTransaction` is async; the SQLite store runs the body on its writer's thread
/// (`CallingThreadExecutor`). A body that really suspends still writes in one transaction, is undone
/// whole when it throws, and bodies running at once are serialised.
struct AsyncTransactionTests {
    private struct Late: Error {}

    @Test func aBodyThatSuspendsWritesInOneTransaction() async throws {
        let harness = try await Harness()
        let first = UUID()
        let second = UUID()
        try await harness.services.records.write { tx in
            try await tx.save(SavepointTests.notice(first), parent: nil, changedPaths: ["@created"], userId: "test",
                              clientId: nil, at: Date())
            try await Task.sleep(for: .milliseconds(20))
            await Task.yield()
            try await tx.save(SavepointTests.notice(second), parent: nil, changedPaths: ["@created"], userId: "test",
                              clientId: nil, at: Date())
        }
        #expect(try await harness.stored(first) != nil)
        #expect(try await harness.stored(second) != nil)
    }

    @Test func aBodyThatThrowsAfterSuspendingLeavesNothing() async throws {
        let harness = try await Harness()
        let before = try await harness.counts()
        let id = UUID()
        await #expect(throws: Late.self) {
            try await harness.services.records.write { tx in
                try await tx.save(SavepointTests.notice(id), parent: nil, changedPaths: ["@created"], userId: "test",
                                  clientId: nil, at: Date())
                try await Task.sleep(for: .milliseconds(10))
                throw Late()
            }
        }
        #expect(try await harness.stored(id) == nil)
        #expect(try await harness.counts() == before)
    }

    @Test func bodiesRunningAtOnceAreSerialised() async throws {
        let harness = try await Harness()
        let records = harness.services.records
        // Each body reads a counter, suspends, and writes it back plus one: interleaved bodies would
        // lose increments.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    _ = try await records.write { tx in
                        let value = try await tx.nextCounter("async_test")
                        try await Task.sleep(for: .milliseconds(2))
                        return value
                    }
                }
            }
            try await group.waitForAll()
        }
        let last = try await records.write { tx in try await tx.nextCounter("async_test") }
        #expect(last == 17)
    }
}
