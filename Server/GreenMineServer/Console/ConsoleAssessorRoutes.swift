import Foundation
import GreenMineShared
import Hummingbird
import NIOCore

/// The record page's own routes: its stylesheet and script, the assessor's scoresheet (preview, save)
/// and report upload — each saved through the push path the API uses, under the session's client id.
extension ConsoleController {
    func addRecordRoutes(to router: Router<AppRequestContext>) {
        router.get("/console/static/record.css") { _, _ in
            Self.staticFile(ConsoleRecordAssets.css, type: "text/css; charset=utf-8")
        }
        router.get("/console/static/scoresheet.js") { _, _ in
            Self.staticFile(ConsoleRecordAssets.scoresheetScript, type: "text/javascript; charset=utf-8")
        }
        router.post("/console/records/:id/scoresheet") { request, context in
            try await signedIn(request) { session, layout in
                guard let id = context.parameters.get("id").flatMap({ UUID(text: $0) }) else {
                    return notFound(layout)
                }
                return try await saveScoresheet(id, request: request, session: session, layout: layout)
            }
        }
        router.post("/console/records/:id/report") { request, context in
            try await signedIn(request) { session, layout in
                guard let id = context.parameters.get("id").flatMap({ UUID(text: $0) }) else {
                    return notFound(layout)
                }
                return try await uploadReport(id, request: request, session: session, layout: layout)
            }
        }
    }

    static func staticFile(_ text: String, type: String) -> Response {
        var headers = ConsoleHTTP.headers(contentType: type)
        headers[.cacheControl] = "public, max-age=3600"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// The note a redirect after a save carries (`?saved=scores|report|nochange`).
    static func savedNotice(_ request: Request) -> (inout ConsoleRelated) -> Void {
        let saved = request.uri.queryParameters.get("saved")
        return { related in
            switch saved {
            case "scores": related.message = ConsoleMessage(ok: true, text: ConsoleText.scoresSaved)
            case "report": related.message = ConsoleMessage(ok: true, text: ConsoleText.reportSaved)
            case "nochange": related.message = ConsoleMessage(ok: true, text: ConsoleText.nothingChanged)
            default: break
            }
        }
    }

    /// The application behind a scoresheet or report form, with what its page shows, once this user
    /// may score it now; otherwise the answer to send.
    func scoringTarget(_ id: UUID, session: ConsoleSession, layout: ConsoleLayout) async throws
        -> Result<(Record, ConsoleRelated, Catalogue), Refused> {
        guard let application = try await services.records.visibleRecord(id, user: session.user),
              application.kind == .application else { return .failure(Refused(notFound(layout))) }
        var parent: Record?
        if let parentId = application.parentId {
            parent = try await services.records.visibleRecord(parentId, user: session.user)
        }
        let related = try await related(application, parent: parent, user: session.user)
        guard related.canScore, let catalogue = related.catalogue else {
            return .failure(Refused(ConsoleHTTP.page(ConsoleAuthPages.message(
                layout, title: layout.t(ConsoleText.errorTitle), text: layout.t(ConsoleText.cannotScore)),
                status: .forbidden)))
        }
        return .success((application, related, catalogue))
    }

    /// An answer that ends a request early.
    struct Refused: Error {
        var response: Response

        init(_ response: Response) {
            self.response = response
        }
    }

    /// Pushes mutations made by `make(firstSeq)` under the session's client id, numbered by the server
    /// in the push's own transaction (`pushContinuing`).
    func push(_ session: ConsoleSession, _ make: (Int) -> [Mutation]) async throws -> [MutationResult] {
        let pushed = try await services.sync.pushContinuing(clientId: session.clientId, mutations: make(1),
                                                            user: session.user)
        return pushed.results
    }

    /// Why a pushed mutation was not applied, for people.
    static func refusal(_ result: MutationResult?) -> LocalizedText {
        if let conflicts = result?.conflicts, !conflicts.isEmpty {
            let paths = conflicts.map(\.path).joined(separator: ", ")
            return LocalizedText(zh: ConsoleText.scoresConflict.zh + paths, en: ConsoleText.scoresConflict.en + paths)
        }
        let why = APIErrorDetail.localized(result?.error)
        return LocalizedText(zh: ConsoleText.refused.zh + why.zh, en: ConsoleText.refused.en + why.en)
    }

    /// 保存评分 / 预览: reads the form against the catalogue; a preview (or a form with wrong numbers)
    /// shows the page again with the score the server computes from what was typed; a save patches the
    /// assessment (making it on first use, naming the catalogue) exactly as `greenmine assess score` does.
    func saveScoresheet(_ id: UUID, request: Request, session: ConsoleSession, layout: ConsoleLayout) async throws
        -> Response {
        let form = try await ConsoleHTTP.form(request)
        guard session.accepts(form["csrf"]) else { return badForm(layout) }
        let target: (Record, ConsoleRelated, Catalogue)
        switch try await scoringTarget(id, session: session, layout: layout) {
        case .failure(let refused): return refused.response
        case .success(let found): target = found
        }
        let (application, current, catalogue) = target
        let input = ConsoleScoresheetInput(form: form, catalogue: catalogue)
        func again(_ message: ConsoleMessage, _ status: HTTPResponse.Status) async throws -> Response {
            try await recordPage(id, session: session, layout: layout, outcome: nil, status: status) { related in
                related.typed = input.typed
                related.sheet = input.sheet
                related.summary = input.summary
                related.message = message
            }
        }
        if !input.problems.isEmpty {
            let text = LocalizedText(zh: input.problems.map(\.zh).joined(separator: "；"),
                                     en: input.problems.map(\.en).joined(separator: "; "))
            return try await again(ConsoleMessage(ok: false, text: text), .unprocessableContent)
        }
        if form["do"] == "preview" {
            return try await again(ConsoleMessage(ok: true, text: ConsoleText.previewShown), .ok)
        }
        let changes = input.changes(from: current.assessment)
        let address = "/console/records/\(application.id.wireString)"
        guard !changes.isEmpty else { return ConsoleHTTP.redirect(address + "?saved=nochange#scoresheet") }
        let now = services.environment.now()
        let results: [MutationResult]
        if let assessment = current.assessment {
            let shown = form["version"].flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil } ?? assessment.version
            results = try await push(session) { seq in
                [Mutation(seq: seq, recordId: assessment.id, kind: .assessment, op: .patch, baseVersion: shown,
                          set: changes, deviceTime: now)]
            }
        } else {
            var fields = changes
            fields["assessment.catalogueId"] = .string(catalogue.id)
            let newId = services.environment.newId()
            results = try await push(session) { seq in
                [Mutation(seq: seq, recordId: newId, kind: .assessment, op: .create, set: fields,
                          parentId: application.id, deviceTime: now)]
            }
        }
        let result = results.first
        if result?.status == .applied || result?.status == .merged {
            return ConsoleHTTP.redirect(address + "?saved=scores#scoresheet")
        }
        return try await again(ConsoleMessage(ok: false, text: Self.refusal(result)),
                               result?.status == .conflict ? .conflict : .unprocessableContent)
    }

    /// 上传评估报告: a `multipart/form-data` POST streamed to an upload file while hashed, refused past the
    /// slot's limit (413, nothing kept), checked by content with the Shared attachment rules, kept as a
    /// blob as a finished tus upload is, and attached to the assessment through the push path.
    func uploadReport(_ id: UUID, request: Request, session: ConsoleSession, layout: ConsoleLayout) async throws
        -> Response {
        let slot = ConsoleReportUpload.slot
        guard let limit = AttachmentRules.slot(slot)?.maxBytes,
              let boundary = request.headers[.contentType].flatMap(MultipartParser.boundary(contentType:)) else {
            return badForm(layout)
        }
        if let declared = request.headers[.contentLength].flatMap({ Int64($0) }),
           declared > limit + ConsoleReportUpload.formAllowance {
            return ConsoleReportUpload.tooLarge(layout, limit: limit)
        }
        let target: (Record, ConsoleRelated, Catalogue)
        switch try await scoringTarget(id, session: session, layout: layout) {
        case .failure(let refused): return refused.response
        case .success(let found): target = found
        }
        let (application, current, _) = target
        let received: ConsoleReportUpload.Received
        do {
            received = try await ConsoleReportUpload.receive(request.body, boundary: boundary, limit: limit,
                                                             uploads: services.uploads)
        } catch is ReceivingFile.TooLarge {
            return ConsoleReportUpload.tooLarge(layout, limit: limit)
        } catch is MultipartError {
            return badForm(layout)
        }
        func refuse(_ text: LocalizedText, _ status: HTTPResponse.Status) async throws -> Response {
            if let file = received.file { await services.uploads.discard(file) }
            return try await recordPage(id, session: session, layout: layout, outcome: nil, status: status) { related in
                related.message = ConsoleMessage(ok: false, text: text)
            }
        }
        guard session.accepts(received.fields["csrf"]) else {
            if let file = received.file { await services.uploads.discard(file) }
            return badForm(layout)
        }
        guard let file = received.file else {
            return try await refuse(ConsoleText.chooseReport, .unprocessableContent)
        }
        let type = ContentSniffer.detect(head: file.head)
        if let violation = AttachmentRules.check(slot: slot, kind: .assessment, size: file.size, type: type,
                                                 name: file.name, existing: current.assessment?.attachments ?? []) {
            return try await refuse(violation.message, .unprocessableContent)
        }
        guard let type, ContentSniffer.isComplete(type, tail: file.tail) else {
            return try await refuse(ConsoleText.reportTruncated, .unprocessableContent)
        }
        let blob = try await services.uploads.keep(file, type: type, user: session.user)
        let now = services.environment.now()
        let attachment = MutationAttachment(slot: slot, sha256: blob.sha256, name: file.name)
        let catalogueId = current.catalogue?.id ?? Catalogue.sample.id
        let newId = services.environment.newId()
        let results = try await push(session) { seq in
            guard let assessment = current.assessment else {
                return [
                    Mutation(seq: seq, recordId: newId, kind: .assessment, op: .create,
                             set: ["assessment.catalogueId": .string(catalogueId)], parentId: application.id,
                             deviceTime: now),
                    Mutation(seq: seq + 1, recordId: newId, kind: .assessment, op: .attach, baseVersion: 1,
                             attachment: attachment, deviceTime: now),
                ]
            }
            return [Mutation(seq: seq, recordId: assessment.id, kind: .assessment, op: .attach,
                             baseVersion: assessment.version, attachment: attachment, deviceTime: now)]
        }
        guard let last = results.last, last.status == .applied || last.status == .merged else {
            let failed = results.first { $0.status != .applied && $0.status != .merged }
            return try await recordPage(id, session: session, layout: layout, outcome: nil,
                                        status: .unprocessableContent) { related in
                related.message = ConsoleMessage(ok: false, text: Self.refusal(failed))
            }
        }
        return ConsoleHTTP.redirect("/console/records/\(application.id.wireString)?saved=report#scoresheet")
    }
}
