import Foundation
import GreenMineShared

/// What the server holds for the records the crash tests make, read from its SQLite file: every
/// record's state, version, fields, version history and audit trail, and the stored result of
/// every mutation of the client. Two runs that applied the same work hold equal states.
struct ServerState: Equatable, Sendable, CustomStringConvertible {
    struct Item: Equatable, Sendable {
        var kind: String
        var state: String
        var version: Int
        /// The fields as typed; the server's process trail is compared by its steps (its times differ by run).
        var fields: [String: JSONValue]
        var trail: [String]
        var attachments: Int
        var versions: [Int]
        var audit: [String]
    }

    var items: [UUID: Item]
    /// seq → status of every stored mutation result of the client.
    var results: [Int: String]
    var lastSeq: Int?

    static func read(_ database: ServerDatabase, client: String) throws -> ServerState {
        var items: [UUID: Item] = [:]
        for (id, stored) in try database.enterpriseRecords() {
            items[id] = Item(kind: stored.kind, state: stored.state, version: stored.version,
                             fields: SampleForms.typed(stored.record.fields),
                             trail: ProcessTrail.events(of: stored.record).map(\.action),
                             attachments: stored.record.attachments.count,
                             versions: try database.versions(of: id), audit: try database.audit(of: id).map(\.action))
        }
        return ServerState(items: items, results: try database.mutationResults(client: client),
                           lastSeq: try database.lastSeq(client: client))
    }

    var description: String {
        let records = items.sorted { $0.key.uuidString < $1.key.uuidString }.map { id, item in
            "\(item.kind) \(id.uuidString.prefix(8)) v\(item.version) \(item.state) versions \(item.versions.count) audit \(item.audit.count)"
        }
        let statuses = Dictionary(grouping: results.values, by: { $0 }).mapValues(\.count)
        return "records [\(records.joined(separator: "; "))], results \(results.count) \(statuses), lastSeq \(lastSeq ?? 0)"
    }
}

/// A client home with a long queue of offline work and the server it syncs with, both frozen in
/// snapshots, so each crash run restores the same starting point and only the moment of the crash
/// differs. A control run (an uninterrupted sync) gives the state every run must end in.
struct CrashBench: Sendable {
    let scenario: Scenario
    let port: Int
    let serverSnapshot: URL
    let homeSnapshot: URL
    let clientId: String
    /// Mutations queued in the snapshot.
    let mutations: Int
    let applicationId: UUID
    let profileId: UUID
    /// What the server holds after the control run.
    let expected: ServerState
    /// How long the control sync took, and when its push began and its results were shown.
    let controlSeconds: Double
    let pushWindow: ClosedRange<Double>

    /// The push window as fractions of the whole sync.
    var pushFractions: ClosedRange<Double> {
        guard controlSeconds > 0 else { return 0...1 }
        let lower = min(1, pushWindow.lowerBound / controlSeconds)
        return lower...max(lower, min(1, pushWindow.upperBound / controlSeconds))
    }

    /// Fields changed patch by patch: each patch changes something, so each is one version.
    static let firstPatches = 50
    static let secondPatches = 50

    /// Logs in, fetches an approved pre-application, then queues offline: the application's
    /// creation, 50 patches, a complete `set`, submit, withdraw, 50 more patches, submit again, and
    /// a profile made and changed twice — 108 mutations over two records.
    static func prepare(_ scenario: Scenario) async throws -> CrashBench {
        try await scenario.server.start()
        guard let port = await scenario.server.port else { throw HarnessError("no port") }
        let preId = try await Flows.preApplication(in: scenario, submit: true, approve: true)
        let home = try await scenario.loggedInHome("queue", as: "demo-ent1")
        try await home.syncOK()

        let created = try await home.json(ClientHome.Created.self, ["app", "new", "--from", preId.uuidString])
        let app = created.record.id.uuidString.lowercased()
        var queued = 1
        for i in 1...firstPatches {
            var assignments = ["indicators.employees=\(100 + i)"]
            if i % 7 == 0 { assignments.append("contact.person=联系人\(i)") }
            try await home.ok(["app", "set", app] + assignments)
            queued += 1
        }
        try await home.ok(["app", "set", app] + SampleForms.assignments(SampleForms.application))
        try await home.ok(["app", "check", app])
        try await home.ok(["app", "submit", app])
        try await home.ok(["app", "withdraw", app])
        queued += 3
        for i in 1...secondPatches {
            try await home.ok(["app", "set", app, "status.innovation=第\(i)版：建设智能调度系统。"])
            queued += 1
        }
        try await home.ok(["app", "submit", app])
        let profileCreated = try await home.json(GreenMineShared.Record.self, [
            "profile", "set", "profile.name=李四", "profile.mobile=13812345678", "profile.email=lisi@example.com"])
        try await home.ok(["profile", "set", "profile.position=安全环保部部长"])
        try await home.ok(["profile", "set", "profile.postalCode=050000"])
        queued += 4
        let inOutbox = try home.outboxCount()
        guard inOutbox == queued else { throw HarnessError("expected \(queued) queued mutations, the outbox holds \(inOutbox)") }
        let clientId = try home.clientId()
        try await scenario.server.stop()

        let serverSnapshot = scenario.root.appendingPathComponent("snapshot-server")
        let homeSnapshot = scenario.root.appendingPathComponent("snapshot-home")
        try FileManager.default.copyItem(at: scenario.server.dataDirectory, to: serverSnapshot)
        try FileManager.default.copyItem(at: home.directory, to: homeSnapshot)

        var bench = CrashBench(scenario: scenario, port: port, serverSnapshot: serverSnapshot,
                               homeSnapshot: homeSnapshot, clientId: clientId, mutations: queued,
                               applicationId: created.record.id, profileId: profileCreated.id,
                               expected: ServerState(items: [:], results: [:], lastSeq: nil), controlSeconds: 0,
                               pushWindow: 0...0)
        // The control run: one uninterrupted sync, watched to learn when its push happens.
        let (server, client) = try await bench.restore("control")
        try await server.start()
        let child = try client.launch(["sync"])
        let started = Date()
        var pushing: Double?
        var answered: Double?
        while child.isRunning {
            let text = child.stdoutText()
            let now = Date().timeIntervalSince(started)
            if pushing == nil, text.contains("Pushing") { pushing = now }
            if answered == nil, text.contains("✓") { answered = now }
            try await Task.sleep(for: .milliseconds(2))
        }
        let outcome = await child.finish(timeout: 120)
        guard outcome.exitedCleanly else { throw HarnessError("the control sync failed: \(outcome)") }
        let expected = try ServerState.read(server.database, client: clientId)
        try await server.stop()
        bench = CrashBench(scenario: scenario, port: port, serverSnapshot: serverSnapshot, homeSnapshot: homeSnapshot,
                           clientId: clientId, mutations: queued, applicationId: created.record.id,
                           profileId: profileCreated.id, expected: expected, controlSeconds: outcome.seconds,
                           pushWindow: max(0, (pushing ?? 0) - 0.01)...((answered ?? outcome.seconds) + 0.01))
        print("[e2e] crash bench: \(queued) mutations; control sync \(String(format: "%.3f", outcome.seconds)) s, push from \(String(format: "%.3f", bench.pushWindow.lowerBound)) s to \(String(format: "%.3f", bench.pushWindow.upperBound)) s")
        try bench.checkExpected()
        return bench
    }

    /// The control state is the intended one: every mutation applied once, the versions counted.
    private func checkExpected() throws {
        let app = try require(expected.items[applicationId], "the application is on the server")
        let profile = try require(expected.items[profileId], "the profile is on the server")
        let appMutations = 1 + Self.firstPatches + 3 + Self.secondPatches + 1
        var problems: [String] = []
        if app.state != "submitted" { problems.append("application state \(app.state)") }
        if app.version != appMutations { problems.append("application version \(app.version), expected \(appMutations)") }
        if app.versions != Array(1...appMutations) { problems.append("application versions \(app.versions)") }
        if app.audit.count != appMutations { problems.append("application audit events \(app.audit.count)") }
        if app.fields["status.innovation"] != .string("第\(Self.secondPatches)版：建设智能调度系统。") {
            problems.append("application innovation \(String(describing: app.fields["status.innovation"]))")
        }
        if profile.version != 3 { problems.append("profile version \(profile.version)") }
        if expected.results.count != mutations || expected.results.values.contains(where: { $0 != "applied" }) {
            problems.append("results \(expected.results.count) of \(mutations), statuses \(Set(expected.results.values))")
        }
        if expected.results.keys.sorted() != Array(1...mutations) { problems.append("result seqs are not 1…\(mutations)") }
        if expected.lastSeq != mutations { problems.append("lastSeq \(expected.lastSeq ?? 0)") }
        guard problems.isEmpty else { throw HarnessError("the control run is wrong: \(problems.joined(separator: "; "))") }
    }

    private func require<T>(_ value: T?, _ what: String) throws -> T {
        guard let value else { throw HarnessError("control run: \(what) is missing") }
        return value
    }

    /// A run's own copies of the snapshots: a server (not started) on the bench's port and a client home.
    func restore(_ run: String) async throws -> (RunServer, ClientHome) {
        let folder = scenario.root.appendingPathComponent("run-\(run)")
        let data = folder.appendingPathComponent("server-data")
        let home = folder.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("server-logs"),
                                                withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: serverSnapshot, to: data)
        try FileManager.default.copyItem(at: homeSnapshot, to: home)
        let server = RunServer(process: ServerProcess(dataDirectory: data, logDirectory: folder.appendingPathComponent("server-logs"),
                                                      port: port),
                               database: ServerDatabase(dataDirectory: data))
        let client = try ClientHome(name: "run-\(run)", directory: home, logDirectory: folder.appendingPathComponent("logs"))
        return (server, client)
    }

    /// Runs `body` on a run's own copies; the run's server is killed and its copies removed
    /// afterwards whatever happens (the copies stay with GREENMINE_E2E_KEEP).
    func withRun<T: Sendable>(_ run: String, _ body: (RunServer, ClientHome) async throws -> T) async throws -> T {
        let (server, client) = try await restore(run)
        defer {
            if !TestRoot.keep { try? FileManager.default.removeItem(at: scenario.root.appendingPathComponent("run-\(run)")) }
        }
        do {
            let result = try await body(server, client)
            await server.process.kill9()
            return result
        } catch {
            print("[e2e] run \(run) failed; server log:\n\(await server.process.log())")
            await server.process.kill9()
            throw error
        }
    }

    /// After the run's final sync: the server holds exactly the control state (no mutation applied
    /// twice or lost), and the client has nothing queued, a sound store and the server's copies.
    func expectConverged(_ server: RunServer, _ client: ClientHome) async throws -> [String] {
        var problems: [String] = []
        let state = try ServerState.read(server.database, client: clientId)
        if state != expected {
            for (id, item) in expected.items where state.items[id] != item {
                let actual = state.items[id]
                problems.append("\(item.kind) \(id.uuidString.prefix(8)): v\(actual?.version ?? 0) \(actual?.state ?? "missing"), versions \(actual?.versions.count ?? 0), audit \(actual?.audit.count ?? 0); expected v\(item.version) \(item.state), versions \(item.versions.count), audit \(item.audit.count); fields differ: \(SampleForms.differences(actual?.fields ?? [:], item.fields))")
            }
            for id in Set(state.items.keys).subtracting(expected.items.keys) {
                problems.append("an unexpected record \(id) on the server")
            }
            if state.results != expected.results { problems.append("mutation results: \(state.results.count) stored, expected \(expected.results.count) all applied; statuses \(Set(state.results.values))") }
            if state.lastSeq != expected.lastSeq { problems.append("lastSeq \(state.lastSeq ?? 0), expected \(expected.lastSeq ?? 0)") }
        }
        let integrity = try server.database.integrityCheck()
        if integrity != ["ok"] { problems.append("server integrity_check: \(integrity)") }
        let outbox = try client.outboxCount()
        if outbox != 0 { problems.append("the client's outbox still holds \(outbox)") }
        let clientIntegrity = try client.integrityCheck()
        if clientIntegrity != ["ok"] { problems.append("client integrity_check: \(clientIntegrity)") }
        let shown = try await client.show("app", applicationId)
        if let stored = expected.items[applicationId],
           SampleForms.typed(shown.record.fields) != stored.fields || shown.base?.version != stored.version || shown.record.state.rawValue != stored.state {
            problems.append("the client's application differs from the server's: v\(shown.base?.version ?? 0) \(shown.record.state)")
        }
        let status = try await client.status()
        if status.queuedChanges != 0 || status.openConflicts != 0 || !status.unseenRejections.isEmpty {
            problems.append("client status: \(status.queuedChanges) queued, \(status.openConflicts) conflicts, refusals \(status.unseenRejections.map { "#\($0.seq) \($0.code)" })")
        }
        return problems
    }
}

/// One crash bench for every crash test of a run (they run one after another on its port).
actor SharedCrashBench {
    static let shared = SharedCrashBench()
    private var preparing: Task<CrashBench, Error>?

    func bench() async throws -> CrashBench {
        if let preparing { return try await preparing.value }
        let task = Task { try await CrashBench.prepare(try await Scenario.shared("crash-bench")) }
        preparing = task
        return try await task.value
    }
}

/// A crash run's server and its database.
struct RunServer: Sendable {
    let process: ServerProcess
    let database: ServerDatabase

    func start() async throws { try await process.start() }
    func stop() async throws { try await process.stop() }
}
