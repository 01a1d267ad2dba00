import Crypto
import Foundation
import GreenMineShared
import Testing

/// Every role of DESIGN.md §3 through the real `greenmine` binary, each in its own home logged in
/// as that demo account, against the real `greenmine-server`: the whole workflow, and every refusal.
@Suite("End to end: review, assessment, certificates and appeals for every role")
struct AuthorityWorkflowTests {
    /// Each role's own laptop, logged in as that demo account.
    struct Desks {
        var enterprise: ClientHome
        var county: ClientHome
        var city: ClientHome
        var province: ClientHome
        var assessor: ClientHome
        var ministry: ClientHome

        init(_ scenario: Scenario) async throws {
            let homes = try await scenario.loggedInHomes([
                "ent1": "demo-ent1", "county": "demo-county", "city": "demo-city", "province": "demo-province",
                "assessor": "demo-assessor", "ministry": "demo-ministry",
            ])
            func home(_ name: String) throws -> ClientHome {
                guard let home = homes[name] else { throw HarnessError("no home \(name)") }
                return home
            }
            enterprise = try home("ent1")
            county = try home("county")
            city = try home("city")
            province = try home("province")
            assessor = try home("assessor")
            ministry = try home("ministry")
        }
    }

    /// `--json` answers that carry the record made.
    struct Made: Decodable, Sendable {
        var record: GreenMineShared.Record
    }

    // MARK: - The whole workflow

    @Test("pre-application to certificate, removal, revocation, an upheld appeal and a new certificate: every step a greenmine process of its role")
    func wholeWorkflow() async throws {
        try await Scenario.run("authority-workflow") { scenario in
            try await scenario.server.start()
            let desks = try await Desks(scenario)
            let (enterprise, province) = (desks.enterprise, desks.province)

            // The enterprise pre-applies with a photo and submits.
            let photo = try scenario.file("矿区全景.jpg", Authority.jpeg(seed: 1))
            let preId = try await enterprise.json(Made.self, [
                "pre", "new", "--region", SampleForms.region, "--license", SampleForms.licence1]).record.id
            let pre = Authority.short(preId)
            try await enterprise.ok(["pre", "set", pre] + SampleForms.assignments(SampleForms.preApplication))
            try await enterprise.ok(["pre", "attach", pre, photo.path])
            try await enterprise.ok(["pre", "submit", pre])
            try await enterprise.syncOK()
            #expect(try scenario.database.record(preId)?.state == "submitted")

            // The province accepts and approves the pre-application.
            try await province.syncOK()
            let waiting = try await province.listed(["review", "list", "--state", "submitted"])
            #expect(waiting.map(\.id) == [preId], "the province's list: \(waiting)")
            try await province.ok(["review", "accept", pre])
            try await province.ok(["review", "approve", pre])
            try await province.syncOK()
            #expect(try scenario.database.record(preId)?.state == "approved")

            // The application, from the pre-application, with a PDF and an image; submitted.
            try await enterprise.syncOK()
            let appId = try await enterprise.json(Made.self, ["app", "new", "--from", pre]).record.id
            let app = Authority.short(appId)
            try await enterprise.ok(["app", "set", app] + SampleForms.assignments(SampleForms.application))
            let plan = try scenario.file("开发利用方案.pdf", Authority.pdf("开发利用方案"))
            let site = try scenario.file("排土场复绿.jpg", Authority.jpeg(seed: 2))
            try await enterprise.ok(["app", "attach", app, "--slot", "pdf", plan.path])
            try await enterprise.ok(["app", "attach", app, "--slot", "image", site.path])
            try await enterprise.ok(["app", "submit", app])
            try await enterprise.syncOK()
            let submitted = try #require(try scenario.database.record(appId))
            #expect(submitted.state == "submitted")
            #expect(submitted.record.attachments.map(\.slot).sorted() == ["app.image", "app.pdf"])
            // The form as typed; the process trail is the server's (issue 14), checked on its own.
            let typed = SampleForms.typed(submitted.record.fields)
            #expect(SampleForms.differences(typed, SampleForms.application).isEmpty,
                    "\(SampleForms.differences(typed, SampleForms.application))")
            #expect(ProcessTrail.events(of: submitted.record).map(\.action) == ["submit"])

            // The county and the city give their opinions on the submitted application (a county-level
            // record inside the city: the workflow table lets both opine).
            try await desks.county.syncOK()
            let countySays = try await desks.county.ok(["review", "opinion", app, "--comment", "材料齐全，同意上报"])
            #expect(countySays.contains("Opinion on application \(app) queued"), "\(countySays)")
            try await desks.county.syncOK()
            try await desks.city.syncOK()
            try await desks.city.ok(["review", "opinion", app, "--comment", "市级初审：同意"])
            try await desks.city.syncOK()
            #expect(try scenario.database.record(appId)?.state == "submitted", "an opinion changes no state")

            // The province accepts and assigns the assessment agency.
            try await province.syncOK()
            try await province.ok(["review", "accept", app])
            let assigned = try await province.ok(["review", "assign", app, "--agency", Authority.agency])
            #expect(assigned.contains("Agency: \(Authority.agency)"), "\(assigned)")
            try await province.syncOK()
            let assessing = try #require(try scenario.database.record(appId))
            #expect(assessing.state == "assessing")
            #expect(assessing.record.fields[WorkflowFields.agency] == .string(Authority.agency))

            // The assessor scores everything at 90%, attaches the report and submits.
            let assessor = desks.assessor
            try await assessor.syncOK()
            let toAssess = try await assessor.json([Authority.Assessing].self, ["assess", "list"])
            #expect(toAssess.map(\.id) == [appId] && toAssess.first?.state == .assessing, "\(toAssess)")
            #expect(try await assessor.ok(["assess", "list"]).contains(app))
            try await assessor.ok(["assess", "score", app] + Authority.scoreArguments(share: 0.9, summary: "现场核查完成"))
            let report = try scenario.file("评估报告.pdf", Authority.pdf("评估报告"))
            try await assessor.ok(["assess", "report", app, report.path])
            try await assessor.ok(["assess", "submit", app])
            try await assessor.syncOK()
            #expect(try scenario.database.record(appId)?.state == "assessed")
            let assessments = try scenario.database.records().values.filter {
                $0.kind == "assessment" && $0.record.parentId == appId
            }
            #expect(assessments.count == 1)
            #expect(assessments.first?.record.attachments.map(\.name) == ["评估报告.pdf"])

            // The province sees the score, the opinions and the files, and approves.
            try await province.syncOK()
            let shown = try await province.ok(["review", "show", app])
            for text in ["Total: 900 of 1000", "材料齐全，同意上报", "市级初审：同意", "评估报告.pdf", "开发利用方案.pdf",
                         "排土场复绿.jpg"] {
                #expect(shown.contains(text), "review show lacks \(text):\n\(shown)")
            }
            try await province.ok(["review", "approve", app])
            try await province.syncOK()
            #expect(try scenario.database.record(appId)?.state == "approved")
            let issued = try scenario.database.records().values.filter {
                $0.kind == "certificate" && $0.record.parentId == appId
            }
            #expect(issued.count == 1, "approving the application issues one certificate")

            // The enterprise downloads the certificate; with the server stopped, it verifies offline.
            try await enterprise.syncOK()
            let folder = scenario.root.appendingPathComponent("证书")
            let downloaded = try await enterprise.json(Authority.Downloaded.self,
                                                       ["cert", "download", app, "--out", folder.path])
            let number = downloaded.certificate.body.number
            #expect(number.hasPrefix("GM130000-"), "\(number)")
            #expect(downloaded.certificate.status == .valid && downloaded.fromServer)
            #expect(downloaded.certificate.body.mineName == SampleForms.application["basic.mineName"]?.string)
            #expect(downloaded.certificate.body.score == 900)
            let html = try String(contentsOfFile: downloaded.html, encoding: .utf8)
            #expect(html.contains(number) && html.contains("长安区绿源石灰岩矿"))
            let address = try await scenario.url.absoluteString + "/verify/" + number
            #expect(html.contains("在线验证：" + address), "the printable certificate shows its public verification page")
            let file = downloaded.json
            try await scenario.server.stop()
            let valid = try await enterprise.run(["cert", "verify", file])
            #expect(valid.exitedCleanly, "\(valid)")
            #expect(valid.stdout.contains("Certificate: \(number)") && valid.stdout.contains("Result: ✓ valid"), "\(valid)")
            try await scenario.server.start()

            // The ministry removes the mine; once synced, the same file verifies as revoked (exit 2).
            let ministry = desks.ministry
            try await ministry.syncOK()
            let removing = try await ministry.ok(["review", "remove", app, "--reason", "抽查发现问题"])
            #expect(removing.contains("revokes the mine's certificate"), "\(removing)")
            try await ministry.syncOK()
            #expect(try scenario.database.record(appId)?.state == "removed")
            try await enterprise.syncOK()
            let revoked = try await enterprise.run(["cert", "verify", file])
            #expect(!revoked.signalled && revoked.status == 2, "\(revoked)")
            #expect(revoked.stdout.contains("revoked on") && revoked.stdout.contains("抽查发现问题"), "\(revoked)")
            let certificateRecord = try #require(try scenario.database.records().values.first {
                $0.kind == "certificate" && $0.record.parentId == appId
            })
            let stored = try WireCoding.decode(SignedCertificate.self, from: Data(
                (certificateRecord.record.fields[SignedCertificate.fieldPath]?.string ?? "").utf8))
            #expect(stored.status == .revoked && stored.revocationReason == "抽查发现问题" && stored.body.number == number)
            // A copy downloaded now carries the server's signed revocation itself.
            let later = try await enterprise.json(Authority.Downloaded.self, [
                "cert", "download", app, "--out", scenario.root.appendingPathComponent("证书-移出后").path])
            #expect(later.certificate.status == .revoked && later.certificate.revocationSignature != nil)
            try await scenario.server.stop()
            let fromFile = try await enterprise.run(["cert", "verify", later.json, "--json"])
            #expect(!fromFile.signalled && fromFile.status == 2, "\(fromFile)")
            let verdict = try WireCoding.decode(Authority.Verified.self, from: Data(fromFile.stdout.utf8))
            #expect(verdict.verdict == "revoked" && verdict.revokedOn == later.certificate.revokedOn, "\(verdict)")
            try await scenario.server.start()

            // The enterprise appeals the removal; the province accepts and approves the appeal.
            let evidence = try scenario.file("整改报告.pdf", Authority.pdf("整改报告"))
            let appealId = try await enterprise.json(Made.self, [
                "appeal", "new", app, "--reason", "已完成整改，请求恢复", evidence.path]).record.id
            try await enterprise.syncOK()
            let appealed = try #require(try scenario.database.record(appealId))
            #expect(appealed.kind == "appeal" && appealed.state == "submitted" && appealed.record.parentId == appId)
            #expect(appealed.record.attachments.map(\.slot) == ["appeal.file"])
            try await province.syncOK()
            let appeals = try await province.listed(["review", "list", "--state", "submitted"])
            #expect(appeals.map(\.id) == [appealId] && appeals.first?.kind == .appeal, "\(appeals)")
            let appeal = Authority.short(appealId)
            try await province.ok(["review", "accept", appeal])
            try await province.ok(["review", "approve", appeal, "--comment", "整改到位"])
            try await province.syncOK()
            #expect(try scenario.database.record(appealId)?.state == "approved")
            #expect(try scenario.database.audit(of: appealId).map(\.action) == ["create", "attach", "submit", "accept", "approve"])

            // Upheld: the mine is listed again with a new certificate; the old one stays revoked.
            #expect(try scenario.database.record(appId)?.state == "approved")
            try await enterprise.syncOK()
            let relisted = try await enterprise.json(Authority.Downloaded.self, [
                "cert", "download", app, "--out", scenario.root.appendingPathComponent("证书-申诉后").path])
            #expect(relisted.certificate.status == .valid && relisted.certificate.body.number != number, "\(relisted.certificate.body)")
            try await scenario.server.stop()
            #expect(try await enterprise.run(["cert", "verify", relisted.json]).status == 0)
            #expect(try await enterprise.run(["cert", "verify", later.json]).status == 2, "the old certificate stays revoked")
            try await scenario.server.start()

            // 流程监控: every role's step, by the account that took it.
            try await enterprise.syncOK()
            let history = try await enterprise.json(HistoryResponse.self, ["history", app])
            let steps = history.events.map { "\($0.action) \($0.role.rawValue) \($0.actorName)" }
            for step in ["create enterprise demo-ent1", "submit enterprise demo-ent1", "opinion county demo-county",
                         "opinion city demo-city", "accept province demo-province", "assign province demo-province",
                         "completeAssessment assessor demo-assessor", "approve province demo-province",
                         "remove ministry demo-ministry"] {
                #expect(steps.contains(step), "history lacks “\(step)”: \(steps)")
            }
            #expect(history.events.contains { $0.action == "issueCertificate" })
            #expect(history.events.contains { $0.action == "revokeCertificate" })
            #expect(history.events.first { $0.role == .county }?.comment == "材料齐全，同意上报")
            #expect(history.events.first { $0.action == "remove" }?.comment == "抽查发现问题")
            let table = try await enterprise.ok(["history", app])
            for label in ["submit", "opinion", "accept", "assign", "complete assessment", "approve", "certificate issued",
                          "remove", "certificate revoked", "appeal upheld", "demo-county", "demo-city", "demo-assessor",
                          "demo-ministry"] {
                #expect(table.contains(label), "the history table lacks \(label)")
            }
            let preHistory = try await enterprise.json(HistoryResponse.self, ["history", pre])
            #expect(preHistory.events.filter { $0.role == .province }.map(\.action) == ["accept", "approve"])

            // The server's audit trail holds the same steps in order.
            let audit = try scenario.database.audit(of: appId).map(\.action).filter { !["patch", "attach"].contains($0) }
            #expect(audit == ["create", "submit", "opinion", "opinion", "accept", "assign", "completeAssessment", "approve",
                              "issueCertificate", "remove", "revokeCertificate", "upholdAppeal", "issueCertificate"], "\(audit)")
        }
    }

    // MARK: - Refusals on the way to an approval

    @Test("refused: withdrawal after acceptance, approval before or without a passing assessment, a county's approval, another agency's assessor")
    func refusalsBeforeApproval() async throws {
        try await Scenario.run("authority-refusals") { scenario in
            // An assessor of another agency, made with the real admin binary before the server starts.
            let otherPassword = "Qita2026pinggu"
            _ = try await scenario.serverAdmin(["agencies", "add", "其他评估机构"])
            try await scenario.addAccount("other-assessor", role: .assessor, password: otherPassword, agency: "其他评估机构")
            try await scenario.server.start()
            let preId = try await Flows.preApplication(in: scenario, submit: true, approve: true)  // set-up over HTTP
            let other = try scenario.home("other-assessor")
            async let otherLogin: Void = other.login(server: try await scenario.url, user: "other-assessor",
                                                     password: otherPassword)
            let homes = try await scenario.loggedInHomes(["ent1": "demo-ent1", "province": "demo-province",
                                                          "county": "demo-county", "assessor": "demo-assessor"])
            try await otherLogin
            let (enterprise, province) = (try #require(homes["ent1"]), try #require(homes["province"]))
            let (county, assessor) = (try #require(homes["county"]), try #require(homes["assessor"]))

            // The enterprise submits its application; the province accepts it.
            try await enterprise.syncOK()
            let appId = try await enterprise.json(Made.self, ["app", "new", "--from", Authority.short(preId)]).record.id
            let app = Authority.short(appId)
            try await enterprise.ok(["app", "set", app] + SampleForms.assignments(SampleForms.application))
            try await enterprise.ok(["app", "submit", app])
            try await enterprise.syncOK()
            try await province.syncOK()
            try await province.ok(["review", "accept", app])
            try await province.syncOK()

            // Withdrawal after acceptance.
            try await enterprise.syncOK()
            try await enterprise.refused(["app", "withdraw", app], saying: [
                "error: only a submitted record that no reviewer has acted on can be withdrawn; this one is under review"])
            #expect(try enterprise.outboxCount() == 0, "a refused withdrawal queues nothing")

            // Approval before any assessment: under review, then assigned but not yet assessed.
            try await province.refused(["review", "approve", app], saying: [
                "error: cannot approve a record that is under review; it must be assessed"])
            // Approval by a county reviewer.
            try await county.syncOK()
            try await county.refused(["review", "approve", app], saying: [
                "error: only a province reviewer may approve; you are a county reviewer"])
            #expect(try county.outboxCount() == 0)
            try await province.ok(["review", "assign", app, "--agency", Authority.agency])
            try await province.refused(["review", "approve", app], saying: [
                "error: cannot approve a record that is assessing; it must be assessed"])
            try await province.syncOK()
            #expect(try province.outboxCount() == 0, "only the accept and the assignment went out")
            #expect(try scenario.database.record(appId)?.state == "assessing")

            // An assessor of another agency never sees the application and cannot score it.
            try await other.syncOK()
            #expect(try await other.json([Authority.Assessing].self, ["assess", "list"]).isEmpty)
            #expect(!(try await other.ok(["assess", "list"])).contains(app))
            let full = appId.uuidString.lowercased()
            try await other.refused(["assess", "score", full, "--prerequisite", "P1=yes"], saying: [
                "error: no application here has an id starting with '\(full)'"])
            try await other.refused(["history", full], saying: ["error: no such record"])
            #expect(try other.outboxCount() == 0)
            // Even pushing an assessment of it over the API: the server refuses, without saying whether
            // the application exists.
            let intruder = try await APIAccount("other-assessor", in: scenario, password: otherPassword)
            let pushed = try await intruder.push(UUID(), .assessment, .create, set: Authority.scoreFields(share: 1),
                                                 parent: appId)
            #expect(pushed.status == .rejected, "\(pushed)")
            #expect(pushed.error?.code == "parent_not_found", "\(String(describing: pushed.error))")

            // The agency's assessor submits a complete but failing assessment (every item at 50%).
            try await assessor.syncOK()
            try await assessor.ok(["assess", "score", app] + Authority.scoreArguments(share: 0.5, summary: "多项指标未达标"))
            try await assessor.refused(["assess", "submit", app], saying: ["assessment report (PDF) is missing"])
            let failingReport = try scenario.file("未达标评估报告.pdf", Authority.pdf("评估报告（未达标）"))
            try await assessor.ok(["assess", "report", app, failingReport.path])
            try await assessor.ok(["assess", "submit", app])
            try await assessor.syncOK()
            #expect(try scenario.database.record(appId)?.state == "assessed")
            let assessments = try scenario.database.records().values.filter { $0.kind == "assessment" }
            #expect(assessments.count == 1 && assessments.first?.record.parentId == appId,
                    "only the assigned agency's assessment is on the server")

            // Approval of a failing assessment: refused, naming the rules that fail.
            try await province.syncOK()
            let total = Authority.points(Authority.total(share: 0.5))
            #expect(try await province.ok(["review", "show", app]).contains("Total: \(total) of 1000"))
            try await province.refused(["review", "approve", app], saying: [
                "error: the assessment does not pass the catalogue's rules",
                "Total \(total) points is below the pass mark of 800 (of 1000)",
                "Primary “1 Mine-site environment” has 60 points, below 75% of its maximum 120 (90 points)"])
            #expect(try province.outboxCount() == 0)
            // The server decides the same when the client is bypassed.
            let direct = try await APIAccount("demo-province", in: scenario).fire(.approve, on: appId)
            #expect(direct.status == .rejected && direct.error?.code == "assessment_failed", "\(direct)")
            #expect(try scenario.database.record(appId)?.state == "assessed")
            #expect(try scenario.database.records().values.allSatisfy { $0.kind != "certificate" }, "no certificate issued")
        }
    }

    // MARK: - Refusals on an approved application

    @Test("refused: an appeal on an approved record; a certificate altered, signed with another key, or falsely marked revoked")
    func refusalsOnApprovedApplication() async throws {
        try await Scenario.run("authority-approved") { scenario in
            try await scenario.server.start()
            let (preId, appId) = try await Flows.approvedApplication(in: scenario)  // set-up over HTTP
            let enterprise = try await scenario.loggedInHome("ent1", as: "demo-ent1")
            try await enterprise.syncOK()
            let app = Authority.short(appId)

            // An appeal on the approved application, and on the approved pre-application.
            let approvedOnly = "error: an appeal can be filed only on a rejected or removed record; this one is approved"
            try await enterprise.refused(["appeal", "new", app, "--reason", "不服"], saying: [approvedOnly])
            try await enterprise.refused(["appeal", "new", Authority.short(preId), "--reason", "不服"], saying: [approvedOnly])
            #expect(try enterprise.outboxCount() == 0)
            // The server refuses it too when the client is bypassed.
            let direct = try await APIAccount("demo-ent1", in: scenario).push(
                UUID(), .appeal, .create, set: ["appeal.reason": .string("不服")], parent: appId)
            #expect(direct.status == .rejected && direct.error?.code == "appeal_not_allowed", "\(direct)")
            #expect(try scenario.database.records().values.allSatisfy { $0.kind != "appeal" })

            // The genuine certificate verifies.
            let folder = scenario.root.appendingPathComponent("证书")
            let downloaded = try await enterprise.json(Authority.Downloaded.self,
                                                       ["cert", "download", app, "--out", folder.path])
            let genuine = downloaded.certificate
            #expect(genuine.status == .valid && genuine.body.score == Authority.total(share: 0.9))
            #expect(try await enterprise.run(["cert", "verify", downloaded.json]).exitedCleanly)

            /// Writes a changed copy of the certificate and verifies it: it must fail (exit 1) and say why.
            func expectForged(_ name: String, _ certificate: SignedCertificate, code: String, saying message: String,
                              sourceLocation: SourceLocation = #_sourceLocation) async throws {
                let url = folder.appendingPathComponent(name)
                try WireCoding.encode(certificate).write(to: url)
                let outcome = try await enterprise.refused(["cert", "verify", url.path], saying: ["error: " + message],
                                                           sourceLocation: sourceLocation)
                #expect(outcome.stdout.contains("Result: ✗"), "\(outcome)", sourceLocation: sourceLocation)
                let verified = try WireCoding.decode(Authority.Verified.self, from: Data(
                    (try await enterprise.run(["cert", "verify", url.path, "--json"])).stdout.utf8))
                #expect(verified.verdict == "forged" && verified.code == code, "\(verified)", sourceLocation: sourceLocation)
            }

            // (a) One field altered: the score, then the mine's name.
            let contentChanged = "forged or altered: the certificate's content does not match the server's signature"
            var higher = genuine
            higher.body.score = 999
            try await expectForged("score.json", higher, code: "signature_invalid", saying: contentChanged)
            var renamed = genuine
            renamed.body.mineName = "别处的矿"
            try await expectForged("mine.json", renamed, code: "signature_invalid", saying: contentChanged)

            // (b) Signed with another Ed25519 key: under a key id of its own, and under the server's.
            let forger = Curve25519.Signing.PrivateKey()
            func signed(_ body: CertificateBody) throws -> SignedCertificate {
                let signature = try forger.signature(for: body.canonicalBytes())
                return SignedCertificate(body: body, signature: signature.base64EncodedString(), status: .valid)
            }
            var ownKey = genuine.body
            ownKey.keyId = "forger-1"
            try await expectForged("own-key.json", try signed(ownKey), code: "unknown_key", saying:
                "forged or altered: it names the signing key forger-1, which is not a key this device knows")
            try await expectForged("server-key-id.json", try signed(genuine.body), code: "signature_invalid",
                                   saying: contentChanged)

            // A genuine certificate marked revoked by hand: the revocation is not the server's.
            var marked = genuine
            marked.status = .revoked
            marked.revokedOn = "2026-01-01"
            marked.revocationSignature = try forger.signature(
                for: CertificateBody.revocationStatement(number: genuine.body.number, revokedOn: "2026-01-01"))
                .base64EncodedString()
            try await expectForged("marked.json", marked, code: "revocation_invalid", saying:
                "altered: the file says revoked, but its revocation statement is not signed by the server")

            // Not a certificate at all.
            let junk = try scenario.file("junk.json", Data("{\"hello\": 1}".utf8))
            try await enterprise.refused(["cert", "verify", junk.path], saying: ["is not a signed certificate"])
            // And the genuine file still verifies.
            let again = try await enterprise.run(["cert", "verify", downloaded.json])
            #expect(again.exitedCleanly && again.stdout.contains("Result: ✓ valid"), "\(again)")
        }
    }

    // MARK: - Password resets

    @Test("refused: a province resetting an account of another province; a reset inside it prints a password that must be changed")
    func passwordResets() async throws {
        try await Scenario.run("authority-resets") { scenario in
            // An enterprise of Guangdong (荔湾区, 440103), made with the real admin binary.
            let creditCode = try Authority.creditCode(region: "440103", organisation: "MA0GD0X01")
            try await scenario.serverAdmin(["orgs", "add", "--credit-code", creditCode, "--name", "广州荔湾示范矿业有限公司",
                                            "--region", "440103"])
            let guangdongPassword = "Guangdong2026kuang"
            let guangdongId = try await scenario.addAccount("gd-ent1", role: .enterprise, password: guangdongPassword,
                                                            org: creditCode)
            try await scenario.server.start()
            // A submitted pre-application, so the province's store has demo-ent1 in a process history.
            _ = try await Flows.preApplication(in: scenario, submit: true, approve: false)
            let homes = try await scenario.loggedInHomes(["province": "demo-province", "ent1": "demo-ent1",
                                                          "county": "demo-county"])
            let (province, enterprise, county) = (try #require(homes["province"]), try #require(homes["ent1"]),
                                                  try #require(homes["county"]))
            try await province.syncOK()

            // Outside the province: refused by the server, and the account is untouched (its password
            // still logs in, with no change asked).
            try await province.refused(["admin", "reset-password", guangdongId], saying: [
                "error: a province may reset only enterprise accounts of its own province"])
            let guangdong = try scenario.home("gd-ent1")
            try await guangdong.login(server: try await scenario.url, user: "gd-ent1", password: guangdongPassword)
            try await guangdong.syncOK()
            #expect(try await guangdong.ok(["whoami"]).contains("gd-ent1"))
            // Only a province or the ministry resets at all.
            try await county.refused(["admin", "reset-password", "demo-ent1"], saying: [
                "error: only a province (its enterprises) or the ministry may reset passwords; you are a county reviewer"])

            // Inside the province, by user name: the initial password is printed once.
            let printed = try await province.ok(["admin", "reset-password", "demo-ent1"])
            #expect(printed.contains("The password of demo-ent1 was reset. Initial password (shown only this once):"),
                    "\(printed)")
            let lines = printed.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            let initial = try #require(lines.firstIndex { $0.hasPrefix("The password of demo-ent1") }
                .flatMap { lines.indices.contains($0 + 1) ? lines[$0 + 1] : nil }, "\(printed)")
            #expect(initial.count >= 8 && !initial.contains(" "), "\(initial)")

            // Every session of demo-ent1 ended; the old password no longer works.
            let ended = try await enterprise.sync()
            #expect(ended.status == 1, "\(ended)")
            #expect(ended.stderr.contains("log in again"), "\(ended)")
            let laptop = try scenario.home("ent1-after-reset")
            let old = try await laptop.run(["login", "--server", try await scenario.url.absoluteString, "--user", "demo-ent1",
                                            "--password-stdin"], stdin: try scenario.password("demo-ent1") + "\n")
            #expect(old.status == 1 && old.stderr.contains("error: wrong username or password"), "\(old)")

            // The initial password logs in, but nothing works until it is changed.
            let login = try await laptop.run(["login", "--server", try await scenario.url.absoluteString, "--user",
                                              "demo-ent1", "--password-stdin"], stdin: initial + "\n")
            #expect(login.exitedCleanly, "\(login)")
            #expect(login.stderr.contains("An administrator reset your password: run greenmine passwd now"), "\(login)")
            let mustChange = "error: your password was reset by an administrator and must be changed first: run greenmine passwd"
            try await laptop.refused(["pre", "list"], saying: [mustChange])
            try await laptop.refused(["sync"], saying: ["must be changed"])
            let newPassword = "Lvse2026kuangshan"
            let changed = try await laptop.ok(["passwd"], stdin: "\(initial)\n\(newPassword)\n\(newPassword)\n")
            #expect(changed.contains("Password changed."), "\(changed)")
            try await laptop.ok(["pre", "list"])
            try await laptop.syncOK()
            // The new password is the one that works from now on.
            let fresh = try scenario.home("ent1-new-password")
            try await fresh.login(server: try await scenario.url, user: "demo-ent1", password: newPassword)
            try await fresh.syncOK()
        }
    }
}
