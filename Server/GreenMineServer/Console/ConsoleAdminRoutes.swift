import Foundation
import GreenMineShared
import Hummingbird

/// The console's administration pages (issue 12): accounts and password resets, notices, the
/// ministry's dashboard and catalogues, CSV exports, and the public directory. Each page applies the
/// API's role checks (`ResetScope`, `CreationRules.creatable`), each POST the session's CSRF token,
/// and every write goes through the API's services and push path.
extension ConsoleController {
    /// The most rows one CSV export carries.
    static let exportLimit = 20_000

    /// The ministry's pages (dashboard, catalogues).
    static func isMinistry(_ user: AuthenticatedUser) -> Bool {
        user.info.role == .ministry
    }

    /// Whether the role may post notices, by the push path's own table.
    static func mayPostNotices(_ user: AuthenticatedUser) -> Bool {
        CreationRules.mayCreate(.notice, role: user.info.role)
    }

    func addAdminRoutes(to router: Router<AppRequestContext>) {
        router.get("/console/accounts") { request, _ in
            try await signedIn(request) { session, layout in try await accounts(request, session, layout) }
        }
        router.get("/console/accounts.csv") { request, _ in
            try await signedIn(request) { session, layout in try await accountsCSV(request, session, layout) }
        }
        router.post("/console/accounts/:id/reset") { request, context in
            try await signedIn(request) { session, layout in
                let form = try await ConsoleHTTP.form(request)
                guard session.accepts(form["csrf"]) else { return badForm(layout) }
                guard ResetScope.of(session.user) != .nobody else {
                    return forbidden(layout, ConsoleText.accountsRefused)
                }
                let result = try await AdminService(services: services)
                    .resetPassword(by: session.user, userId: context.parameters.get("id") ?? "")
                return ConsoleHTTP.page(ConsoleAccountsPage.reset(layout, result: result))
            }
        }
        router.get("/console/notices") { request, _ in
            try await signedIn(request) { session, layout in
                var message: HTML = ""
                switch request.uri.queryParameters.get("done") {
                case "posted": message = "<p class=\"ok\">\(layout.t(ConsoleText.noticePosted))</p>"
                case "withdrawn": message = "<p class=\"ok\">\(layout.t(ConsoleText.noticeWithdrawn))</p>"
                default: break
                }
                return try await noticesPage(session, layout, message: message)
            }
        }
        router.post("/console/notices") { request, _ in
            try await signedIn(request) { session, layout in try await postNotice(request, session, layout) }
        }
        router.post("/console/notices/:id/withdraw") { request, context in
            try await signedIn(request) { session, layout in
                guard let id = context.parameters.get("id").flatMap({ UUID(text: $0) }) else {
                    return notFound(layout)
                }
                return try await withdrawNotice(id, request, session, layout)
            }
        }
        router.get("/console/dashboard") { request, _ in
            try await signedIn(request) { session, layout in
                guard Self.isMinistry(session.user) else { return forbidden(layout, ConsoleText.dashboardRefused) }
                let kind = Self.dashboardKind(request)
                let counts = try await services.records.dashboard(kind: kind, user: session.user)
                return ConsoleHTTP.page(ConsoleDashboardPage.render(layout, kind: kind, counts: counts, regions: .standard))
            }
        }
        router.get("/console/dashboard.csv") { request, _ in
            try await signedIn(request) { session, layout in
                guard Self.isMinistry(session.user) else { return forbidden(layout, ConsoleText.dashboardRefused) }
                let kind = Self.dashboardKind(request)
                let counts = try await services.records.dashboard(kind: kind, user: session.user)
                let table = ConsoleDashboardPage.csv(counts, language: layout.language, regions: .standard)
                return ConsoleCSV.response(filename: "dashboard-\(kind.rawValue).csv", header: table.header,
                                           rows: table.rows)
            }
        }
        router.get("/console/catalogues") { request, _ in
            try await signedIn(request) { session, layout in
                guard Self.isMinistry(session.user) else { return forbidden(layout, ConsoleText.dashboardRefused) }
                let catalogues = try await services.records.catalogueSummaries()
                return ConsoleHTTP.page(ConsoleCataloguesPage.render(layout, catalogues: catalogues))
            }
        }
        router.get("/console/queue.csv") { request, _ in
            try await signedIn(request) { session, layout in try await queueCSV(request, session, layout) }
        }
        router.get("/directory") { request, _ in
            try await directory(request)
        }
        router.get("/directory.csv") { request, _ in
            try await directoryCSV(request)
        }
    }

    func forbidden(_ layout: ConsoleLayout, _ text: LocalizedText) -> Response {
        ConsoleHTTP.page(ConsoleAuthPages.message(layout, title: layout.t(ConsoleText.errorTitle), text: layout.t(text)),
                         status: .forbidden)
    }

    /// A query parameter, trimmed and cut to `length`; nil when blank.
    static func parameter(_ request: Request, _ name: String, length: Int = 100) -> String? {
        guard let value = request.uri.queryParameters.get(name)?.trimmingCharacters(in: .whitespaces),
              !value.isEmpty else { return nil }
        return String(value.prefix(length))
    }

    static func dashboardKind(_ request: Request) -> RecordKind {
        parameter(request, "kind").flatMap(RecordKind.init(rawValue:))
            .flatMap { ConsoleDashboardPage.kinds.contains($0) ? $0 : nil } ?? .application
    }

    // MARK: - Accounts

    func accounts(_ request: Request, _ session: ConsoleSession, _ layout: ConsoleLayout) async throws -> Response {
        let scope = ResetScope.of(session.user)
        guard scope != .nobody else { return forbidden(layout, ConsoleText.accountsRefused) }
        let search = Self.parameter(request, "q", length: 64)
        let after = Self.parameter(request, "after", length: 64)
        let page = try await services.accounts.accounts(in: scope, search: search, after: after, limit: 50,
                                                        regions: .standard)
        return ConsoleHTTP.page(ConsoleAccountsPage.render(layout, session: session, search: search, after: after,
                                                           page: page, regions: .standard))
    }

    func accountsCSV(_ request: Request, _ session: ConsoleSession, _ layout: ConsoleLayout) async throws -> Response {
        let scope = ResetScope.of(session.user)
        guard scope != .nobody else { return forbidden(layout, ConsoleText.accountsRefused) }
        let search = Self.parameter(request, "q", length: 64)
        var users: [UserInfo] = []
        var after: String?
        repeat {
            let page = try await services.accounts.accounts(in: scope, search: search, after: after, limit: 500,
                                                            regions: .standard)
            users += page.users
            after = page.next
        } while after != nil && users.count < Self.exportLimit
        return ConsoleCSV.response(filename: "accounts.csv", header: ConsoleAccountsPage.csvHeader(layout.language),
                                   rows: ConsoleAccountsPage.csvRows(users, language: layout.language, regions: .standard))
    }

    // MARK: - Notices

    func noticesPage(_ session: ConsoleSession, _ layout: ConsoleLayout, message: HTML,
                     status: HTTPResponse.Status = .ok) async throws -> Response {
        let notices = try await services.records.notices(user: session.user, limit: 200)
        return ConsoleHTTP.page(ConsoleNoticesPage.render(layout, session: session, notices: notices,
                                                          canPost: Self.mayPostNotices(session.user),
                                                          message: message, regions: .standard), status: status)
    }

    func postNotice(_ request: Request, _ session: ConsoleSession, _ layout: ConsoleLayout) async throws -> Response {
        let form = try await ConsoleHTTP.form(request)
        guard session.accepts(form["csrf"]) else { return badForm(layout) }
        guard Self.mayPostNotices(session.user) else { return forbidden(layout, ConsoleText.noticesRefused) }
        var set: [String: JSONValue] = [:]
        for (path, name) in [("notice.title", "title"), ("notice.body", "body"), ("notice.region", "region")] {
            let value = (form[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if !value.isEmpty { set[path] = .string(value) }
        }
        for field in FormSchema.fields(for: .notice) where field.required && set[field.path] == nil {
            let text = LocalizedText(zh: "“\(field.label.zh)”为必填项", en: "\(field.label.en) is required")
            return try await noticesPage(session, layout, message: refusal(text, layout), status: .unprocessableContent)
        }
        let id = services.environment.newId()
        let now = services.environment.now()
        if let refused = try await pushOne(session, { seq in
            Mutation(seq: seq, recordId: id, kind: .notice, op: .create, set: set, deviceTime: now)
        }) {
            return try await noticesPage(session, layout, message: refusal(refused, layout), status: .unprocessableContent)
        }
        return ConsoleHTTP.redirect("/console/notices?done=posted")
    }

    func withdrawNotice(_ id: UUID, _ request: Request, _ session: ConsoleSession,
                        _ layout: ConsoleLayout) async throws -> Response {
        let form = try await ConsoleHTTP.form(request)
        guard session.accepts(form["csrf"]) else { return badForm(layout) }
        guard let version = form["version"].flatMap({ Int($0) }) else { return badForm(layout) }
        guard let notice = try await services.records.visibleRecord(id, user: session.user), notice.kind == .notice
        else { return notFound(layout) }
        if let refused = try await pushOne(session, { seq in
            Mutation(seq: seq, recordId: id, kind: .notice, op: .delete, baseVersion: version,
                     deviceTime: services.environment.now())
        }) {
            return try await noticesPage(session, layout, message: refusal(refused, layout), status: .unprocessableContent)
        }
        return ConsoleHTTP.redirect("/console/notices?done=withdrawn")
    }

    /// Pushes one mutation under the session's client id (every console action goes this way); nil when
    /// applied, else why not.
    func pushOne(_ session: ConsoleSession, _ make: (Int) -> Mutation) async throws -> LocalizedText? {
        do {
            let pushed = try await services.sync.pushContinuing(clientId: session.clientId, mutations: [make(1)],
                                                                user: session.user)
            if let result = pushed.results.first, result.status == .applied || result.status == .merged { return nil }
            return APIErrorDetail.localized(pushed.results.first?.error)
        } catch let error as ServiceError {
            return APIErrorDetail.localized(error.detail)
        }
    }

    func refusal(_ text: LocalizedText, _ layout: ConsoleLayout) -> HTML {
        "<p class=\"error\">\(layout.t(ConsoleText.refused))\(layout.t(text))</p>"
    }

    // MARK: - Work queue export

    func queueCSV(_ request: Request, _ session: ConsoleSession, _ layout: ConsoleLayout) async throws -> Response {
        var query = ConsoleQueuePage.query(request.uri.queryParameters, role: session.user.info.role, limit: 500)
        var records: [GreenMineShared.Record] = []
        repeat {
            let page = try await services.records.queue(query, user: session.user)
            records += page.records
            query.after = page.next
        } while query.after != nil && records.count < Self.exportLimit
        let language = layout.language
        let regions = RegionTable.standard
        let header = [ConsoleText.mineName, ConsoleText.kind, ConsoleText.state, ConsoleText.region, ConsoleText.licence,
                      ConsoleText.updated].map { $0.text(language) } + ["ID"]
        let rows = records.map { record in
            [record.text("basic.mineName") ?? record.text("basic.holder") ?? "", record.kind.label.text(language),
             record.state.label.text(language), record.region.map { regions.displayPath(of: $0) } ?? "",
             record.text(FormSchema.licencePath) ?? "", ConsoleLayout.time(record.updatedAt), record.id.wireString]
        }
        return ConsoleCSV.response(filename: "queue.csv", header: header, rows: rows)
    }

    // MARK: - Public directory

    func directory(_ request: Request) async throws -> Response {
        let layout = ConsoleLayout(language: ConsoleHTTP.language(request), session: nil, path: request.uri.path)
        let search = Self.parameter(request, "q")
        let after = Self.parameter(request, "after", length: 64)
        let page = try await services.records.directory(search: search, after: after, limit: 50)
        return withLanguage(ConsoleHTTP.page(ConsoleDirectoryPage.render(layout, search: search, after: after, page: page,
                                                                         regions: .standard)), request)
    }

    func directoryCSV(_ request: Request) async throws -> Response {
        let language = ConsoleHTTP.language(request)
        let search = Self.parameter(request, "q")
        var entries: [DirectoryEntry] = []
        var after: String?
        repeat {
            let page = try await services.records.directory(search: search, after: after, limit: 1000)
            entries += page.entries
            after = page.next
        } while after != nil && entries.count < Self.exportLimit
        let table = ConsoleDirectoryPage.csv(entries, language: language, regions: .standard)
        return ConsoleCSV.response(filename: "directory.csv", header: table.header, rows: table.rows)
    }
}
