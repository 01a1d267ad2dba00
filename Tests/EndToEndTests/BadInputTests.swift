import Foundation
import GreenMineShared
import Testing

/// Bad input typed into the real client is refused at `new`, `set` or `check` with the form schema's
/// own message, queues nothing, and never reaches the server.
@Suite("End to end: bad input")
struct BadInputTests {
    @Test("unknown paths, out-of-bounds values, bad credit codes, coarse regions and malformed licences are refused")
    func refusedWithTheSchemasMessages() async throws {
        try await Scenario.run("bad-input") { scenario in
            try await scenario.server.start()
            let preId = try await Flows.preApplication(in: scenario, submit: true, approve: true)
            let home = try await scenario.loggedInHome("ent1", as: "demo-ent1")
            try await home.syncOK()
            let created = try await home.json(ClientHome.Created.self, ["app", "new", "--from", preId.uuidString])
            let app = created.record.id.uuidString.lowercased()
            let queued = try home.outboxCount()

            /// Runs a command that must be refused; returns the error envelope (`--json`) and the
            /// plain-text error (English).
            func refused(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation)
                async throws -> (APIErrorDetail?, String) {
                let json = try await home.run(arguments + ["--json"])
                #expect(json.status != 0 && !json.signalled, "\(arguments) was accepted: \(json)",
                        sourceLocation: sourceLocation)
                let text = try await home.run(arguments)
                #expect(text.status != 0, sourceLocation: sourceLocation)
                #expect(text.stderr.hasPrefix("error: "), "\(text)", sourceLocation: sourceLocation)
                return (ClientHome.errorEnvelope(json), text.stderr)
            }

            // A path the form does not have.
            let (unknown, unknownText) = try await refused(["app", "set", app, "basic.colour=green"])
            #expect(unknown?.code == "unknown_field")
            #expect(unknownText.contains("basic.colour") && unknownText.contains("contact.mobile"),
                    "the message lists the valid fields: \(unknownText)")

            // Values out of bounds, of the wrong type, an invalid credit code, a bad date.
            let rejectedValues: [(String, String)] = [
                ("indicators.landReclamationRate", "120"),
                ("indicators.employees", "-3"),
                ("basic.area", "0"),
                ("basic.creditCode", "91130101MA0DEM0X15"),
                ("basic.creditCode", "9113010IMA0DEM0X14"),
                ("contact.mobile", "1381234567"),
                ("basic.licenceValidTo", "2031-02-30"),
                ("basic.economicType", "pirate"),
            ]
            for (path, text) in rejectedValues {
                let field = try #require(FormSchema.field(path, kind: .application))
                let expected: RuleViolation
                switch FieldRules.parse(text, for: field) {
                case .failure(let violation): expected = violation
                case .success(let value): expected = try #require(FieldRules.violation(of: value, for: field),
                                                                  "\(path)=\(text) is valid by the schema")
                }
                let (envelope, plain) = try await refused(["app", "set", app, "\(path)=\(text)"])
                #expect(envelope?.code == expected.code, "\(path)=\(text)")
                #expect(envelope?.message == expected.message.en, "\(path)=\(text)")
                #expect(envelope?.messageZh == expected.message.zh, "\(path)=\(text)")
                #expect(plain.contains(expected.message.en), "\(path)=\(text): \(plain)")
            }
            // A value of the wrong type.
            let (wrongType, _) = try await refused(["app", "set", app, "indicators.employees=many"])
            #expect(wrongType?.code == "wrong_type")

            // A malformed licence number, at `pre new` and at `set`.
            for number in ["C13010020201271300000", "C13010020201271300000011", "C130100 2020127130000001", "矿证123"] {
                let expected = try #require(LicenceNumber.validate(number), "\(number) is valid by the schema")
                let (envelope, plain) = try await refused(["pre", "new", "--region", "130102", "--license", number])
                #expect(envelope?.code == expected.code, "\(number)")
                #expect(plain.contains(expected.message.en), "\(number): \(plain)")
                let (atSet, _) = try await refused(["app", "set", app, "basic.licenceNumber=\(number)"])
                #expect(atSet?.code == expected.code, "\(number)")
            }
            // A region code that is no division at all is refused; a coarser one is a warning.
            let unknownRegion = try #require(RegionCode.validate("139999", requireCountyLevel: false))
            let (badRegion, _) = try await refused(["app", "set", app, "basic.region=139999"])
            #expect(badRegion?.code == unknownRegion.code)
            let coarse = try #require(RegionCode.validate("130100", requireCountyLevel: true))
            try await home.ok(["app", "set", app, "basic.region=130100"])
            let check = try await home.run(["app", "check", app, "--json"])
            let findings = try WireCoding.decode([Finding].self, from: Data(check.stdout.utf8))
            let regionFinding = try #require(findings.first { $0.path == "basic.region" }, "\(findings)")
            #expect(regionFinding.severity == .warning)
            #expect(regionFinding.code == coarse.code)
            #expect(regionFinding.message == coarse.message)

            // A required field left empty is refused at check (and submit), with every finding listed.
            try await home.ok(["app", "set", app, "contact.mobile=", "basic.region=130102"])
            let failed = try await home.run(["app", "check", app])
            #expect(failed.status == 1, "\(failed)")
            #expect(failed.stdout.contains("contact.mobile") || failed.stdout.contains("Mobile phone"), "\(failed)")
            let submit = try await home.run(["app", "submit", app])
            #expect(submit.status != 0)
            #expect(submit.stderr.contains("contact.mobile"), "\(submit)")

            // Only the two good `set`s were queued; nothing refused reached the server.
            #expect(try home.outboxCount() == queued + 2)
            try await home.syncOK()
            let stored = try #require(try scenario.database.record(created.record.id))
            #expect(stored.state == "draft")
            #expect(stored.record.fields["contact.mobile"] == nil)
            #expect(stored.record.fields["basic.region"] == .string("130102"))
            #expect(stored.record.fields["indicators.landReclamationRate"] == nil)
            #expect(try home.outboxCount() == 0)
        }
    }
}
