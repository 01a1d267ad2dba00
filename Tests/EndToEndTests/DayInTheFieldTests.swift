import Foundation
import GreenMineShared
import Testing

/// A field engineer's day: everything typed with the server out of reach, then one `greenmine sync`.
@Suite("End to end: a day in the field")
struct DayInTheFieldTests {
    /// The whole day: the pre-application offline with its photo, the province's approval, then the
    /// application offline.
    @Test("pre-application offline, province approves, application offline, sync: the server holds exactly that",
          .enabled("needs greenmine pre attach (issue 5)") { try await ClientFeatures.has(["pre", "attach"]) })
    func wholeDay() async throws {
        try await Scenario.run("day") { scenario in
            try await scenario.server.start()
            let laptop = try await scenario.loggedInHome("ent1", as: "demo-ent1")
            try await laptop.syncOK()
            let photo = try scenario.file("矿区全貌.png", SampleForms.png)

            // Morning at the mine, no network: the pre-application, its photo, check, submit.
            try await scenario.server.stop()
            let morning = Date()
            let created = try await laptop.json(ClientHome.Created.self, [
                "pre", "new", "--region", SampleForms.region, "--license", SampleForms.licence1])
            let preId = created.record.id
            let pre = preId.uuidString.lowercased()
            try await laptop.ok(["pre", "set", pre] + SampleForms.assignments(SampleForms.preApplication))
            try await laptop.ok(["pre", "attach", pre, photo.path])
            try await laptop.ok(["pre", "check", pre])
            try await laptop.ok(["pre", "submit", pre])
            let noon = Date()
            #expect(try await laptop.status().queuedChanges >= 4)

            // Back in reach: sync; the province accepts and approves; sync again.
            try await scenario.server.start()
            try await laptop.syncOK()
            let submitted = try #require(try scenario.database.record(preId))
            #expect(submitted.state == "submitted")
            #expect(submitted.record.attachments.map(\.slot) == ["pre.image"])
            var expectedPre = SampleForms.preApplication
            expectedPre["basic.region"] = .string(SampleForms.region)
            expectedPre["basic.licenceNumber"] = .string(SampleForms.licence1)
            let typed = SampleForms.typed(submitted.record.fields)
            #expect(SampleForms.differences(typed, expectedPre).isEmpty, "\(SampleForms.differences(typed, expectedPre))")
            #expect(ProcessTrail.events(of: submitted.record).map(\.action) == ["submit"])
            try await expectDeviceTimes(laptop, preId, between: morning, and: noon)
            let province = try await APIUser("demo-province", in: scenario)
            try await province.apply(.accept, on: preId)
            try await province.apply(.approve, on: preId)
            try await laptop.syncOK()

            try await applicationOffline(scenario, laptop, preId: preId)
        }
    }

    /// The application half of the day on its own: the approved pre-application is made over the API.
    @Test("application offline: new, set every field, fill a section, check, submit; sync; the server holds exactly that")
    func applicationDay() async throws {
        try await Scenario.run("day-application") { scenario in
            try await scenario.server.start()
            let preId = try await Flows.preApplication(in: scenario, submit: true, approve: true)
            let laptop = try await scenario.loggedInHome("ent1", as: "demo-ent1")
            try await laptop.syncOK()
            try await applicationOffline(scenario, laptop, preId: preId)
        }
    }

    /// With the server stopped: `app new` from the approved pre-application, `app set` of every
    /// field but one section, `app fill` of that section with piped answers, check, submit. Then the
    /// server comes back, one sync, and the server must hold exactly the pre-application (approved)
    /// and the application (submitted, every field as typed), with history showing device times.
    private func applicationOffline(_ scenario: Scenario, _ laptop: ClientHome, preId: UUID) async throws {
        let preShown = try await laptop.show("pre", preId)
        #expect(preShown.record.state == .approved)
        try await scenario.server.stop()
        let start = Date()
        let created = try await laptop.json(ClientHome.Created.self, ["app", "new", "--from", String(preId.uuidString.prefix(8))])
        let id = created.record.id
        let app = String(id.uuidString.lowercased().prefix(6))
        #expect(created.record.fields["basic.licenceNumber"] == .string(SampleForms.licence1))
        #expect(created.record.fields["basic.mineName"] != nil, "filled from the pre-application or the registry cache")

        // Every section but "status" by `app set`, the "status" section answered field by field.
        let status = SampleForms.section("status")
        #expect(status.count == 6)
        let typed = SampleForms.application.filter { !$0.key.hasPrefix("status.") }
        try await laptop.ok(["app", "set", app] + SampleForms.assignments(typed))
        let answers = status.map { SampleForms.typed(SampleForms.application[$0.path] ?? .null) }
        let fill = try await laptop.ok(["app", "fill", app, "--section", "status"], stdin: answers.joined(separator: "\n") + "\n")
        #expect(fill.contains("6"), "the fill reports its six answers: \(fill)")
        // The working copy holds exactly the complete form; every schema field is filled.
        let working = try await laptop.show("app", id).record
        #expect(SampleForms.differences(working.fields, SampleForms.application).isEmpty,
                "\(SampleForms.differences(working.fields, SampleForms.application))")
        #expect(Set(FormSchema.fields(for: .application).map(\.path)) == Set(SampleForms.application.keys),
                "the sample fills every field of the form")
        try await laptop.ok(["app", "check", app])
        try await laptop.ok(["app", "submit", app])
        let end = Date()
        #expect(try await laptop.show("app", id).record.state == .submitted)
        let queued = try laptop.outboxCount()
        #expect(queued == 4, "create, set, fill, submit")

        // Back in reach: one sync sends everything.
        try await scenario.server.start()
        let serverBack = Date()
        let sync = try await laptop.syncOK()
        #expect(sync.stdout.contains("applied"), "\(sync.stdout)")
        #expect(try laptop.outboxCount() == 0)

        let held = try scenario.database.enterpriseRecords()
        #expect(Set(held.keys) == [preId, id], "exactly the pre-application and the application: \(held.keys)")
        let stored = try #require(held[id])
        #expect(stored.kind == "application" && stored.state == "submitted")
        let versions = try scenario.database.versions(of: id)
        #expect(stored.version == 4 && versions == [1, 2, 3, 4], "create, set, fill, submit: \(versions)")
        let typedApplication = SampleForms.typed(stored.record.fields)
        #expect(SampleForms.differences(typedApplication, SampleForms.application).isEmpty,
                "\(SampleForms.differences(typedApplication, SampleForms.application))")
        #expect(ProcessTrail.events(of: stored.record).map(\.action) == ["submit"])
        #expect(stored.record.orgId == SampleForms.application["basic.creditCode"]?.string)
        #expect(try #require(held[preId]).state == "approved")
        #expect(try scenario.database.audit(of: id).map(\.action) == ["create", "patch", "patch", "submit"])

        // 流程监控: every step with the time it was done on the laptop (offline, before the
        // server was back) and the later time the server received it.
        let history = try await expectDeviceTimes(laptop, id, between: start, and: end)
        #expect(history.events.allSatisfy { $0.serverTime >= serverBack.addingTimeInterval(-1) })
        #expect(history.events.last?.toState == .submitted)
        let table = try await laptop.ok(["history", app])
        #expect(table.contains("Device time") && table.contains("Server time"), "\(table)")

        // The laptop agrees with the server.
        let shown = try await laptop.show("app", id)
        #expect(shown.record.state == .submitted && shown.base?.version == 4 && shown.pending.isEmpty)
        #expect(try laptop.integrityCheck() == ["ok"])
    }

    /// The record's history must show device times inside the offline window, each before the time
    /// the server received the step.
    @discardableResult
    private func expectDeviceTimes(_ laptop: ClientHome, _ id: UUID, between start: Date, and end: Date,
                                   sourceLocation: SourceLocation = #_sourceLocation) async throws -> HistoryResponse {
        let history = try await laptop.json(HistoryResponse.self, ["history", id.uuidString.lowercased()])
        #expect(!history.events.isEmpty, sourceLocation: sourceLocation)
        for event in history.events where event.role == .enterprise {
            let device = try #require(event.deviceTime, "\(event.action) has no device time", sourceLocation: sourceLocation)
            #expect(device >= start.addingTimeInterval(-0.002) && device <= end.addingTimeInterval(0.002),
                    "\(event.action): device time \(device) outside the offline window \(start)…\(end)",
                    sourceLocation: sourceLocation)
            #expect(event.serverTime > device, "\(event.action) reached the server after it was done",
                    sourceLocation: sourceLocation)
            #expect(event.actorName == "demo-ent1" || !event.actorName.isEmpty, sourceLocation: sourceLocation)
        }
        return history
    }
}
