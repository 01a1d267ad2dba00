import Crypto
import FieldLink
import Foundation
import GreenMineShared
import Testing

/// Issue 10, the short run CI keeps: the real binaries through a fast link that drops every few
/// seconds. An application with 4 MB of attachments, submitted offline; then only `greenmine sync`,
/// run again after each run that did not finish, until one reports complete (exit 0). The server must
/// then hold the submitted application with every file exactly once, and the bytes that crossed the
/// link upwards must be close to the payload: nothing the server already held is sent again.
@Suite("End to end: sync over a field link that drops")
struct FieldLinkTests {
    /// 8 Mbit/s each way, 50 ms each way, down 3 s every 8 s (the first outage 2 s after syncing starts).
    static let shape = LinkShape.symmetric(bitsPerSecond: 8_000_000, latency: 0.05, outageEvery: 8, outageLength: 3,
                                           firstOutageAfter: 2)
    /// Requests, headers, the form's fields and the submit: what may cross besides the files.
    static let fixedOverhead = 256 * 1024

    @Test("4 MB of attachments over 8 Mbit/s, 50 ms, 3 s outages every 8 s: repeated syncs finish; every file once; ≤ 10 % resent")
    func dropsButFinishes() async throws {
        try await Scenario.run("fieldlink") { scenario in
            let files: [(String, Data)] = [
                ("井下照片1.jpg", SampleMedia.jpeg(1_500_000, seed: 1)), ("井下照片2.jpg", SampleMedia.jpeg(1_500_000, seed: 2)),
                ("检测报告.pdf", SampleMedia.pdf(1_000_000, seed: 3)),
            ]
            let (proxy, laptop, appId, shas) = try await Self.submittedOffline(scenario, files: files)
            defer { proxy.stop() }
            let payload = files.reduce(0) { $0 + $1.1.count }

            // The link drops from now on; nobody does anything but run sync again.
            proxy.apply(Self.shape)
            let start = Date()
            var statuses: [Int32] = []
            var complete = false
            while !complete, Date().timeIntervalSince(start) < 45 {
                let outcome = try await laptop.run(["sync"], timeout: 40)
                statuses.append(outcome.timedOut ? -1 : outcome.status)
                complete = outcome.exitedCleanly
                if !complete { try await Task.sleep(for: .milliseconds(500)) }
            }
            let figures = proxy.statistics
            print("[e2e] fieldlink: \(String(format: "%.1f", Date().timeIntervalSince(start))) s, sync statuses \(statuses), "
                  + "\(figures.bytesUp) bytes up and \(figures.bytesDown) down for \(payload) bytes of files, "
                  + "\(figures.outages) outages, \(figures.connections) connections (\(figures.cut) cut, \(figures.refused) refused)")

            #expect(complete, "no sync reported complete in 45 s: statuses \(statuses)")
            #expect(figures.outages >= 1, "the link dropped at least once while syncing")
            #expect(!statuses.contains(2), "nothing was refused: \(statuses)")
            #expect(statuses.allSatisfy { [0, 3].contains($0) }, "each run completed or stopped as incomplete: \(statuses)")
            let stored = try #require(try scenario.database.record(appId), "the server holds the application")
            #expect(stored.state == "submitted")
            for (sha, (name, _)) in zip(shas, files) {
                let copies = stored.record.attachments.filter { $0.sha256.lowercased() == sha }
                #expect(copies.count == 1, "\(name): \(copies.count) on the server")
            }
            #expect(stored.record.attachments.count == files.count)
            let allowed = Int(Double(payload) * 1.10) + Self.fixedOverhead
            #expect(figures.bytesUp <= allowed,
                    "\(figures.bytesUp) bytes crossed up for \(payload) bytes of files (allowed \(allowed))")
            #expect(try laptop.outboxCount() == 0)
            #expect(try scenario.database.integrityCheck() == ["ok"])
        }
    }

    @Test("kill -9 of the client, then of the server, during a throttled upload: the next syncs converge, every file once")
    func killsDuringAThrottledUpload() async throws {
        try await Scenario.run("fieldlink-kill") { scenario in
            let files: [(String, Data)] = [
                ("巷道照片.jpg", SampleMedia.jpeg(2_000_000, seed: 11)), ("复垦现场.mp4", SampleMedia.mp4(3_000_000, seed: 12)),
            ]
            let (proxy, laptop, appId, shas) = try await Self.submittedOffline(scenario, files: files)
            defer { proxy.stop() }
            let payload = files.reduce(0) { $0 + $1.1.count }
            // 4 Mbit/s, 100 ms each way: the 5 MB take some 10 s, long enough to be cut twice.
            proxy.apply(.symmetric(bitsPerSecond: 4_000_000, latency: 0.1))

            // The laptop dies mid-upload.
            let first = try laptop.launch(["sync"])
            #expect(await Self.waitUntil(timeout: 60) { proxy.statistics.bytesUp > 1_500_000 }, "the upload started")
            first.signal(SIGKILL)
            _ = await first.wait(timeout: 10)
            #expect(try laptop.integrityCheck() == ["ok"])
            let afterClientKill = proxy.statistics.bytesUp

            // Then the server dies mid-upload, and comes back on the same port.
            let second = try laptop.launch(["sync"])
            #expect(await Self.waitUntil(timeout: 60) { proxy.statistics.bytesUp > afterClientKill + 1_000_000 },
                    "the upload resumed")
            await scenario.server.kill9()
            #expect(try scenario.database.integrityCheck() == ["ok"])
            try await Task.sleep(for: .seconds(2))
            try await scenario.server.start()
            // The interrupted sync waits the outage out, or stops as incomplete (exit 3).
            let interrupted = await second.finish(timeout: 180)
            #expect([0, 3].contains(interrupted.status), "\(interrupted)")
            var last = interrupted
            for _ in 0..<3 where last.status != 0 {
                last = try await laptop.run(["sync"], timeout: 120)
            }
            #expect(last.status == 0, "\(last)")
            let figures = proxy.statistics
            print("[e2e] fieldlink-kill: \(figures.bytesUp) bytes up for \(payload) bytes of files")

            let stored = try #require(try scenario.database.record(appId), "the server holds the application")
            #expect(stored.state == "submitted")
            for (sha, (name, _)) in zip(shas, files) {
                #expect(stored.record.attachments.filter { $0.sha256.lowercased() == sha }.count == 1, "\(name)")
            }
            #expect(stored.record.attachments.count == files.count)
            #expect(try laptop.outboxCount() == 0)
            #expect(try scenario.database.integrityCheck() == ["ok"])
            // What a kill loses is at most what was in flight then: far less than the files again.
            #expect(figures.bytesUp <= Int(Double(payload) * 1.5) + Self.fixedOverhead, "\(figures.bytesUp) bytes up")
        }
    }

    /// The server with an approved pre-application, a proxy in front of it (unshaped), and a laptop
    /// logged in through it holding an application with `files`, filled and submitted offline.
    static func submittedOffline(_ scenario: Scenario, files: [(String, Data)]) async throws
        -> (proxy: FieldLinkProxy, laptop: ClientHome, appId: UUID, shas: [String]) {
        try await scenario.server.start()
        let preId = try await Flows.preApplication(in: scenario, submit: true, approve: true)
        guard let serverPort = await scenario.server.port else { throw HarnessError("no server port") }
        let proxy = try FieldLinkProxy(upstreamPort: serverPort)
        let laptop = try scenario.home("ent1")
        try await laptop.login(server: proxy.url, user: "demo-ent1", password: try scenario.password("demo-ent1"))
        try await laptop.syncOK()
        let created = try await laptop.json(ClientHome.Created.self, ["app", "new", "--from", preId.uuidString.lowercased()])
        let app = created.record.id.uuidString.lowercased()
        var shas: [String] = []
        var paths: [String] = []
        for (name, data) in files {
            paths.append(try scenario.file(name, data).path)
            shas.append(SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined())
        }
        try await laptop.ok(["app", "set", app] + SampleForms.assignments(SampleForms.application))
        try await laptop.ok(["app", "attach", app] + paths)
        try await laptop.ok(["app", "submit", app])
        return (proxy, laptop, created.record.id, shas)
    }

    /// Polls `condition` every 50 ms until it holds or `timeout` seconds pass.
    static func waitUntil(timeout: Double, _ condition: () -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return condition()
    }
}
