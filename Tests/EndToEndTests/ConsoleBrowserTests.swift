import Foundation
import GreenMineShared
import Testing

/// The reviewers' web console in a real browser (headless Debian chromium driven by chromedriver):
/// the main job from the authorities' side on the real `greenmine-server`, with the enterprise's
/// application arriving by `greenmine sync`. One browser at a time (each is a few hundred MB).
@Suite("End to end: the web console in a real browser", .serialized)
struct ConsoleBrowserTests {
    /// The enterprise's application, made offline with the real client and synced: its id and the
    /// enterprise's home.
    static func applicationBySync(_ scenario: Scenario) async throws -> (UUID, ClientHome) {
        let pre = try await Flows.preApplication(in: scenario, submit: true, approve: true)
        let enterprise = try await scenario.loggedInHome("ent1", as: "demo-ent1")
        try await enterprise.syncOK()
        let appId = try await enterprise.json(AuthorityWorkflowTests.Made.self, [
            "app", "new", "--from", Authority.short(pre)]).record.id
        let app = Authority.short(appId)
        try await enterprise.ok(["app", "set", app] + SampleForms.assignments(SampleForms.application))
        let plan = try scenario.file("开发利用方案.pdf", Authority.pdf("开发利用方案"))
        let site = try scenario.file("排土场复绿.png", PictureMaker.png(width: 480, height: 300, seed: 2))
        try await enterprise.ok(["app", "attach", app, "--slot", "pdf", plan.path])
        try await enterprise.ok(["app", "attach", app, "--slot", "image", site.path])
        try await enterprise.ok(["app", "submit", app])
        try await enterprise.syncOK()
        #expect(try scenario.database.record(appId)?.state == "submitted")
        return (appId, enterprise)
    }

    static func withBrowser<T: Sendable>(_ scenario: Scenario, language: String = "zh-CN",
                                         _ body: (Browser) async throws -> T) async throws -> T {
        let browser = try await Browser.start(logs: scenario.root.appendingPathComponent("browser"), language: language)
        do {
            let result = try await body(browser)
            await browser.quit()
            return result
        } catch {
            print("[e2e] browser at \((try? browser.currentURL) ?? "?"):\n\((try? browser.text) ?? "")")
            await browser.quit()
            throw error
        }
    }

    @Test("county and city opinions, acceptance, assignment, scoring, approval, verification and removal, in the browser")
    func mainJob() async throws {
        try await Scenario.run("console-browser-main") { scenario in
            let base = try await scenario.server.start()
            let (appId, _) = try await Self.applicationBySync(scenario)
            let record = "/console/records/\(appId.wireString)"
            try await Self.withBrowser(scenario) { browser in
                // The county: the application waits in its queue; it opens it and gives its opinion.
                try browser.logIn(base, "demo-county", try scenario.password("demo-county"))
                #expect(try browser.currentURL.hasSuffix("/console/"), "the county lands on its queue")
                let title = try browser.title
                #expect(title.contains("待办"), "Chinese by default: \(title)")
                try browser.openFromQueue(base, recordId: appId)
                let page = try browser.text
                for shown in ["长安区绿源石灰岩矿", "开发利用方案.pdf", "排土场复绿.png", "过程监控"] {
                    #expect(page.contains(shown), "the record page lacks \(shown)")
                }
                let decoded = try browser.waitForScript(
                    "const i = document.querySelector('img.attachment'); return i && i.complete ? i.naturalWidth : 0;")
                #expect(decoded as? Int == 480, "the photo is shown inline (decoded by the browser): \(String(describing: decoded))")
                #expect(try browser.offeredActions == ["opinion"], "the county may only give its opinion")
                try browser.act("opinion", comment: "材料齐全，同意上报")
                #expect(try browser.text.contains("操作已生效"))
                #expect(try browser.text.contains("材料齐全，同意上报"), "the opinion shows among the opinions")

                // The city likewise.
                try browser.logIn(base, "demo-city", try scenario.password("demo-city"))
                try browser.openFromQueue(base, recordId: appId)
                try browser.act("opinion", comment: "市级初审：同意")
                #expect(try browser.text.contains("操作已生效"))

                // The province: both opinions are on the page; it accepts, then assigns the agency.
                try browser.logIn(base, "demo-province", try scenario.password("demo-province"))
                try browser.screenshot("console-queue")
                try browser.openFromQueue(base, recordId: appId)
                let provincePage = try browser.text
                #expect(provincePage.contains("材料齐全，同意上报") && provincePage.contains("市级初审：同意"))
                #expect(Set(try browser.offeredActions).isSuperset(of: ["accept", "opinion"]))
                try browser.act("accept")
                #expect(try scenario.database.record(appId)?.state == "underReview")
                try browser.act("assign", agency: Authority.agency)
                #expect(try scenario.database.record(appId)?.state == "assessing")
                #expect(try scenario.database.record(appId)?.record.fields[WorkflowFields.agency]
                        == .string(Authority.agency))
            }

            try await Self.withBrowser(scenario) { browser in
                // The assessor: the application waits in its queue; it fills the scoresheet (the total
                // adds up live as it types), saves it, uploads its report from the browser, and submits.
                try browser.logIn(base, "demo-assessor", try scenario.password("demo-assessor"))
                try browser.openFromQueue(base, recordId: appId)
                for prerequisite in Catalogue.sample.prerequisites {
                    try browser.find("#p-\(prerequisite.code)-yes").click()
                }
                for item in Catalogue.sample.allItems {
                    let box = try browser.find("form#sheet input[name='s.\(item.code)']")
                    try box.clear()
                    try box.type(Authority.points(item.maxPoints * 0.9))
                }
                try browser.find("form#sheet textarea[name=summary]").type("现场核查完成")
                let live = try browser.find("output#total").text
                #expect(live == Authority.points(Authority.total(share: 0.9)), "the live total: \(live)")
                try browser.resize(width: 1280, height: 2000)
                try browser.screenshot("console-scoresheet")
                try browser.resize(width: 1280, height: 1000)
                try browser.submitting { try browser.find("form#sheet button[value=save]").click() }
                let assessment = try #require(try scenario.database.records().values.first {
                    $0.kind == "assessment" && $0.record.parentId == appId
                })
                #expect(assessment.record.fields["assessment.catalogueId"] == .string(Catalogue.sample.id))
                let report = try scenario.file("评估报告.pdf", Authority.pdf("评估报告"))
                try browser.find("input#report").type(report.path)
                try browser.submitting { try browser.find("form[action$='/report'] button[type=submit]").click() }
                let reported = try #require(try scenario.database.record(assessment.record.id))
                #expect(reported.record.attachments.map(\.name) == ["评估报告.pdf"], "\(reported.record.attachments)")
                try browser.act("completeAssessment")
                #expect(try scenario.database.record(appId)?.state == "assessed")
            }

            try await Self.withBrowser(scenario) { browser in
                // The province approves: the server signs the certificate.
                try browser.logIn(base, "demo-province", try scenario.password("demo-province"))
                try browser.open(base.appendingPathComponent(String(record.dropFirst())))
                try browser.resize(width: 1280, height: 2600)
                try browser.screenshot("console-record")
                try browser.resize(width: 1280, height: 1000)
                try browser.act("approve")
                #expect(try scenario.database.record(appId)?.state == "approved")
                let certificate = try #require(try scenario.database.records().values.first {
                    $0.kind == "certificate" && $0.record.parentId == appId
                })
                let signed = try WireCoding.decode(SignedCertificate.self, from: Data(
                    (certificate.record.fields[SignedCertificate.fieldPath]?.string ?? "").utf8))
                let number = signed.body.number

                // Anyone verifies it on the public page, without logging in.
                try browser.deleteCookies()
                try browser.open(base.appendingPathComponent("verify/\(number)"))
                let valid = try browser.text
                #expect(valid.contains(number) && valid.contains("长安区绿源石灰岩矿"), "\(valid)")
                #expect(valid.contains("有效"), "the public page says the certificate is valid: \(valid)")

                // The public directory lists the mine, and finds it by name.
                try browser.open(base.appendingPathComponent("directory"))
                try browser.find("form[action='/directory'] input[name=q]").type("绿源")
                try browser.submitting { try browser.find("form[action='/directory'] button[type=submit]").click() }
                let listed = try browser.text
                #expect(listed.contains("长安区绿源石灰岩矿") && listed.contains(number), "the directory: \(listed)")
                #expect(!listed.contains(SampleForms.licence1), "the directory shows nothing private")

                // The ministry's national dashboard: the table and the chart the server drew.
                try browser.logIn(base, "demo-ministry", try scenario.password("demo-ministry"))
                try browser.open(base.appendingPathComponent("console/dashboard"))
                #expect(try browser.all("svg rect").count > 0, "the dashboard draws its chart")
                #expect(try browser.find("table.dashboard").text.contains("河北省"))
                try browser.screenshot("console-dashboard")

                // The ministry removes the mine; the public page then says revoked, with the reason.
                try browser.logIn(base, "demo-ministry", try scenario.password("demo-ministry"))
                try browser.open(base.appendingPathComponent(String(record.dropFirst())))
                #expect(try browser.offeredActions == ["remove"])
                try browser.act("remove", comment: "抽查发现问题")
                #expect(try scenario.database.record(appId)?.state == "removed")
                try browser.deleteCookies()
                try browser.open(base.appendingPathComponent("verify/\(number)"))
                let revoked = try browser.text
                #expect(revoked.contains("已撤销") && revoked.contains("抽查发现问题"), "\(revoked)")
                try browser.open(base.appendingPathComponent("directory"))
                #expect(!(try browser.text.contains("长安区绿源石灰岩矿")), "a removed mine leaves the directory")
            }
        }
    }

    @Test("an action on a page that went stale shows what changed, keeps the comment, and applies when re-sent")
    func staleActionReapplied() async throws {
        try await Scenario.run("console-browser-stale") { scenario in
            let base = try await scenario.server.start()
            let (appId, _) = try await Self.applicationBySync(scenario)
            try await Self.withBrowser(scenario) { browser in
                try browser.logIn(base, "demo-province", try scenario.password("demo-province"))
                try browser.openFromQueue(base, recordId: appId)
                let shown = try #require(try scenario.database.record(appId)?.version)

                // Meanwhile, the city gives its opinion from its own laptop.
                let city = try await APIAccount("demo-city", in: scenario)
                try await city.apply(.opinion, on: appId, comment: "市级初审：同意")
                #expect(try scenario.database.record(appId)?.version == shown + 1)

                // The province's opinion, typed on the stale page, is not lost.
                try browser.act("opinion", comment: "省级意见：请补充复绿照片")
                let page = try browser.text
                #expect(page.contains("已被他人更改"), "the page says the record changed: \(page)")
                #expect(page.contains("市级初审：同意"), "and shows what changed")
                let kept = try browser.find("form#act-opinion textarea[name=comment]").property("value") as? String
                #expect(kept == "省级意见：请补充复绿照片", "the typed opinion is kept: \(String(describing: kept))")
                try browser.submitting { try browser.find("form#act-opinion button[type=submit]").click() }
                #expect(try browser.text.contains("操作已生效"))
                let events = try await scenario.api.history(try scenario.token("demo-province"), appId)
                #expect(events.filter { $0.action == "opinion" }.compactMap(\.comment)
                        == ["市级初审：同意", "省级意见：请补充复绿照片"])
            }
        }
    }

    @Test("each wrong role is refused: an enterprise cannot log in, others see no action they may not take")
    func wrongRolesRefused() async throws {
        try await Scenario.run("console-browser-refusals") { scenario in
            let base = try await scenario.server.start()
            let (appId, _) = try await Self.applicationBySync(scenario)
            let path = "console/records/\(appId.wireString)"
            try await Self.withBrowser(scenario, language: "en") { browser in
                // The enterprise: the console is not theirs; no session cookie is left behind.
                try browser.logIn(base, "demo-ent1", try scenario.password("demo-ent1"))
                let refusal = try browser.text
                #expect(refusal.contains("Enterprise users work offline"), "\(refusal)")
                #expect(try browser.cookies.allSatisfy { ($0["name"] as? String) != "gm_session" })
                try browser.open(base.appendingPathComponent("console/"))
                #expect(try browser.currentURL.hasSuffix("/console/login"))

                // The assessor: not yet assigned, it cannot see the application at all.
                try browser.logIn(base, "demo-assessor", try scenario.password("demo-assessor"))
                try browser.open(base.appendingPathComponent(path))
                #expect(try browser.text.contains("No such record, or you may not see it"))

                // The ministry sees the submitted application, and may take no action on it.
                try browser.logIn(base, "demo-ministry", try scenario.password("demo-ministry"))
                try browser.open(base.appendingPathComponent(path))
                #expect(try browser.offeredActions.isEmpty)
                #expect(try browser.text.contains("You may take no action"))

                // The county may give its opinion, and may not accept (its form, forged, is refused).
                try browser.logIn(base, "demo-county", try scenario.password("demo-county"))
                try browser.open(base.appendingPathComponent(path))
                #expect(try browser.offeredActions == ["opinion"])
                try browser.submitting {
                    _ = try browser.script("""
                        const f = document.querySelector('form#act-opinion');
                        f.querySelector('input[name=transition]').value = 'accept';
                        setTimeout(() => f.submit(), 0);
                        """)
                }
                let forged = try browser.text
                #expect(forged.contains("The action was not applied"), "\(forged)")
                #expect(try scenario.database.record(appId)?.state == "submitted")
            }
        }
    }

    @Test("the province posts a notice that reaches an enterprise, and resets an account's password, shown once")
    func provinceNoticeAndReset() async throws {
        try await Scenario.run("console-browser-province") { scenario in
            let base = try await scenario.server.start()
            try await Self.withBrowser(scenario) { browser in
                try browser.logIn(base, "demo-province", try scenario.password("demo-province"))
                try browser.find("header a[href='/console/notices']").click()
                try browser.find("form[action='/console/notices'] input[name=title]").type("关于开展2027年度绿色矿山遴选的通知")
                try browser.find("form[action='/console/notices'] textarea[name=body]").type("请各矿山企业于3月底前完成申报。")
                try browser.submitting { try browser.find("form[action='/console/notices'] button[type=submit]").click() }
                #expect(try browser.text.contains("关于开展2027年度绿色矿山遴选的通知"))
                let pulled = try await scenario.api.pullAll(try scenario.token("demo-ent1")).values
                #expect(pulled.contains { $0.kind == .notice && $0.text("notice.title") == "关于开展2027年度绿色矿山遴选的通知" },
                        "the enterprise's next sync brings the notice")

                try browser.open(base.appendingPathComponent("console/accounts"))
                try browser.find("form[action='/console/accounts'] input[name=q]").type("demo-ent1")
                try browser.submitting { try browser.find("form[action='/console/accounts'] button[type=submit]").click() }
                let rows = try browser.all("form[action$='/reset'] button")
                #expect(rows.count == 1, "one account matches")
                try browser.submitting { try browser.find("form[action$='/reset'] button").click() }
                let initial = try browser.find("code.secret").text
                #expect(initial.count >= 12, "the initial password is shown: \(initial)")
                #expect(!(try browser.currentURL.contains(initial)), "never in the address")
                let login = try await scenario.api.send("POST", "/v1/auth/login", body: try WireCoding.encode(
                    LoginRequest(username: "demo-ent1", password: initial)))
                #expect(login.status == 200)
                #expect(try WireCoding.decode(LoginResponse.self, from: login.body).user.mustChangePassword)
                try browser.open(base.appendingPathComponent("console/accounts"))
                #expect(!(try browser.source.contains(initial)), "and shown only once")
            }
        }
    }
}
