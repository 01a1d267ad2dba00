import Foundation
import GreenMineShared
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import GreenMineServer

/// A browser without JavaScript over the router: it keeps cookies and reads forms' CSRF tokens.
final class ConsoleBrowser: @unchecked Sendable {
    let client: any TestClientProtocol
    private let lock = NSLock()
    private var jar: [String: String] = [:]

    init(client: any TestClientProtocol) {
        self.client = client
    }

    var cookies: [String: String] {
        lock.withLock { jar }
    }

    func setCookie(_ name: String, _ value: String) {
        lock.withLock { jar[name] = value }
    }

    @discardableResult
    func send(_ method: HTTPRequest.Method, _ uri: String, form: [String: String]? = nil,
              headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers = extra
        let cookie = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        if !cookie.isEmpty { headers[.cookie] = cookie }
        var body: ByteBuffer?
        if let form {
            headers[.contentType] = "application/x-www-form-urlencoded"
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            body = ByteBuffer(string: form.map { key, value in
                "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
            }.joined(separator: "&"))
        }
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: body)
        for header in response.headers[values: .setCookie] {
            guard let pair = header.split(separator: ";").first else { continue }
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }
            let name = String(parts[0]).trimmingCharacters(in: .whitespaces)
            let value = String(parts[1])
            lock.withLock {
                if value.isEmpty || header.contains("Max-Age=0") { jar[name] = nil } else { jar[name] = value }
            }
        }
        return response
    }

    func get(_ uri: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await send(.get, uri, headers: headers)
    }

    /// Logs in through the form; returns the answer to the POST.
    @discardableResult
    func login(_ username: String, _ password: String) async throws -> TestResponse {
        let page = try await get("/console/login")
        return try await send(.post, "/console/login", form: [
            "username": username, "password": password, "csrf": try Self.csrf(in: page),
        ])
    }

    /// The first CSRF token of a page's forms.
    static func csrf(in response: TestResponse) throws -> String {
        try #require(hidden("csrf", in: String(buffer: response.body)))
    }

    /// The value of the first hidden field of this name (after `marker`, when given).
    static func hidden(_ name: String, in html: String, after marker: String? = nil) -> String? {
        var text = Substring(html)
        if let marker, let range = html.range(of: marker) { text = html[range.upperBound...] }
        guard let start = text.range(of: "name=\"\(name)\" value=\"") else { return nil }
        let rest = text[start.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }
}

extension TestResponse {
    var html: String { String(buffer: body) }
}

@Suite struct ConsoleTests {
    /// A pre-application of demo enterprise 1, submitted (it awaits the province's acceptance).
    static func submittedPreApplication(_ harness: Harness, _ api: API) async throws -> GreenMineShared.Record {
        let enterprise = try await harness.token("demo-ent1")
        var ent = Device()
        let draft = try await api.apply(enterprise, ent, ent.create(.preApplication, set: Sample.preApplicationFields()))
        let attached = try await api.apply(enterprise, ent, ent.attach(draft, slot: "pre.image", sha256: Sample.imageSHA))
        return try await api.apply(enterprise, ent, ent.transition(attached, .submit))
    }

    static func withConsole(_ harness: Harness, _ body: @escaping @Sendable (API, ConsoleBrowser) async throws -> Void)
        async throws {
        try await harness.withAPI { api in try await body(api, ConsoleBrowser(client: api.client)) }
    }

    @Test func loginSetsTheSessionCookieAndBadPasswordsMeetTheAPIsThrottle() async throws {
        let harness = try await Harness(throttle: LoginThrottle(accountLimit: 2, addressLimit: 50, window: 900))
        try await Self.withConsole(harness) { api, browser in
            let page = try await browser.get("/console/login")
            #expect(page.status == .ok)
            #expect(page.html.contains("用户名"))
            for _ in 0..<2 {
                let refused = try await browser.login("demo-province", "wrong-password-1")
                #expect(refused.status == .unauthorized)
                #expect(refused.html.contains("用户名或密码错误"))
                #expect(browser.cookies["gm_session"] == nil)
            }
            // The third failure in the window meets the same throttle the API uses, for the right password too.
            let throttled = try await browser.login("demo-province", try #require(harness.passwords["demo-province"]))
            #expect(throttled.status == .tooManyRequests)
            #expect(throttled.headers[.retryAfter] != nil)
            let viaAPI = try await api.send(.post, "/v1/auth/login", json: LoginRequest(
                username: "demo-province", password: try #require(harness.passwords["demo-province"])))
            #expect(viaAPI.status == .tooManyRequests)

            let city = try await browser.login("demo-city", try #require(harness.passwords["demo-city"]))
            #expect(city.status == .seeOther)
            #expect(city.headers[.location] == "/console/")
            let cookie = try #require(city.headers[values: .setCookie].first { $0.hasPrefix("gm_session=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"))
            #expect(!cookie.contains("Secure"))
            // The cookie holds an API token: stored hashed, it authenticates as the same user.
            let token = try #require(browser.cookies["gm_session"])
            #expect(try await harness.user(token).info.username == "demo-city")
            #expect(try await browser.get("/console/").status == .ok)

            // Behind TLS the cookie is Secure.
            let tls = ConsoleBrowser(client: api.client)
            let form = try await tls.get("/console/login")
            var https = HTTPFields()
            if let name = HTTPFields.Element.Name("X-Forwarded-Proto") { https[name] = "https" }
            let secure = try await tls.send(.post, "/console/login", form: [
                "username": "demo-county", "password": try #require(harness.passwords["demo-county"]),
                "csrf": try ConsoleBrowser.csrf(in: form),
            ], headers: https)
            #expect(secure.headers[values: .setCookie].contains { $0.hasPrefix("gm_session=") && $0.contains("; Secure") })

            // Logging out revokes the token.
            let queue = try await browser.get("/console/")
            let out = try await browser.send(.post, "/console/logout", form: ["csrf": try ConsoleBrowser.csrf(in: queue)])
            #expect(out.status == .seeOther)
            await #expect(throws: ServiceError.self) { try await harness.user(token) }
        }
    }

    @Test func formsWithoutTheRightCSRFTokenAreRefused() async throws {
        let harness = try await Harness()
        try await Self.withConsole(harness) { api, browser in
            let record = try await Self.submittedPreApplication(harness, api)
            try await browser.login("demo-province", try #require(harness.passwords["demo-province"]))
            let uri = "/console/records/\(record.id.wireString)/act"
            for csrf in [nil, "0123abcd", String(repeating: "0", count: 64)] {
                var form = ["transition": "accept", "version": String(record.version), "comment": ""]
                form["csrf"] = csrf
                let refused = try await browser.send(.post, uri, form: form)
                #expect(refused.status == .forbidden)
            }
            #expect(try await harness.stored(record.id)?.state == .submitted)
            let logout = try await browser.send(.post, "/console/logout", form: ["csrf": "nope"])
            #expect(logout.status == .forbidden)
            #expect(try await browser.get("/console/").status == .ok)
            // The login form has its own token (a cookie and a field that must match).
            let fresh = ConsoleBrowser(client: api.client)
            _ = try await fresh.get("/console/login")
            let noToken = try await fresh.send(.post, "/console/login", form: [
                "username": "demo-province", "password": try #require(harness.passwords["demo-province"]),
            ])
            #expect(noToken.status == .forbidden)
            #expect(fresh.cookies["gm_session"] == nil)
        }
    }

    @Test func everyPageCarriesTheContentSecurityPolicyAndNoInlineScriptOrStyle() async throws {
        let harness = try await Harness()
        try await Self.withConsole(harness) { api, browser in
            let record = try await Self.submittedPreApplication(harness, api)
            try await browser.login("demo-province", try #require(harness.passwords["demo-province"]))
            for uri in ["/console/login", "/console/", "/console/static/console.css",
                        "/console/records/\(record.id.wireString)", "/verify/GM-NONE"] {
                let response = try await browser.get(uri)
                #expect(response.headers[.contentSecurityPolicy] == "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'", "\(uri)")
                #expect(!response.html.contains("<script"), "\(uri)")
                #expect(!response.html.contains("style="), "\(uri)")
            }
            let css = try await browser.get("/console/static/console.css")
            #expect(css.headers[.contentType]?.hasPrefix("text/css") == true)
        }
    }

    @Test func theServersAddressAloneOpensTheConsole() async throws {
        let harness = try await Harness()
        try await Self.withConsole(harness) { _, browser in
            let root = try await browser.get("/")
            #expect(root.status == .seeOther)
            #expect(root.headers[.location] == "/console/")
        }
    }

    @Test func chineseByDefaultEnglishByAcceptLanguageOrTheSwitch() async throws {
        let harness = try await Harness()
        try await Self.withConsole(harness) { _, browser in
            #expect(try await browser.get("/console/login").html.contains("登录"))
            var english = HTTPFields()
            english[.acceptLanguage] = "en-GB,en;q=0.9,zh;q=0.5"
            #expect(try await browser.get("/console/login", headers: english).html.contains("Log in"))
            var chineseFirst = HTTPFields()
            chineseFirst[.acceptLanguage] = "zh-CN,en;q=0.8"
            #expect(try await browser.get("/console/login", headers: chineseFirst).html.contains("登录"))
            let switched = try await browser.get("/console/login?lang=en")
            #expect(switched.html.contains("Log in"))
            #expect(browser.cookies["gm_lang"] == "en")
            // Kept by the cookie.
            #expect(try await browser.get("/console/login").html.contains("User name"))
            try await browser.login("demo-province", try #require(harness.passwords["demo-province"]))
            #expect(try await browser.get("/console/").html.contains("Work queue"))
        }
    }

    @Test func theQueueListsWhatTheProvinceMustActOnAndNotAnotherProvincesRecords() async throws {
        let harness = try await Harness()
        _ = try await AdminService(services: harness.services).addUser(
            NewUser(username: "beijing-province", role: .province, region: "110000"), password: "beijing-2026")
        try await Self.withConsole(harness) { api, browser in
            let record = try await Self.submittedPreApplication(harness, api)
            // A draft awaits nobody.
            let enterprise = try await harness.token("demo-ent1")
            var ent = Device()
            let draft = try await api.apply(enterprise, ent, ent.create(.application, set: Sample.applicationFields()))

            try await browser.login("demo-province", try #require(harness.passwords["demo-province"]))
            let queue = try await browser.get("/console/")
            #expect(queue.status == .ok)
            #expect(queue.html.contains("/console/records/\(record.id.wireString)"))
            #expect(!queue.html.contains(draft.id.wireString))
            #expect(queue.html.contains("待办"))
            #expect(queue.html.contains("预申请") || queue.html.contains(RecordKind.preApplication.label.zh))
            #expect(queue.html.contains("\(RecordState.submitted.label.zh): 1"))
            // Filters and search.
            #expect(try await browser.get("/console/?kind=application").html.contains(record.id.wireString) == false)
            #expect(try await browser.get("/console/?state=submitted").html.contains(record.id.wireString))
            #expect(try await browser.get("/console/?state=underReview").html.contains(record.id.wireString) == false)
            let licence = try #require(record.text("basic.licenceNumber"))
            #expect(try await browser.get("/console/?q=\(HTML.query(licence))").html.contains(record.id.wireString))
            #expect(try await browser.get("/console/?q=nomatch").html.contains(record.id.wireString) == false)
            #expect(try await browser.get("/console/?region=\(Sample.region)").html.contains(record.id.wireString))
            #expect(try await browser.get("/console/?region=130104").html.contains(record.id.wireString) == false)

            let beijing = ConsoleBrowser(client: api.client)
            try await beijing.login("beijing-province", "beijing-2026")
            let theirs = try await beijing.get("/console/")
            #expect(theirs.status == .ok)
            #expect(!theirs.html.contains(record.id.wireString))
            #expect(try await beijing.get("/console/records/\(record.id.wireString)").status == .notFound)
        }
    }

    @Test func keysetPaginationWalksTheQueue() async throws {
        let harness = try await Harness()
        let records: [QueuePair] = ConsoleWorkQueue.awaited(for: .province)
        #expect(records.contains(QueuePair(kind: .preApplication, state: .submitted)))
        #expect(records.contains(QueuePair(kind: .application, state: .assessed)))
        #expect(!records.contains(QueuePair(kind: .application, state: .approved)))
        #expect(!records.contains(QueuePair(kind: .application, state: .assessing)))
        #expect(ConsoleWorkQueue.awaited(for: .assessor) == [QueuePair(kind: .application, state: .assessing)])
        try await Self.withConsole(harness) { api, _ in
            let first = try await Self.submittedPreApplication(harness, api)
            let second = try await Self.submittedPreApplication(harness, api)
            let user = try await harness.user(try await harness.token("demo-province"))
            let query = QueueQuery(awaited: ConsoleWorkQueue.awaited(for: .province), limit: 1)
            let page1 = try await harness.services.records.queue(query, user: user)
            #expect(page1.records.map(\.id) == [second.id])
            #expect(page1.counts[QueuePair(kind: .preApplication, state: .submitted)] == 2)
            let cursor = try #require(page1.next)
            var following = query
            following.after = cursor
            let page2 = try await harness.services.records.queue(following, user: user)
            #expect(page2.records.map(\.id) == [first.id])
            #expect(page2.next == nil)
        }
    }

    @Test func theRecordPageShowsOnlyPermittedActions() async throws {
        let harness = try await Harness()
        try await Self.withConsole(harness) { api, browser in
            let record = try await Self.submittedPreApplication(harness, api)
            let uri = "/console/records/\(record.id.wireString)"
            try await browser.login("demo-province", try #require(harness.passwords["demo-province"]))
            let page = try await browser.get(uri)
            #expect(page.status == .ok)
            let html = page.html
            #expect(html.contains("name=\"transition\" value=\"accept\""))
            #expect(html.contains("name=\"transition\" value=\"opinion\""))
            for absent in ["approve", "reject", "return", "assign", "remove", "withdraw", "submit"] {
                #expect(!html.contains("name=\"transition\" value=\"\(absent)\""), "\(absent)")
            }
            #expect(html.contains("name=\"version\" value=\"\(record.version)\""))
            // Fields by the form schema, with their labels; the attachment inline through the console's route.
            #expect(html.contains("采矿许可证号"))
            #expect(html.contains("<img class=\"attachment\" src=\"/console/blobs/\(Sample.imageSHA)\""))
            #expect(html.contains(RecordState.submitted.label.zh))

            let county = ConsoleBrowser(client: api.client)
            try await county.login("demo-county", try #require(harness.passwords["demo-county"]))
            let countyPage = try await county.get(uri).html
            #expect(countyPage.contains("name=\"transition\" value=\"opinion\""))
            #expect(!countyPage.contains("name=\"transition\" value=\"accept\""))

            let assessor = ConsoleBrowser(client: api.client)
            try await assessor.login("demo-assessor", try #require(harness.passwords["demo-assessor"]))
            #expect(try await assessor.get(uri).status == .notFound)
        }
    }

    @Test func anActionAppliesAndAStaleOneShowsTheChangeAndReapplies() async throws {
        let harness = try await Harness()
        try await Self.withConsole(harness) { api, browser in
            let record = try await Self.submittedPreApplication(harness, api)
            let uri = "/console/records/\(record.id.wireString)"
            try await browser.login("demo-province", try #require(harness.passwords["demo-province"]))
            let page = try await browser.get(uri)
            let csrf = try ConsoleBrowser.csrf(in: page)
            let accepted = try await browser.send(.post, uri + "/act", form: [
                "csrf": csrf, "transition": "accept", "version": String(record.version), "comment": "",
            ])
            #expect(accepted.status == .seeOther)
            #expect(try await harness.stored(record.id)?.state == .underReview)
            let after = try await browser.get(try #require(accepted.headers[.location]))
            #expect(after.html.contains("操作已生效"))
            #expect(after.html.contains("name=\"transition\" value=\"approve\""))
            let shown = try #require(ConsoleBrowser.hidden("version", in: after.html)).description

            // Meanwhile the county gives its opinion: the record moves on.
            let county = try await harness.token("demo-county")
            var device = Device()
            let current = try #require(try await harness.stored(record.id))
            _ = try await api.apply(county, device, device.transition(current, .opinion, comment: "同意上报"))

            let typed = "材料齐全，同意通过"
            let stale = try await browser.send(.post, uri + "/act", form: [
                "csrf": csrf, "transition": "approve", "version": shown, "comment": typed,
            ])
            #expect(stale.status == .conflict)
            #expect(try await harness.stored(record.id)?.state == .underReview)
            let html = stale.html
            #expect(html.contains("已被他人更改"))
            #expect(html.contains("同意上报"))
            #expect(html.contains(typed))
            let fresh = try #require(ConsoleBrowser.hidden("version", in: html, after: "value=\"approve\""))
            #expect(fresh != shown)
            let reapplied = try await browser.send(.post, uri + "/act", form: [
                "csrf": csrf, "transition": "approve", "version": fresh, "comment": typed,
            ])
            #expect(reapplied.status == .seeOther)
            #expect(try await harness.stored(record.id)?.state == .approved)
            let events = try await harness.services.sync.history(of: record.id, user: try await harness.user(county))
            #expect(events.last?.action == "approve")
            #expect(events.last?.comment == typed)
        }
    }

    @Test func aRefusedActionKeepsTheComment() async throws {
        let harness = try await Harness()
        try await Self.withConsole(harness) { api, browser in
            let record = try await Self.submittedPreApplication(harness, api)
            let uri = "/console/records/\(record.id.wireString)"
            try await browser.login("demo-county", try #require(harness.passwords["demo-county"]))
            let page = try await browser.get(uri)
            // An opinion needs a comment: the workflow's refusal is shown.
            let refused = try await browser.send(.post, uri + "/act", form: [
                "csrf": try ConsoleBrowser.csrf(in: page), "transition": "opinion",
                "version": String(record.version), "comment": "  ",
            ])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.html.contains("操作未执行"))
            // A transition the role may not take is refused by the same workflow decision as the API's.
            let notMine = try await browser.send(.post, uri + "/act", form: [
                "csrf": try ConsoleBrowser.csrf(in: page), "transition": "accept",
                "version": String(record.version), "comment": "越权受理",
            ])
            #expect(notMine.status == .unprocessableContent)
            #expect(notMine.html.contains("越权受理"))
            #expect(try await harness.stored(record.id)?.state == .submitted)
        }
    }

    @Test func valuesAreEscaped() async throws {
        let harness = try await Harness()
        try await Self.withConsole(harness) { api, browser in
            let record = try await Self.submittedPreApplication(harness, api)
            let county = try await harness.token("demo-county")
            var device = Device()
            _ = try await api.apply(county, device, device.transition(record, .opinion,
                                                                      comment: "<script>alert(1)</script>\"'&"))
            try await browser.login("demo-province", try #require(harness.passwords["demo-province"]))
            let html = try await browser.get("/console/records/\(record.id.wireString)").html
            #expect(!html.contains("<script>"))
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;"))
            let value = "<i>"
            #expect(HTML("<b>\(value)</b>").text == "<b>&lt;i&gt;</b>")
        }
    }

    @Test func consoleRoutesRefuseTheRolesTheAPIRefuses() async throws {
        let harness = try await Harness()
        try await Self.withConsole(harness) { api, browser in
            let record = try await Self.submittedPreApplication(harness, api)
            let routes = ["/console/", "/console/records/\(record.id.wireString)", "/console/blobs/\(Sample.imageSHA)",
                          "/console/password"]
            // Without a session: to the login page.
            for uri in routes {
                let response = try await browser.get(uri)
                #expect(response.status == .seeOther, "\(uri)")
                #expect(response.headers[.location] == "/console/login", "\(uri)")
            }
            #expect(try await browser.send(.post, "/console/records/\(record.id.wireString)/act",
                                           form: ["transition": "accept", "version": "1"]).status == .seeOther)
            // The enterprise role: refused at login, and with an API token in the cookie too.
            let login = try await browser.login("demo-ent1", try #require(harness.passwords["demo-ent1"]))
            #expect(login.status == .forbidden)
            #expect(login.html.contains("离线客户端"))
            #expect(browser.cookies["gm_session"] == nil)
            browser.setCookie("gm_session", try await harness.token("demo-ent1"))
            for uri in routes {
                #expect(try await browser.get(uri).status == .forbidden, "\(uri)")
            }
            #expect(try await browser.send(.post, "/console/records/\(record.id.wireString)/act",
                                           form: ["transition": "withdraw", "version": "1"]).status == .forbidden)
            #expect(try await harness.stored(record.id)?.state == .submitted)
            // Another region: the record and its file are not found, as in the API.
            _ = try await AdminService(services: harness.services).addUser(
                NewUser(username: "other-county", role: .county, region: "130104"), password: "county-2026")
            let other = ConsoleBrowser(client: api.client)
            try await other.login("other-county", "county-2026")
            #expect(try await other.get("/console/records/\(record.id.wireString)").status == .notFound)
            let page = try await other.get("/console/")
            #expect(!page.html.contains(record.id.wireString))
            let act = try await other.send(.post, "/console/records/\(record.id.wireString)/act", form: [
                "csrf": try ConsoleBrowser.csrf(in: page), "transition": "opinion", "version": "1", "comment": "x",
            ])
            #expect(act.status == .notFound)
            // A blob is readable only by those who may see it (the same check as `/v1/blobs`).
            let path = harness.blobs.blobPath(Sample.imageSHA)
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            #expect(FileManager.default.createFile(atPath: path, contents: Data(repeating: 0xFF, count: 2048)))
            let province = ConsoleBrowser(client: api.client)
            try await province.login("demo-province", try #require(harness.passwords["demo-province"]))
            let image = try await province.get("/console/blobs/\(Sample.imageSHA)")
            #expect(image.status == .ok)
            #expect(image.headers[.contentType] == "image/jpeg")
            #expect(image.body.readableBytes == 2048)
            #expect(try await other.get("/console/blobs/\(Sample.imageSHA)").status == .notFound)
            #expect(try await province.get("/console/blobs/\(String(repeating: "ef", count: 32))").status == .notFound)
        }
    }

    @Test func aResetPasswordMustBeChangedFirst() async throws {
        let harness = try await Harness()
        try await Self.withConsole(harness) { _, browser in
            let city = try await harness.services.accounts.credentials(username: "demo-city")
            let initial = try await harness.services.auth.resetPassword(userId: try #require(city?.0.id))
            let login = try await browser.login("demo-city", initial)
            #expect(login.headers[.location] == "/console/password")
            #expect(try await browser.get("/console/").headers[.location] == "/console/password")
            let page = try await browser.get("/console/password")
            #expect(page.html.contains("密码已被重置"))
            let changed = try await browser.send(.post, "/console/password", form: [
                "csrf": try ConsoleBrowser.csrf(in: page), "current": initial, "new": "newpass2026",
            ])
            #expect(changed.status == .ok)
            #expect(changed.html.contains("密码已修改"))
            #expect(try await browser.get("/console/").status == .ok)
        }
    }

    @Test func certificateVerificationChecksTheSignature() async throws {
        let harness = try await Harness()
        let signer = harness.services.signer
        let body = CertificateBody(number: "GM-TEST-1", applicationId: UUID(), mineName: "矿", enterprise: "企业",
                                   creditCode: DemoData.creditCode(1), licence: DemoData.licence(1), region: "130102",
                                   regionName: "长安区", catalogueId: "c", catalogueName: "目录", score: 90,
                                   issuedOn: "2026-12-01", keyId: signer.keyId)
        let signature = try signer.sign(try #require(try body.signedForms().first))
        let valid = SignedCertificate(body: body, signature: signature, status: .valid)
        #expect(ConsoleVerifyPage.check(valid, key: signer.verificationKey) == .valid)
        var altered = valid
        altered.body.score = 99
        #expect(ConsoleVerifyPage.check(altered, key: signer.verificationKey) == .forged)
        let statement = CertificateBody.revocationStatement(number: body.number, revokedOn: "2026-12-05")
        let revoked = SignedCertificate(body: body, signature: signature, status: .revoked, revokedOn: "2026-12-05",
                                        revocationSignature: try signer.sign(statement), revocationReason: "整改不到位")
        #expect(ConsoleVerifyPage.check(revoked, key: signer.verificationKey)
            == .revoked(on: "2026-12-05", reason: "整改不到位"))
        var unsigned = revoked
        unsigned.revocationSignature = signature
        #expect(ConsoleVerifyPage.check(unsigned, key: signer.verificationKey) == .forged)
        try await Self.withConsole(harness) { _, browser in
            let missing = try await browser.get("/verify/GM-NONE")
            #expect(missing.status == .notFound)
            #expect(missing.html.contains("未找到"))
        }
    }

    @Test func theCertificateIsVerifiedPubliclyAndRemovalThroughTheConsoleShowsItRevoked() async throws {
        let harness = try await Harness()
        try await Self.withConsole(harness) { api, browser in
            let approved = try await CertificateTests.approvedApplication(api, harness: harness)
            let enterprise = try await harness.token("demo-ent1")
            let certificate = try #require(try await api.pullAll(enterprise).records.values.first { $0.kind == .certificate })
            let signed = try API.decode(SignedCertificate.self,
                                        try await api.send(.get, "/v1/certificates/\(certificate.id)", token: enterprise))
            let number = signed.body.number
            // Public: no session, no cookie.
            let valid = try await ConsoleBrowser(client: api.client).get("/verify/\(number)")
            #expect(valid.status == .ok)
            #expect(valid.html.contains("有效"))
            #expect(valid.html.contains(signed.body.mineName))

            // The province removes the mine from the console: removal is offered on an approved application.
            try await browser.login("demo-province", try #require(harness.passwords["demo-province"]))
            let uri = "/console/records/\(approved.id.wireString)"
            let page = try await browser.get(uri)
            #expect(page.html.contains("name=\"transition\" value=\"remove\""))
            #expect(!page.html.contains("name=\"transition\" value=\"approve\""))
            let removed = try await browser.send(.post, uri + "/act", form: [
                "csrf": try ConsoleBrowser.csrf(in: page), "transition": "remove",
                "version": try #require(ConsoleBrowser.hidden("version", in: page.html, after: "value=\"remove\"")),
                "comment": "抽查不合格",
            ])
            #expect(removed.status == .seeOther)
            #expect(try await harness.stored(approved.id)?.state == .removed)
            let revoked = try await browser.get("/verify/\(number)?lang=en")
            #expect(revoked.html.contains("Revoked on"))
            #expect(revoked.html.contains("抽查不合格"))
        }
    }
}
