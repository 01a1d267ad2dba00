import Foundation
import GreenMineShared
import Hummingbird
import NIOCore

/// The reviewers' web console under `/console/` and the public `/verify/{number}` page (issue 12), on
/// the API's own services: the same login and throttle, visibility, workflow table and push path.
public struct ConsoleController: Sendable {
    let services: AppServices

    public init(services: AppServices) {
        self.services = services
    }

    public func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/console/static/console.css") { _, _ in
            var headers = ConsoleHTTP.headers(contentType: "text/css; charset=utf-8")
            headers[.cacheControl] = "public, max-age=3600"
            return Response(status: .ok, headers: headers,
                            body: ResponseBody(byteBuffer: ByteBuffer(string: ConsoleStyle.css)))
        }
        // The server's address alone, opened in a browser, is the console (not a JSON `no_route`).
        router.get("/") { _, _ in
            ConsoleHTTP.redirect("/console/")
        }
        router.get("/console/login") { request, _ in
            loginPage(request)
        }
        router.post("/console/login") { request, context in
            try await login(request, context)
        }
        router.post("/console/logout") { request, _ in
            try await signedIn(request, allowingPasswordChange: true) { session, layout in
                let form = try await ConsoleHTTP.form(request)
                guard session.accepts(form["csrf"]) else { return badForm(layout) }
                try await services.auth.logout(session.user)
                return ConsoleHTTP.redirect("/console/login", cookies: [
                    ConsoleHTTP.cookie(ConsoleHTTP.sessionCookie, "", request: request, maxAge: 0)])
            }
        }
        router.get("/console/password") { request, _ in
            try await signedIn(request, allowingPasswordChange: true) { session, layout in
                ConsoleHTTP.page(ConsoleAuthPages.password(layout, session: session))
            }
        }
        router.post("/console/password") { request, context in
            try await changePassword(request, address: context.addressKey)
        }
        router.get("/console") { request, _ in
            try await signedIn(request) { session, layout in
                try await queue(request, session: session, layout: layout)
            }
        }
        router.get("/console/records/:id") { request, context in
            try await signedIn(request) { session, layout in
                guard let id = context.parameters.get("id").flatMap({ UUID(text: $0) }) else {
                    return notFound(layout)
                }
                let applied = request.uri.queryParameters.get("applied").flatMap(Transition.init(rawValue:))
                let outcome = applied.map { ConsoleOutcome(transition: $0, comment: "", agency: "") }
                return try await recordPage(id, session: session, layout: layout, outcome: outcome,
                                            adjust: Self.savedNotice(request))
            }
        }
        router.post("/console/records/:id/act") { request, context in
            try await signedIn(request) { session, layout in
                guard let id = context.parameters.get("id").flatMap({ UUID(text: $0) }) else {
                    return notFound(layout)
                }
                return try await act(id, request: request, session: session, layout: layout)
            }
        }
        router.get("/console/blobs/:sha256") { request, context in
            try await signedIn(request) { session, layout in
                let sha = context.parameters.get("sha256") ?? ""
                guard let blob = try await services.uploads.readableBlob(sha, user: session.user) else {
                    return notFound(layout)
                }
                var response = try await BlobResponse.make(services.uploads, blob: blob,
                                                     range: request.headers[.range])
                for field in ConsoleHTTP.headers(contentType: blob.mime) where field.name != .contentType {
                    response.headers[field.name] = field.value
                }
                // Opened in the browser's own viewer (PDF), player or image view, not saved.
                response.headers[.contentDisposition] = "inline"
                return response
            }
        }
        addRecordRoutes(to: router)
        addAdminRoutes(to: router)
        router.get("/verify/:number") { request, context in
            try await ConsoleVerifyPage.respond(request, number: context.parameters.get("number") ?? "",
                                                services: services)
        }
    }

    // MARK: - Sessions

    /// Runs `body` for the signed-in user of the session cookie; sends the others to the login page,
    /// refuses enterprise users, and sends a user whose password was reset to the password page first.
    func signedIn(_ request: Request, allowingPasswordChange: Bool = false,
                  _ body: (ConsoleSession, ConsoleLayout) async throws -> Response) async throws -> Response {
        let language = ConsoleHTTP.language(request)
        guard let token = ConsoleHTTP.cookies(request)[ConsoleHTTP.sessionCookie], !token.isEmpty,
              let user = try? await services.auth.authenticate(token: token) else {
            return withLanguage(ConsoleHTTP.redirect("/console/login"), request)
        }
        let session = ConsoleSession(user: user, token: token)
        let layout = ConsoleLayout(language: language, session: session, path: request.uri.path)
        if user.info.role == .enterprise {
            return withLanguage(ConsoleHTTP.page(ConsoleAuthPages.message(
                layout, title: layout.t(ConsoleText.errorTitle), text: layout.t(ConsoleText.enterpriseRefused)),
                status: .forbidden), request)
        }
        if user.info.mustChangePassword, !allowingPasswordChange {
            return ConsoleHTTP.redirect("/console/password")
        }
        do {
            return withLanguage(try await body(session, layout), request)
        } catch let error as ServiceError {
            return withLanguage(ConsoleHTTP.page(ConsoleAuthPages.message(
                layout, title: layout.t(ConsoleText.errorTitle), text: Self.text(error.detail, language)),
                status: error.status), request)
        }
    }

    /// Keeps a language chosen with `?lang=` in a cookie.
    func withLanguage(_ response: Response, _ request: Request) -> Response {
        guard let chosen = request.uri.queryParameters.get("lang"), Language(rawValue: chosen) != nil else {
            return response
        }
        var response = response
        response.headers.append(HTTPFields.Element(name: .setCookie, value: ConsoleHTTP.cookie(
            ConsoleHTTP.languageCookie, chosen, request: request, maxAge: 365 * 86_400)))
        return response
    }

    static func text(_ detail: APIErrorDetail, _ language: Language) -> String {
        APIErrorDetail.localized(detail).text(language)
    }

    func loginPage(_ request: Request, error: String? = nil, username: String = "",
                   status: HTTPResponse.Status = .ok) -> Response {
        let layout = ConsoleLayout(language: ConsoleHTTP.language(request), session: nil, path: request.uri.path)
        let csrf = services.environment.randomBytes(16).map { String(format: "%02x", $0) }.joined()
        return withLanguage(ConsoleHTTP.page(
            ConsoleAuthPages.login(layout, csrf: csrf, error: error, username: username), status: status,
            cookies: [ConsoleHTTP.cookie(ConsoleHTTP.loginCookie, csrf, request: request, maxAge: 3600)]), request)
    }

    func login(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let layout = ConsoleLayout(language: ConsoleHTTP.language(request), session: nil, path: "/console/login")
        let form = try await ConsoleHTTP.form(request)
        let expected = ConsoleHTTP.cookies(request)[ConsoleHTTP.loginCookie] ?? ""
        guard ConsoleSession.constantTimeEqual(form["csrf"] ?? "", expected) else {
            return loginPage(request, error: layout.t(ConsoleText.badForm), status: .forbidden)
        }
        let username = form["username"] ?? ""
        let response: LoginResponse
        do {
            response = try await services.auth.login(username: username, password: form["password"] ?? "",
                                                     address: context.addressKey, idleLimit: services.consoleIdleLimit)
        } catch let error as ServiceError {
            var page = loginPage(request, error: Self.text(error.detail, layout.language), username: username,
                                 status: error.status)
            if case .tooManyRequests(let seconds) = error.kind { page.headers[.retryAfter] = String(seconds) }
            return page
        }
        if response.user.role == .enterprise {
            // The console is not theirs: the token just issued is revoked at once.
            if let user = try? await services.auth.authenticate(token: response.token) {
                try await services.auth.logout(user)
            }
            return withLanguage(ConsoleHTTP.page(ConsoleAuthPages.message(
                layout, title: layout.t(ConsoleText.errorTitle), text: layout.t(ConsoleText.enterpriseRefused)),
                status: .forbidden), request)
        }
        let lifetime = max(0, Int(response.expiresAt.timeIntervalSince(services.environment.now())))
        return ConsoleHTTP.redirect(response.user.mustChangePassword ? "/console/password" : "/console/", cookies: [
            ConsoleHTTP.cookie(ConsoleHTTP.sessionCookie, response.token, request: request, maxAge: lifetime),
            ConsoleHTTP.cookie(ConsoleHTTP.loginCookie, "", request: request, maxAge: 0),
        ])
    }

    func changePassword(_ request: Request, address: String) async throws -> Response {
        try await signedIn(request, allowingPasswordChange: true) { session, layout in
            let form = try await ConsoleHTTP.form(request)
            guard session.accepts(form["csrf"]) else { return badForm(layout) }
            do {
                let response = try await services.auth.changePassword(session.user, current: form["current"] ?? "",
                                                                      new: form["new"] ?? "", address: address,
                                                                      idleLimit: services.consoleIdleLimit)
                let lifetime = max(0, Int(response.expiresAt.timeIntervalSince(services.environment.now())))
                let user = try await services.auth.authenticate(token: response.token)
                let fresh = ConsoleSession(user: user, token: response.token)
                let freshLayout = ConsoleLayout(language: layout.language, session: fresh, path: layout.path)
                return ConsoleHTTP.page(
                    ConsoleAuthPages.password(freshLayout, session: fresh,
                                              message: "<p class=\"ok\">\(layout.t(ConsoleText.passwordChanged))</p>"),
                    cookies: [ConsoleHTTP.cookie(ConsoleHTTP.sessionCookie, response.token, request: request,
                                                 maxAge: lifetime)])
            } catch let error as ServiceError {
                return ConsoleHTTP.page(
                    ConsoleAuthPages.password(layout, session: session,
                                              message: "<p class=\"error\">\(Self.text(error.detail, layout.language))</p>"),
                    status: error.status)
            }
        }
    }

    func badForm(_ layout: ConsoleLayout) -> Response {
        ConsoleHTTP.page(ConsoleAuthPages.message(layout, title: layout.t(ConsoleText.errorTitle),
                                                  text: layout.t(ConsoleText.badForm)), status: .forbidden)
    }

    func notFound(_ layout: ConsoleLayout) -> Response {
        ConsoleHTTP.page(ConsoleAuthPages.message(layout, title: layout.t(ConsoleText.errorTitle),
                                                  text: layout.t(ConsoleText.notFound)), status: .notFound)
    }

    // MARK: - Work queue and records

    func queue(_ request: Request, session: ConsoleSession, layout: ConsoleLayout) async throws -> Response {
        let query = ConsoleQueuePage.query(request.uri.queryParameters, role: session.user.info.role)
        let page = try await services.records.queue(query, user: session.user)
        return ConsoleHTTP.page(ConsoleQueuePage.render(layout, query: query, page: page, regions: .standard))
    }

    func recordPage(_ id: UUID, session: ConsoleSession, layout: ConsoleLayout, outcome: ConsoleOutcome?,
                    status: HTTPResponse.Status = .ok,
                    adjust: (inout ConsoleRelated) -> Void = { _ in }) async throws -> Response {
        let user = session.user
        guard let record = try await services.records.visibleRecord(id, user: user) else { return notFound(layout) }
        let parent: Record?
        if let parentId = record.parentId {
            parent = try await services.records.visibleRecord(parentId, user: user)
        } else {
            parent = nil
        }
        let actions = ConsoleRecordPage.actions(for: user, record: record, parent: parent, regions: .standard)
        var agencies: [Agency] = []
        if actions.contains(.assign) {
            agencies = try await AdminService(services: services).agencies(for: user)
        }
        var view = ConsoleRecordView(
            record: record,
            findings: DataCheck.run(record, context: DataCheckContext(now: services.environment.now())),
            history: try await services.sync.history(of: id, user: user),
            actions: actions, agencies: agencies, outcome: outcome)
        view.related = try await related(record, parent: parent, user: user)
        adjust(&view.related)
        return ConsoleHTTP.page(ConsoleRecordPage.render(layout, session: session, view: view, regions: .standard),
                                status: status)
    }

    /// Applies an action through the push path the API uses, against the version the page showed.
    func act(_ id: UUID, request: Request, session: ConsoleSession, layout: ConsoleLayout) async throws -> Response {
        let form = try await ConsoleHTTP.form(request)
        guard session.accepts(form["csrf"]) else { return badForm(layout) }
        guard let transition = form["transition"].flatMap(Transition.init(rawValue:)),
              let version = form["version"].flatMap({ Int($0) }) else { return badForm(layout) }
        let comment = (form["comment"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let agency = (form["agency"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard let record = try await services.records.visibleRecord(id, user: session.user) else {
            return notFound(layout)
        }
        let refusal = try await pushOne(session) { seq in
            Mutation(seq: seq, recordId: id, kind: record.kind, op: .transition, baseVersion: version,
                     transition: transition, comment: comment.isEmpty ? nil : comment,
                     agency: agency.isEmpty ? nil : agency, deviceTime: services.environment.now())
        }
        if refusal == nil {
            return ConsoleHTTP.redirect("/console/records/\(id.wireString)?applied=\(transition.rawValue)")
        }
        let current = try await services.records.visibleRecord(id, user: session.user)
        let moved = current.map { $0.version != version } ?? false
        let outcome = ConsoleOutcome(transition: transition, comment: comment, agency: agency, refusal: refusal,
                                     movedFrom: moved ? version : nil)
        guard current != nil else { return notFound(layout) }
        return try await recordPage(id, session: session, layout: layout, outcome: outcome,
                                    status: moved ? .conflict : .unprocessableContent)
    }
}
