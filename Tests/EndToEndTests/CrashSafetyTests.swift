import Foundation
import GreenMineShared
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Killing the client or the server at any moment of a sync loses no committed work, applies no
/// mutation twice, and the next sync converges. Each run restores the same snapshot (a client with
/// 108 queued mutations and its server), so only the moment of the crash differs; the state an
/// uninterrupted sync leaves is the one every run must end in. The tests share one snapshot and
/// its port, so they run one after another.
@Suite("End to end: crash safety", .serialized)
struct CrashSafetyTests {
    static let clientKills = 20

    @Test("kill -9 of the client at a random moment of sync, 20 runs: the next sync converges, nothing applied twice")
    func clientKilledDuringSync() async throws {
        let bench = try await SharedCrashBench.shared.bench()
        var random = SeededRandom("client kill -9")
        // The sync's length on this machine now: the control run's, shortened whenever a sync ends
        // before its kill (so almost every kill lands inside a sync).
        var estimate = bench.controlSeconds
        let push = bench.pushFractions
        var phases: [String: Int] = [:]
        var kills = 0
        var attempt = 0
        while kills < Self.clientKills, attempt < Self.clientKills * 2 {
            attempt += 1
            // Runs cycle through three kinds of moment: anywhere in the sync; inside the push
            // (request sent, answer not yet stored); just after the first result is shown (while
            // the results are stored and the pull runs).
            let kind = attempt % 3
            let delay = kind == 0 ? Double.random(in: 0...estimate, using: &random)
                : kind == 1 ? estimate * Double.random(in: push, using: &random)
                : Double.random(in: 0...0.06, using: &random)
            let label = "run \(attempt): kill -9 \(String(format: "%.3f", delay)) s after \(kind == 2 ? "the first result" : "the start")"
            let phase: String? = try await bench.withRun("client-\(attempt)") { server, client in
                try await server.start()
                let sync = try client.launch(["sync"])
                if kind == 2, !(await sync.waitForOutput("✓", timeout: 60)) {
                    return nil
                }
                if await sync.wait(timeout: delay) {
                    // Too late: the sync had finished. Learn from it and try another moment.
                    if kind != 2 { estimate = min(estimate, (sync.runningTime ?? estimate) * 0.95) }
                    return nil
                }
                sync.signal(SIGKILL)
                let killed = await sync.finish(timeout: 60)
                if !killed.signalled {
                    // It ended between the check and the signal: that run does not count.
                    #expect(killed.exitedCleanly, "\(label): \(killed)")
                    return nil
                }

                // The store is sound at once, and the push went through whole or not at all.
                #expect(try client.integrityCheck() == ["ok"], "\(label): the store right after the kill")
                let outbox = try client.outboxCount()
                #expect(outbox == 0 || outbox == bench.mutations, "\(label): the outbox holds \(outbox)")

                // The next sync goes through and everything converges.
                let secondSync = Date()
                let again = try await client.sync()
                #expect(again.exitedCleanly, "\(label): the next sync: \(again)")
                let problems = try await bench.expectConverged(server, client)
                #expect(problems.isEmpty, "\(label):\n\(problems.joined(separator: "\n"))")

                // Where the crash struck: the server goes on applying a push whose sender died, so
                // the moment its work was applied tells whose push it was.
                let applied = try server.database.firstEventTime(of: bench.applicationId)
                let phase = outbox == 0 ? "after the push was acknowledged"
                    : applied.map { $0 < secondSync } == true ? "push applied by the server, answer lost"
                    : "push never applied (not yet sent, or cut off)"
                print("[e2e] crash-client \(label): \(phase)\(problems.isEmpty ? ", converged" : " — FAILED")")
                return phase
            }
            if let phase {
                kills += 1
                phases[phase, default: 0] += 1
            }
        }
        print("[e2e] crash-client: \(kills) kills in \(attempt) runs; \(phases.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", "))")
        #expect(kills == Self.clientKills, "only \(kills) of \(attempt) runs killed the client inside its sync")
    }

    enum ServerStop: String, CaseIterable, CustomTestStringConvertible, Sendable {
        case sigterm
        case sigkill

        var testDescription: String { self == .sigterm ? "SIGTERM" : "kill -9" }
    }

    @Test("the server restarted in the middle of a sync: the sync retries or fails, the next one converges",
          arguments: ServerStop.allCases)
    func serverRestartedDuringSync(stop: ServerStop) async throws {
        let bench = try await SharedCrashBench.shared.bench()
        var random = SeededRandom("server \(stop.testDescription)")
        var estimate = bench.controlSeconds
        var restarts = 0
        var attempt = 0
        while restarts < 2, attempt < 8 {
            attempt += 1
            let delay = restarts == 0
                ? estimate * Double.random(in: bench.pushFractions, using: &random)
                : Double.random(in: 0...estimate, using: &random)
            let label = "run \(attempt): \(stop.testDescription) of the server after \(String(format: "%.3f", delay)) s"
            let done: Bool = try await bench.withRun("server-\(stop.rawValue)-\(attempt)") { server, client in
                try await server.start()
                let sync = try client.launch(["sync"])
                if await sync.wait(timeout: delay) {
                    estimate = min(estimate, (sync.runningTime ?? estimate) * 0.95)
                    return false
                }
                let stopping = Date()
                switch stop {
                case .sigterm: try await server.process.stop()
                case .sigkill: await server.process.kill9()
                }
                if let ended = sync.endedAt, ended < stopping {
                    return false // it ended just before the stop: that run does not count
                }
                #expect(try server.database.integrityCheck() == ["ok"], "\(label)")
                try await server.start()
                // The interrupted sync either waits the outage out into the restarted server or stops
                // as incomplete (exit 3), saying the next sync continues.
                let first = await sync.finish(timeout: 150)
                #expect(!first.timedOut && !first.signalled, "\(label): \(first)")
                #expect([0, 3].contains(first.status), "\(label): \(first)")
                if first.status == 3 {
                    #expect(first.stderr.contains("the next sync continues"), "\(label): the failure is explained: \(first)")
                }
                let again = try await client.sync()
                #expect(again.exitedCleanly, "\(label): the next sync: \(again)")
                let problems = try await bench.expectConverged(server, client)
                #expect(problems.isEmpty, "\(label):\n\(problems.joined(separator: "\n"))")
                let retried = first.stdout.contains("retry") || first.stderr.contains("retry")
                print("[e2e] crash-server \(label): the interrupted sync exited \(first.status)\(retried ? " after retrying" : ""); converged")
                return true
            }
            if done { restarts += 1 }
        }
        #expect(restarts == 2, "only \(restarts) of \(attempt) runs stopped the server inside a sync")
    }
}
