import Foundation
import Testing
@testable import GreenMineServer

/// The login throttle shared by the instances of a deployment (issue 13): failures counted through one
/// instance hold back the others, a success on one forgets them on all, and guesses racing on several
/// instances at once are never let through past the limit. On each backend, two instances are two
/// connections (SQLite: two pools on one file, as two processes; PostgreSQL: two pools).
struct SharedLoginThrottleTests {
    /// Two stores on one new database of `backend`, and how to close them.
    private static func twoInstances(_ backend: TestBackend) async throws
        -> (stores: [any LoginFailureStore], close: @Sendable () async throws -> Void) {
        switch backend {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("throttle-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let path = directory.appendingPathComponent("shared.sqlite").path
            let first = try ServerDatabase.open(path: path)
            let second = try ServerDatabase.open(path: path)
            return ([SQLiteLoginFailureStore(writer: first), SQLiteLoginFailureStore(writer: second)], {
                try? FileManager.default.removeItem(at: directory)
            })
        case .postgres:
            let url = try await TestBackend.makeDatabase()
            let first = try await PostgresDatabase.open(url: url)
            let second = try await PostgresDatabase.open(url: url)
            return ([PostgresLoginFailureStore(database: first), PostgresLoginFailureStore(database: second)], {
                first.close()
                second.close()
                try await TestBackend.dropDatabase(url)
            })
        }
    }

    @Test(arguments: TestBackend.available)
    func failuresOnOneInstanceHoldBackTheOther(_ backend: TestBackend) async throws {
        let (stores, close) = try await Self.twoInstances(backend)
        let a = SharedLoginThrottle(store: stores[0], accountLimit: 3, addressLimit: 20, window: 900)
        let b = SharedLoginThrottle(store: stores[1], accountLimit: 3, addressLimit: 20, window: 900)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        // Three failed guesses, alternating instances (each reserved, then a real failure).
        for (index, instance) in [a, b, a].enumerated() {
            let at = start.addingTimeInterval(Double(index))
            #expect(try await instance.reserve(account: "Demo-Ent1", address: "127.0.0.1", now: at) == nil)
            try await instance.recordAddressFailure(address: "127.0.0.1", now: at)
        }
        // The fourth is refused on either instance, told to wait until the oldest leaves the window.
        let wait = try await b.reserve(account: "demo-ent1", address: "127.0.0.2", now: start.addingTimeInterval(10))
        #expect(wait == 890)
        #expect(try await a.reserve(account: "demo-ent1", address: "127.0.0.3", now: start.addingTimeInterval(10)) != nil)
        // Once the window has passed, one more try is allowed.
        #expect(try await a.reserve(account: "demo-ent1", address: "127.0.0.1", now: start.addingTimeInterval(901)) == nil)
        // A success on one instance forgets the account's failures on both.
        try await b.recordSuccess(account: "demo-ent1")
        #expect(try await a.reserve(account: "demo-ent1", address: "127.0.0.1", now: start.addingTimeInterval(902)) == nil)
        try await close()
    }

    @Test(arguments: TestBackend.available)
    func racingGuessesOnTwoInstancesNeverPassTheLimit(_ backend: TestBackend) async throws {
        let (stores, close) = try await Self.twoInstances(backend)
        let instances = stores.map { SharedLoginThrottle(store: $0, accountLimit: 5, addressLimit: 1000, window: 900) }
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let allowed = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<24 {
                group.addTask {
                    try await instances[index % 2].reserve(account: "demo-ent1", address: "10.0.0.\(index)", now: now) == nil
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(allowed == 5)
        try await close()
    }
}
