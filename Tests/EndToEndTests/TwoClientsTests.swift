import Foundation
import GreenMineShared
import Testing

/// Two laptops of one enterprise edit the same application offline: different fields merge; the
/// same field conflicts and is resolved once with `--mine` and once with `--theirs`; both converge.
@Suite("End to end: two clients on one application")
struct TwoClientsTests {
    @Test("different fields merge, the same field conflicts and is resolved with --mine and --theirs, both converge")
    func twoClientsConverge() async throws {
        try await Scenario.run("two-clients") { scenario in
            try await scenario.server.start()
            let preId = try await Flows.preApplication(in: scenario, submit: true, approve: true)
            async let homeA = scenario.loggedInHome("a", as: "demo-ent1")
            async let homeB = scenario.loggedInHome("b", as: "demo-ent1")
            let (a, b) = try await (homeA, homeB)
            #expect(try a.clientId() != b.clientId())

            // A makes the application and fills it; B fetches it.
            try await a.syncOK()
            let created = try await a.json(ClientHome.Created.self, ["app", "new", "--from", preId.uuidString])
            let id = created.record.id
            let app = id.uuidString.lowercased()
            try await a.ok(["app", "set", app] + SampleForms.assignments(SampleForms.application))
            try await a.syncOK()
            try await b.syncOK()
            #expect(try await b.show("app", id).record.fields == SampleForms.application)
            let start = try #require(try scenario.database.record(id)).version

            // Round 1: different fields, offline on both; whoever syncs second is merged.
            try await a.ok(["app", "set", app, "contact.person=王五"])
            try await b.ok(["app", "set", app, "contact.mobile=13900001111"])
            try await a.syncOK()
            let merged = try await b.syncOK()
            #expect(merged.stdout.contains("merged"), "B's change lands on A's newer version: \(merged.stdout)")
            try await a.syncOK()
            for home in [a, b] {
                let fields = try await home.show("app", id).record.fields
                #expect(fields["contact.person"] == .string("王五"), "\(home.name)")
                #expect(fields["contact.mobile"] == .string("13900001111"), "\(home.name)")
            }

            // Round 2: the same field (and one more on B). B's sync reports the conflict; B keeps its own value.
            try await a.ok(["app", "set", app, "indicators.employees=250"])
            try await b.ok(["app", "set", app, "indicators.employees=260", "contact.email=b@example.com"])
            try await a.syncOK()
            let conflicted = try await b.sync()
            #expect(conflicted.status == 2, "a conflict is not a clean sync: \(conflicted)")
            #expect(conflicted.stdout.contains("conflict") || conflicted.stderr.contains("conflict"), "\(conflicted)")
            #expect(try await b.status().openConflicts == 1)
            let conflicts = try await b.json([ClientHome.Conflict].self, ["conflicts"])
            #expect(conflicts.count == 1)
            let conflict = try #require(conflicts.first)
            #expect(conflict.recordId == id)
            #expect(conflict.path == "indicators.employees")
            #expect(conflict.mine == .int(260))
            #expect(conflict.theirs == .int(250))
            var stored = try #require(try scenario.database.record(id))
            #expect(stored.record.fields["indicators.employees"] == .int(250), "the server kept A's value")
            #expect(stored.record.fields["contact.email"] == .string("b@example.com"), "B's other field was applied")
            try await b.ok(["conflicts", "resolve", app, "--mine"])
            #expect(try await b.status().openConflicts == 0)
            try await b.syncOK()
            try await a.syncOK()
            stored = try #require(try scenario.database.record(id))
            #expect(stored.record.fields["indicators.employees"] == .int(260), "--mine sent B's value again")

            // Round 3: the same field again; this time B syncs first and A gives way with --theirs.
            try await a.ok(["app", "set", app, "status.innovation=A：建设无人驾驶矿卡调度。"])
            try await b.ok(["app", "set", app, "status.innovation=B：建设5G智能矿山平台。"])
            try await b.syncOK()
            let conflictedA = try await a.sync()
            #expect(conflictedA.status == 2, "\(conflictedA)")
            let conflictsA = try await a.json([ClientHome.Conflict].self, ["conflicts"])
            #expect(conflictsA.map(\.path) == ["status.innovation"])
            let conflictId = try #require(conflictsA.first).id.uuidString.lowercased()
            try await a.ok(["conflicts", "resolve", String(conflictId.prefix(8)), "--theirs"])
            #expect(try a.outboxCount() == 0, "--theirs queues nothing")
            try await a.syncOK()
            try await b.syncOK()

            // Both converge on the server's copy, with nothing queued and nothing open.
            stored = try #require(try scenario.database.record(id))
            var expected = SampleForms.application
            expected["contact.person"] = .string("王五")
            expected["contact.mobile"] = .string("13900001111")
            expected["contact.email"] = .string("b@example.com")
            expected["indicators.employees"] = .int(260)
            expected["status.innovation"] = .string("B：建设5G智能矿山平台。")
            #expect(SampleForms.differences(stored.record.fields, expected).isEmpty,
                    "\(SampleForms.differences(stored.record.fields, expected))")
            for home in [a, b] {
                let shown = try await home.show("app", id)
                #expect(SampleForms.differences(shown.record.fields, stored.record.fields).isEmpty,
                        "\(home.name): \(SampleForms.differences(shown.record.fields, stored.record.fields))")
                #expect(shown.base?.version == stored.version, "\(home.name)")
                #expect(shown.pending.isEmpty, "\(home.name)")
                let status = try await home.status()
                #expect(status.queuedChanges == 0 && status.openConflicts == 0, "\(home.name)")
                #expect(try home.integrityCheck() == ["ok"])
            }
            // Versions: A's edit, B's merge, A's edit, B's partial apply, B's --mine, B's edit
            // (A's refused change applied nothing, so it made no version).
            let versions = try scenario.database.versions(of: id)
            #expect(stored.version == start + 6, "versions \(versions)")
            #expect(versions == Array(1...stored.version))
        }
    }
}
