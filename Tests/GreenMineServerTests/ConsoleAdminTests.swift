import Foundation
import GreenMineShared
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import GreenMineServer

/// The console's administration pages: accounts and resets, notices, the dashboard and catalogues,
/// CSV exports, the public directory, idle expiry, and their role and CSRF checks.
@Suite struct ConsoleAdminTests {
    static func browser(_ harness: Harness, _ api: API, _ username: String) async throws -> ConsoleBrowser {
        let browser = ConsoleBrowser(client: api.client)
        let login = try await browser.login(username, try #require(harness.passwords[username]))
        try #require(login.status == .seeOther, "login of \(username): \(login.status)")
        return browser
    }

    /// An enterprise account of an organisation in Beijing (outside the demo province).
    static func beijingEnterprise(_ harness: Harness) async throws {
        let admin = AdminService(services: harness.services)
        let first17 = "91110105MA0BJ0000"
        let code = first17 + String(CreditCode.checkCharacter(forFirst17: first17) ?? "0")
        try await admin.addOrganisation(Organisation(creditCode: code, name: "北京某矿业公司", region: "110105"))
        _ = try await admin.addUser(NewUser(username: "beijing-ent", role: .enterprise, orgId: code), password: "beijing-2026")
    }

    static func csrf(_ browser: ConsoleBrowser, _ uri: String) async throws -> String {
        try ConsoleBrowser.csrf(in: try await browser.get(uri))
    }

    // MARK: - Accounts

    @Test func theAccountsPageListsExactlyTheAccountsTheRoleMayReset() async throws {
        let harness = try await Harness()
        try await Self.beijingEnterprise(harness)
        try await ConsoleTests.withConsole(harness) { api, _ in
            let province = try await Self.browser(harness, api, "demo-province")
            let page = try await province.get("/console/accounts")
            #expect(page.status == .ok)
            #expect(page.html.contains("demo-ent1") && page.html.contains("demo-ent2"))
            // Not another province's enterprise, nor an authority's account: the reset rule's scope.
            for absent in ["beijing-ent", "demo-county", "demo-ministry", "demo-assessor"] {
                #expect(!page.html.contains(absent), "\(absent)")
            }
            let searched = try await province.get("/console/accounts?q=ent2")
            #expect(searched.html.contains("demo-ent2") && !searched.html.contains("demo-ent1"))
            // A reset outside the list is refused by the same rule (another province's enterprise).
            let beijing = try #require(try await harness.services.accounts.credentials(username: "beijing-ent")).0
            let outside = try await province.send(.post, "/console/accounts/\(HTML.query(beijing.id))/reset",
                                                  form: ["csrf": try ConsoleBrowser.csrf(in: page)])
            #expect(outside.status == .forbidden)
            _ = try await api.login("beijing-ent", "beijing-2026")

            let ministry = try await Self.browser(harness, api, "demo-ministry")
            let all = try await ministry.get("/console/accounts").html
            for present in ["beijing-ent", "demo-county", "demo-ent1", "demo-assessor"] {
                #expect(all.contains(present), "\(present)")
            }
            // Keyset pagination by user name.
            let user = try await harness.user(try await harness.token("demo-ministry"))
            let first = try await harness.services.accounts.accounts(in: ResetScope.of(user), search: "demo", after: nil,
                                                                     limit: 2, regions: .standard)
            #expect(first.users.map(\.username) == ["demo-assessor", "demo-city"])
            let second = try await harness.services.accounts.accounts(in: ResetScope.of(user), search: "demo",
                                                                      after: first.next, limit: 2, regions: .standard)
            #expect(second.users.map(\.username) == ["demo-county", "demo-ent1"])
        }
    }

    @Test func aResetShowsTheInitialPasswordOnceAndTheUserMustChangeIt() async throws {
        let harness = try await Harness()
        try await ConsoleTests.withConsole(harness) { api, _ in
            let province = try await Self.browser(harness, api, "demo-province")
            let page = try await province.get("/console/accounts")
            let target = try #require(try await harness.services.accounts.credentials(username: "demo-ent1")).0
            let action = "/console/accounts/\(HTML.query(target.id))/reset"
            #expect(page.html.contains("action=\"\(action)\""))
            let reset = try await province.send(.post, action, form: ["csrf": try ConsoleBrowser.csrf(in: page)])
            #expect(reset.status == .ok)
            #expect(reset.headers[.cacheControl] == "no-store")
            #expect(reset.headers[.location] == nil)
            let marker = "<code class=\"secret\">"
            let start = try #require(reset.html.range(of: marker))
            let rest = reset.html[start.upperBound...]
            let password = String(rest[..<(try #require(rest.range(of: "</code>"))).lowerBound])
            #expect(password.count >= 8)
            // Shown once: not on the list afterwards, and the old password no longer works.
            #expect(!(try await province.get("/console/accounts").html.contains(password)))
            await #expect(throws: ServiceError.self) {
                _ = try await harness.services.auth.login(username: "demo-ent1",
                                                          password: try #require(harness.passwords["demo-ent1"]),
                                                          address: "t")
            }
            let login = try await api.login("demo-ent1", password)
            #expect(login.user.mustChangePassword)

            // A reviewer's account is outside a province's scope: refused by the same rule as the API's.
            let county = try #require(try await harness.services.accounts.credentials(username: "demo-county")).0
            let refused = try await province.send(.post, "/console/accounts/\(HTML.query(county.id))/reset",
                                                  form: ["csrf": try ConsoleBrowser.csrf(in: page)])
            #expect(refused.status == .forbidden)
            // The ministry may reset any account; that user must change the password at the console.
            let ministry = try await Self.browser(harness, api, "demo-ministry")
            let byMinistry = try await ministry.send(.post, "/console/accounts/\(HTML.query(county.id))/reset",
                                                     form: ["csrf": try await Self.csrf(ministry, "/console/accounts")])
            #expect(byMinistry.status == .ok)
            let countyPassword = try #require(ConsoleBrowser.text(between: "<code class=\"secret\">", "</code>",
                                                                  in: byMinistry.html))
            let countyBrowser = ConsoleBrowser(client: api.client)
            let countyLogin = try await countyBrowser.login("demo-county", countyPassword)
            #expect(countyLogin.headers[.location] == "/console/password")
        }
    }

    // MARK: - Notices

    @Test func formsSentAtOnceFromOneSessionAreAllApplied() async throws {
        let harness = try await Harness()
        try await ConsoleTests.withConsole(harness) { api, _ in
            let province = try await Self.browser(harness, api, "demo-province")
            let csrf = try await Self.csrf(province, "/console/notices")
            let titles = (1...8).map { "同时发布的通知 \($0)" }
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for title in titles {
                    group.addTask {
                        try await province.send(.post, "/console/notices", form: [
                            "csrf": csrf, "title": title, "body": "两个标签页同时提交。"]).status
                    }
                }
                var statuses: [HTTPResponse.Status] = []
                for try await status in group { statuses.append(status) }
                return statuses
            }
            #expect(statuses.allSatisfy { $0 == .seeOther }, "\(statuses)")
            // Every one was applied under its own seq: none took another's stored result.
            let enterprise = try await harness.token("demo-ent1")
            let posted = try await api.pullAll(enterprise).records.values.compactMap { $0.text("notice.title") }
            #expect(Set(posted).isSuperset(of: titles), "\(posted)")
        }
    }

    @Test func noticesPostedAndWithdrawnInTheConsoleReachAnEnterprisesPull() async throws {
        let harness = try await Harness()
        try await ConsoleTests.withConsole(harness) { api, _ in
            let enterprise = try await harness.token("demo-ent1")
            let before = try await api.pullAll(enterprise)
            let province = try await Self.browser(harness, api, "demo-province")
            let page = try await province.get("/console/notices")
            #expect(page.status == .ok)
            #expect(page.html.contains("action=\"/console/notices\""))
            let posted = try await province.send(.post, "/console/notices", form: [
                "csrf": try ConsoleBrowser.csrf(in: page), "title": "关于开展2027年度遴选的通知", "body": "请按时申报。",
            ])
            #expect(posted.status == .seeOther)
            let pulled = try await api.pullAll(enterprise, after: before.cursor)
            let notice = try #require(pulled.records.values.first { $0.kind == .notice })
            #expect(notice.text("notice.title") == "关于开展2027年度遴选的通知")
            #expect(notice.region == DemoData.province)
            let list = try await province.get(try #require(posted.headers[.location]))
            #expect(list.html.contains("关于开展2027年度遴选的通知"))
            #expect(list.html.contains("通知公告已发布"))
            // Others see it, without the forms to post or withdraw.
            let county = try await Self.browser(harness, api, "demo-county")
            let theirs = try await county.get("/console/notices").html
            #expect(theirs.contains("关于开展2027年度遴选的通知"))
            #expect(!theirs.contains("action=\"/console/notices\""))
            #expect(!theirs.contains("/withdraw"))
            let countyPost = try await county.send(.post, "/console/notices", form: [
                "csrf": try await Self.csrf(county, "/console/notices"), "title": "x", "body": "y",
            ])
            #expect(countyPost.status == .forbidden)
            // A missing title is refused by the form schema.
            let blank = try await province.send(.post, "/console/notices", form: [
                "csrf": try ConsoleBrowser.csrf(in: page), "title": " ", "body": "正文",
            ])
            #expect(blank.status == .unprocessableContent)

            let withdrawn = try await province.send(.post, "/console/notices/\(notice.id.wireString)/withdraw", form: [
                "csrf": try ConsoleBrowser.csrf(in: page), "version": String(notice.version),
            ])
            #expect(withdrawn.status == .seeOther)
            let after = try await api.pullAll(enterprise, after: pulled.cursor)
            #expect(after.gone.contains(notice.id) || after.records[notice.id]?.deleted == true)
            #expect(try await api.pullAll(enterprise).records[notice.id] == nil)
            #expect(!(try await province.get("/console/notices").html.contains("关于开展2027年度遴选的通知")))
        }
    }

    // MARK: - Dashboard and catalogues

    @Test func theDashboardCountsRecordsByProvinceAndState() async throws {
        let harness = try await Harness()
        try await ConsoleTests.withConsole(harness) { api, _ in
            let first = try await ConsoleTests.submittedPreApplication(harness, api)
            _ = try await ConsoleTests.submittedPreApplication(harness, api)
            _ = try await ConsoleTests.submittedPreApplication(harness, api)
            var prov = Device()
            _ = try await api.apply(try await harness.token("demo-province"), prov, prov.transition(first, .accept))
            let ministry = try await Self.browser(harness, api, "demo-ministry")
            let page = try await ministry.get("/console/dashboard?kind=preApplication")
            #expect(page.status == .ok)
            let html = page.html
            // 河北省: two submitted, one under review (the states in workflow order, then the total).
            let row = "<tr><th>河北省</th><td>2</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>3</td></tr>"
            #expect(html.contains(row))
            #expect(html.contains("<svg class=\"chart\""))
            #expect(html.contains("<title>\(RecordState.submitted.label.zh): 2</title>"))
            #expect(!html.contains("style="))
            #expect(!html.contains("<script"))
            // Applications: none yet.
            #expect(!(try await ministry.get("/console/dashboard").html.contains("<tr><th>河北省</th>")))
            let csv = try await ministry.get("/console/dashboard.csv?kind=preApplication")
            let text = String(decoding: Data(csv.body.readableBytesView).dropFirst(3), as: UTF8.self)
            #expect(text.contains("河北省,2,1,0,0,0,0,0,0,3\r\n"))
        }
    }

    @Test func theMinistrySeesTheImportedCatalogues() async throws {
        let harness = try await Harness()
        var sample = Catalogue.sample
        sample.id = "hebei-2024"
        sample.version = "2024.1"
        _ = try await AdminService(services: harness.services).importCatalogue(json: try sample.encodedJSON())
        let items = sample.allItems.count
        try await ConsoleTests.withConsole(harness) { api, _ in
            let ministry = try await Self.browser(harness, api, "demo-ministry")
            let page = try await ministry.get("/console/catalogues")
            #expect(page.status == .ok)
            #expect(page.html.contains("hebei-2024"))
            #expect(page.html.contains("2024.1"))
            #expect(page.html.contains("现行"))
            #expect(page.html.contains(">\(items)<"))
        }
    }

    // MARK: - Exports

    @Test func csvCellsAreQuotedAndFormulasDefused() {
        #expect(ConsoleCSV.cell("=1+1") == "'=1+1")
        #expect(ConsoleCSV.cell("+86 311") == "'+86 311")
        #expect(ConsoleCSV.cell("-2") == "'-2")
        #expect(ConsoleCSV.cell("@SUM(A1)") == "'@SUM(A1)")
        #expect(ConsoleCSV.cell("\tx") == "'\tx")
        #expect(ConsoleCSV.cell("a,b") == "\"a,b\"")
        #expect(ConsoleCSV.cell("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(ConsoleCSV.cell("=HYPERLINK(\"x\",1)") == "\"'=HYPERLINK(\"\"x\"\",1)\"")
        #expect(ConsoleCSV.cell("矿山 A") == "矿山 A")
        #expect(ConsoleCSV.text(header: ["a", "b"], rows: [["1", "2"]]) == "a,b\r\n1,2\r\n")
    }

    @Test func exportsAreUTF8WithABOMAttachmentsAndDefused() async throws {
        let harness = try await Harness()
        _ = try await AdminService(services: harness.services).addUser(
            NewUser(username: "=HYPERLINK(1)", role: .county, region: "130104"), password: "county-2026")
        try await ConsoleTests.withConsole(harness) { api, _ in
            let record = try await ConsoleTests.submittedPreApplication(harness, api)
            let province = try await Self.browser(harness, api, "demo-province")
            let queue = try await province.get("/console/queue.csv?state=submitted")
            #expect(queue.status == .ok)
            #expect(Array(queue.body.readableBytesView.prefix(3)) == [0xEF, 0xBB, 0xBF])
            #expect(queue.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(queue.headers[.contentDisposition]?.hasPrefix("attachment") == true)
            let text = String(decoding: Data(queue.body.readableBytesView).dropFirst(3), as: UTF8.self)
            #expect(text.hasPrefix("矿山名称,类型,状态,"))
            #expect(text.contains(record.id.wireString))
            // The same filters as the page.
            let none = try await province.get("/console/queue.csv?state=underReview")
            #expect(!String(buffer: none.body).contains(record.id.wireString))

            let ministry = try await Self.browser(harness, api, "demo-ministry")
            let accounts = try await ministry.get("/console/accounts.csv")
            #expect(Array(accounts.body.readableBytesView.prefix(3)) == [0xEF, 0xBB, 0xBF])
            let rows = String(decoding: Data(accounts.body.readableBytesView).dropFirst(3), as: UTF8.self)
            #expect(rows.contains("\r\n'=HYPERLINK(1),"))
            #expect(!rows.contains("\r\n=HYPERLINK"))
            #expect(try await province.get("/console/accounts.csv").status == .ok)
            let county = try await Self.browser(harness, api, "demo-county")
            #expect(try await county.get("/console/accounts.csv").status == .forbidden)
        }
    }

    // MARK: - Directory

    @Test func theDirectoryListsCertifiedMinesWithoutPrivateDataAndDropsRemovedOnes() async throws {
        let harness = try await Harness()
        try await ConsoleTests.withConsole(harness) { api, _ in
            let approved = try await CertificateTests.approvedApplication(api, harness: harness)
            let enterprise = try await harness.token("demo-ent1")
            let certificate = try #require(try await api.pullAll(enterprise).records.values.first { $0.kind == .certificate })
            let number = try #require(certificate.text("certificate.number"))
            // A submitted pre-application is not listed.
            _ = try await ConsoleTests.submittedPreApplication(harness, api)

            let visitor = ConsoleBrowser(client: api.client)
            let page = try await visitor.get("/directory")
            #expect(page.status == .ok)
            let html = page.html
            #expect(html.contains("长安区绿源石灰岩矿"))
            #expect(html.contains(number))
            #expect(html.contains("河北省"))
            #expect(html.contains("水泥用灰岩"))
            #expect(html.contains("href=\"/verify/\(number)\""))
            for secret in ["contact.person", "contact.mobile", "contact.email", "contact.phone", "contact.address",
                           "basic.legalRepresentative", "basic.creditCode", "basic.holder"] {
                let value = try #require(approved.text(secret), "\(secret)")
                #expect(!html.contains(value), "\(secret)")
            }
            #expect(page.headers[.contentSecurityPolicy] == "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
            #expect(try await visitor.get("/directory?q=\(HTML.query("绿源"))").html.contains(number))
            #expect(!(try await visitor.get("/directory?q=nomatch").html.contains(number)))
            let csv = try await visitor.get("/directory.csv")
            #expect(Array(csv.body.readableBytesView.prefix(3)) == [0xEF, 0xBB, 0xBF])
            #expect(csv.headers[.contentDisposition] == "attachment; filename=\"directory.csv\"")
            let text = String(decoding: Data(csv.body.readableBytesView).dropFirst(3), as: UTF8.self)
            #expect(text.hasPrefix("矿山名称,省份,开采主矿种,证书编号,发证日期\r\n"))
            #expect(text.contains("长安区绿源石灰岩矿,河北省,水泥用灰岩,\(number),"))

            // Removed from the directory: no longer listed (its certificate is revoked).
            var prov = Device()
            let current = try #require(try await harness.stored(approved.id))
            _ = try await api.apply(try await harness.token("demo-province"), prov,
                                    prov.transition(current, .remove, comment: "抽查不合格"))
            #expect(!(try await visitor.get("/directory").html.contains(number)))
            #expect(!String(buffer: try await visitor.get("/directory.csv").body).contains(number))
            let listed = try await harness.services.records.directory(search: nil, after: nil, limit: 10)
            #expect(listed.entries.isEmpty)
        }
    }

    // MARK: - Idle expiry

    @Test func anIdleConsoleSessionIsLoggedOutAfterTheLimitAndNotBefore() async throws {
        let harness = try await Harness(tokenLifetime: 86_400)
        #expect(harness.services.consoleIdleLimit == 30 * 60)
        try await ConsoleTests.withConsole(harness) { api, _ in
            let apiToken = try await harness.token("demo-province")
            let browser = try await Self.browser(harness, api, "demo-province")
            let session = try #require(browser.cookies["gm_session"])
            func lastUse() async throws -> Double? {
                try await harness.backend.value("SELECT last_used_at FROM tokens WHERE hash = ?",
                                                [.bytes(Array(AuthService.tokenHash(session)))], as: Double.self)
            }
            let issued = try await lastUse()
            // Used within the minute: no write.
            harness.clock.advance(by: 20)
            #expect(try await browser.get("/console/").status == .ok)
            #expect(try await lastUse() == issued)
            harness.clock.advance(by: 29 * 60)
            #expect(try await browser.get("/console/").status == .ok)
            #expect(try await lastUse() == harness.clock.now.timeIntervalSince1970)
            // 29 minutes after the last use (58 after the login): still in.
            harness.clock.advance(by: 29 * 60)
            #expect(try await browser.get("/console/notices").status == .ok)
            // Then 31 minutes idle: out, to the login page.
            harness.clock.advance(by: 31 * 60)
            let out = try await browser.get("/console/")
            #expect(out.status == .seeOther)
            #expect(out.headers[.location] == "/console/login")
            await #expect(throws: ServiceError.self) { try await harness.user(session) }
            // An API token keeps its own lifetime.
            #expect(try await harness.user(apiToken).info.username == "demo-province")
        }
    }

    // MARK: - Roles and CSRF

    @Test func everyAdminPageRefusesTheRolesTheAPIRefuses() async throws {
        let harness = try await Harness()
        try await ConsoleTests.withConsole(harness) { api, _ in
            let pages = ["/console/accounts", "/console/accounts.csv", "/console/notices", "/console/dashboard",
                         "/console/dashboard.csv", "/console/catalogues", "/console/queue.csv"]
            let allowed: [String: Set<String>] = [
                "demo-province": ["/console/accounts", "/console/accounts.csv", "/console/notices", "/console/queue.csv"],
                "demo-ministry": Set(pages),
                "demo-county": ["/console/notices", "/console/queue.csv"],
                "demo-city": ["/console/notices", "/console/queue.csv"],
                "demo-assessor": ["/console/notices", "/console/queue.csv"],
            ]
            for (username, permitted) in allowed {
                let browser = try await Self.browser(harness, api, username)
                for uri in pages {
                    let response = try await browser.get(uri)
                    #expect(response.status == (permitted.contains(uri) ? .ok : .forbidden), "\(username) \(uri)")
                    #expect(response.headers[.contentSecurityPolicy] == "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'", "\(uri)")
                    #expect(!response.html.contains("<script") && !response.html.contains("style="), "\(uri)")
                }
                // The header links to the pages the role has, and only those.
                let header = try await browser.get("/console/").html
                for uri in ["/console/accounts", "/console/dashboard", "/console/catalogues"] {
                    #expect(header.contains("href=\"\(uri)\"") == permitted.contains(uri), "\(username) \(uri)")
                }
                #expect(header.contains("href=\"/console/notices\"") && header.contains("href=\"/directory\""))
            }
            // Without a session: to the login page; with an enterprise's token: refused.
            let anonymous = ConsoleBrowser(client: api.client)
            for uri in pages {
                #expect(try await anonymous.get(uri).headers[.location] == "/console/login", "\(uri)")
            }
            #expect(try await anonymous.get("/directory").status == .ok)
            anonymous.setCookie("gm_session", try await harness.token("demo-ent1"))
            for uri in pages {
                #expect(try await anonymous.get(uri).status == .forbidden, "\(uri)")
            }
        }
    }

    @Test func adminFormsWithoutTheSessionsCSRFTokenAreRefused() async throws {
        let harness = try await Harness()
        try await ConsoleTests.withConsole(harness) { api, _ in
            let enterprise = try #require(try await harness.services.accounts.credentials(username: "demo-ent1")).0
            let province = try await Self.browser(harness, api, "demo-province")
            let other = try await Self.browser(harness, api, "demo-ministry")
            let foreign = try await Self.csrf(other, "/console/accounts")
            let before = try await harness.counts()
            for csrf in [nil, "", "00", foreign] {
                var form: [String: String] = ["title": "通知", "body": "正文"]
                form["csrf"] = csrf
                #expect(try await province.send(.post, "/console/notices", form: form).status == .forbidden)
                var reset: [String: String] = [:]
                reset["csrf"] = csrf
                #expect(try await province.send(.post, "/console/accounts/\(HTML.query(enterprise.id))/reset",
                                                form: reset).status == .forbidden)
            }
            #expect(try await harness.counts() == before)
            // The password was not reset.
            _ = try await api.login("demo-ent1", try #require(harness.passwords["demo-ent1"]))
            // Withdrawing needs the token too.
            let page = try await province.get("/console/notices")
            _ = try await province.send(.post, "/console/notices", form: [
                "csrf": try ConsoleBrowser.csrf(in: page), "title": "通知", "body": "正文",
            ])
            let notice = try #require(try await harness.services.records.notices(
                user: try await harness.user(try await harness.token("demo-province")), limit: 10).first)
            let refused = try await province.send(.post, "/console/notices/\(notice.id.wireString)/withdraw",
                                                  form: ["version": String(notice.version)])
            #expect(refused.status == .forbidden)
            #expect(try await harness.stored(notice.id)?.deleted == false)
        }
    }
}

extension ConsoleBrowser {
    /// The text between two markers in a page.
    static func text(between start: String, _ end: String, in html: String) -> String? {
        guard let from = html.range(of: start) else { return nil }
        let rest = html[from.upperBound...]
        guard let to = rest.range(of: end) else { return nil }
        return String(rest[..<to.lowerBound])
    }
}
