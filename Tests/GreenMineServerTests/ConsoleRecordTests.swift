import Crypto
import Foundation
import GRDB
import GreenMineShared
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import GreenMineServer

/// The record page (forms, findings, files, evidence, scoresheet), the assessor's scoresheet and report
/// upload, and the work queue's dates, orders and opinions — through the router on a real SQLite file.
@Suite struct ConsoleRecordTests {
    // MARK: - Helpers

    /// Demo enterprise 1's application, submitted, accepted and assigned to the demo agency
    /// (`afterSubmit` runs on the submitted application before the province acts).
    static func assigned(_ harness: Harness, _ api: API,
                         afterSubmit: (GreenMineShared.Record) async throws -> Void = { _ in })
        async throws -> GreenMineShared.Record {
        let enterprise = try await harness.token("demo-ent1")
        let province = try await harness.token("demo-province")
        var ent = Device()
        var prov = Device()
        let pre = try await api.submittedPreApplication(enterprise, &ent)
        _ = try await api.approvedByProvince(pre, province: province, &prov)
        let application = try await api.submittedApplication(enterprise, &ent)
        try await afterSubmit(application)
        let accepted = try await api.apply(province, prov, prov.transition(application, .accept))
        return try await api.apply(province, prov, prov.transition(accepted, .assign, agency: DemoData.agency))
    }

    /// The assessments of an application, as stored.
    static func assessments(_ harness: Harness, of application: UUID) async throws -> [GreenMineShared.Record] {
        try await harness.backend.column("SELECT body FROM records WHERE parent_id = ? AND kind = 'assessment'",
                                         [.text(application.uuidString)], as: String.self).compactMap {
            try $0.map { try WireCoding.decode(GreenMineShared.Record.self, from: Data($0.utf8)) }
        }
    }

    static func blobCount(_ harness: Harness) async throws -> Int {
        try await harness.backend.value("SELECT count(*) FROM blobs") ?? 0
    }

    /// Files left in the upload folder.
    static func partFiles(_ harness: Harness) -> [String] {
        let folder = harness.directory.appendingPathComponent("blobs/uploads").path
        return (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    }

    /// A `multipart/form-data` body: text fields, then one file.
    static func multipart(boundary: String, fields: [(String, String)], file: (name: String, type: String, bytes: [UInt8])?)
        -> ByteBuffer {
        var body = ByteBuffer()
        for (name, value) in fields {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        if let file {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"report\"; filename=\"\(file.name)\"\r\n"
                + "Content-Type: \(file.type)\r\n\r\n")
            body.writeBytes(file.bytes)
            body.writeString("\r\n")
        }
        body.writeString("--\(boundary)--\r\n")
        return body
    }

    static func upload(_ browser: ConsoleBrowser, _ uri: String, csrf: String,
                       file: (name: String, type: String, bytes: [UInt8])?) async throws -> TestResponse {
        let boundary = "----GreenMineTestBoundary7MA4YWxk"
        var headers = HTTPFields()
        headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
        let cookie = browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        headers[.cookie] = cookie
        return try await browser.client.execute(uri: uri, method: .post, headers: headers,
                                                body: multipart(boundary: boundary, fields: [("csrf", csrf)], file: file))
    }

    static let pdf: [UInt8] = Array("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".utf8)

    // MARK: - Record page

    @Test func theRecordPageShowsTheFormsFindingsEvidenceScoresheetAndPassRules() async throws {
        let harness = try await Harness()
        try await ConsoleTests.withConsole(harness) { api, browser in
            let enterprise = try await harness.token("demo-ent1")
            var ent = Device()
            let assessed = try await api.assessedApplication(harness, share: 0.78) { assigned in
                // Evidence for item 1.1.1, with a photo, added while the application is being assessed.
                let evidence = try await api.apply(enterprise, ent, ent.create(
                    .evidence, set: ["evidence.indicator": .string("1.1.1"), "evidence.note": .string("分区布局照片")],
                    parent: assigned.id))
                _ = try await api.apply(enterprise, ent, ent.attach(evidence, slot: "evidence.image", sha256: Sample.imageSHA))
            }
            try await browser.login("demo-province", try #require(harness.passwords["demo-province"]))
            let page = try await browser.get("/console/records/\(assessed.id.wireString)")
            #expect(page.status == .ok)
            let html = page.html
            // The four forms in the manual's order, from the Shared schema.
            let titles = FormSchema.sections(for: .application).map(\.title.zh)
            #expect(titles == ["矿山企业基本信息", "矿山企业联系方式", "绿色矿山建设指标", "绿色矿山建设情况"])
            let positions = titles.compactMap { html.range(of: ">\($0)</h3>")?.lowerBound }
            #expect(positions.count == 4)
            #expect(positions == positions.sorted())
            #expect(html.contains("id=\"findings\""))
            // Linked records: the pre-application above, the evidence and the assessment below.
            #expect(html.contains("关联记录"))
            #expect(html.contains(">\(RecordKind.evidence.label.zh)</a>"))
            #expect(html.contains(">\(RecordKind.assessment.label.zh)</a>"))
            // Evidence under its indicator, with its photo inline and a full-size view.
            #expect(html.contains("id=\"ev-1.1.1\""))
            #expect(html.contains("1.1.1 功能分区与布局合理"))
            #expect(html.contains("分区布局照片"))
            #expect(html.contains("class=\"lightbox\""))
            // The scoresheet: 78 % of everything is 780 of 1000; every primary reaches 75 %, the total does not.
            let result = Catalogue.sample.score(AssessmentSheet.scoresheet(
                of: try #require(try await Self.assessments(harness, of: assessed.id).first)))
            #expect(abs(result.total - 780) < 1e-6)
            #expect(html.contains("<output id=\"total\">780</output>"))
            #expect(html.contains("<output id=\"primary-2\" data-max=\"280\">218.4</output>"))
            let totalRule = try #require(html.range(of: "id=\"rule-total\"").map { String(html[$0.upperBound...].prefix(300)) })
            #expect(totalRule.contains("780 ≥ 800"))
            #expect(totalRule.contains("✗"))
            let primaryRule = try #require(html.range(of: "id=\"rule-1\"").map { String(html[$0.upperBound...].prefix(300)) })
            #expect(primaryRule.contains("✓"))
            #expect(html.contains("结论：未达到通过条件"))
            #expect(html.contains("总分 780 分，低于通过线 800 分"))
            // The province sees it read-only.
            #expect(!html.contains("name=\"s.1.1.1\""))

            // A finding: once the licence has expired the data check says so.
            harness.clock.advance(by: 6 * 365 * 86_400)
            let later = ConsoleBrowser(client: api.client)
            try await later.login("demo-province", try #require(harness.passwords["demo-province"]))
            let expired = try await later.get("/console/records/\(assessed.id.wireString)").html
            #expect(expired.contains("采矿许可证已于 2031-12-31 过期"))
        }
    }

    @Test func filesAreShownByTypeAndAVideoIsStreamedWithRanges() async throws {
        let harness = try await Harness()
        let bytes = (0..<5000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let videoSHA = String(repeating: "9e", count: 32)
        let path = harness.blobs.blobPath(videoSHA)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        let pdfPath = harness.blobs.blobPath(Sample.pdfSHA)
        try FileManager.default.createDirectory(atPath: (pdfPath as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: pdfPath, contents: Data(repeating: 0x25, count: 4096)))
        try await harness.ownBlob(videoSHA, size: bytes.count, mime: "video/mp4", by: "demo-ent1")
        try await ConsoleTests.withConsole(harness) { api, browser in
            let enterprise = try await harness.token("demo-ent1")
            let province = try await harness.token("demo-province")
            var ent = Device()
            var prov = Device()
            let pre = try await api.submittedPreApplication(enterprise, &ent)
            _ = try await api.approvedByProvince(pre, province: province, &prov)
            var application = try await api.apply(enterprise, ent, ent.create(.application, set: Sample.applicationFields()))
            application = try await api.apply(enterprise, ent, ent.attach(application, slot: "app.video", sha256: videoSHA,
                                                                          name: "巡查.mp4"))
            application = try await api.apply(enterprise, ent, ent.attach(application, slot: "app.pdf", sha256: Sample.pdfSHA,
                                                                          name: "自评报告.pdf"))
            application = try await api.apply(enterprise, ent, ent.transition(application, .submit))

            try await browser.login("demo-province", try #require(harness.passwords["demo-province"]))
            let html = try await browser.get("/console/records/\(application.id.wireString)").html
            #expect(html.contains("<video class=\"attachment\" controls preload=\"metadata\" src=\"/console/blobs/\(videoSHA)\"></video>"))
            #expect(html.contains("<a href=\"/console/blobs/\(Sample.pdfSHA)\" target=\"_blank\" rel=\"noopener\">自评报告.pdf</a>"))
            #expect(html.contains(AttachmentRules.slot("app.video")?.label.zh ?? "-"))
            #expect(!html.contains("<iframe") && !html.contains("<embed") && !html.contains("<object"))

            var range = HTTPFields()
            range[.range] = "bytes=1000-1999"
            let part = try await browser.get("/console/blobs/\(videoSHA)", headers: range)
            #expect(part.status == .partialContent)
            #expect(part.headers[.contentRange] == "bytes 1000-1999/5000")
            #expect(part.headers[.contentType] == "video/mp4")
            #expect(Array(part.body.readableBytesView) == Array(bytes[1000...1999]))
            var tail = HTTPFields()
            tail[.range] = "bytes=-10"
            let end = try await browser.get("/console/blobs/\(videoSHA)", headers: tail)
            #expect(end.status == .partialContent)
            #expect(Array(end.body.readableBytesView) == Array(bytes[4990...]))
            let whole = try await browser.get("/console/blobs/\(videoSHA)")
            #expect(whole.status == .ok)
            #expect(whole.headers[.acceptRanges] == "bytes")
            let document = try await browser.get("/console/blobs/\(Sample.pdfSHA)")
            #expect(document.headers[.contentType] == "application/pdf")
            #expect(document.headers[.contentDisposition] == "inline")
        }
    }

    // MARK: - Assessor

    @Test func theAssessorSavesAScoresheetAndTheServerComputesTheSameVerdict() async throws {
        let harness = try await Harness()
        try await ConsoleTests.withConsole(harness) { api, browser in
            let application = try await Self.assigned(harness, api)
            let uri = "/console/records/\(application.id.wireString)"
            try await browser.login("demo-assessor", try #require(harness.passwords["demo-assessor"]))
            let page = try await browser.get(uri)
            #expect(page.status == .ok)
            let html = page.html
            #expect(html.contains("name=\"s.1.1.1\""))
            #expect(html.contains("name=\"p.P1\""))
            #expect(html.contains("enctype=\"multipart/form-data\""))
            #expect(html.contains("name=\"transition\" value=\"completeAssessment\""))
            // Scripts only from the binary, never inline.
            #expect(html.contains("<script src=\"/console/static/scoresheet.js\" defer></script>"))
            #expect(html.components(separatedBy: "<script").count == 2)
            let script = try await browser.get("/console/static/scoresheet.js")
            #expect(script.status == .ok)
            #expect(script.headers[.contentType]?.hasPrefix("text/javascript") == true)
            let csrf = try ConsoleBrowser.csrf(in: page)

            var form: [String: String] = ["csrf": csrf, "version": "0", "summary": "现场核查完成"]
            for prerequisite in Catalogue.sample.prerequisites { form["p.\(prerequisite.code)"] = "yes" }
            for item in Catalogue.sample.allItems { form["s.\(item.code)"] = ConsoleScoresheetView.points(item.maxPoints * 0.9) }
            // A preview computes the verdict and saves nothing.
            form["do"] = "preview"
            let preview = try await browser.send(.post, uri + "/scoresheet", form: form)
            #expect(preview.status == .ok)
            #expect(preview.html.contains("<output id=\"total\">900</output>"))
            #expect(preview.html.contains("结论：达到通过条件"))
            #expect(try await Self.assessments(harness, of: application.id).isEmpty)
            // A number out of range is refused, with what was typed kept.
            var wrong = form
            wrong["s.1.1.1"] = "25"
            wrong["do"] = "save"
            let refused = try await browser.send(.post, uri + "/scoresheet", form: wrong)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.html.contains("超出范围"))
            #expect(refused.html.contains("value=\"25\""))
            #expect(try await Self.assessments(harness, of: application.id).isEmpty)
            // Without the form's token nothing is saved.
            var forged = form
            forged["csrf"] = "0000"
            forged["do"] = "save"
            #expect(try await browser.send(.post, uri + "/scoresheet", form: forged).status == .forbidden)

            // Saved: an assessment record made through the push path, with the CLI's fields.
            form["do"] = "save"
            let saved = try await browser.send(.post, uri + "/scoresheet", form: form)
            #expect(saved.status == .seeOther)
            let stored = try #require(try await Self.assessments(harness, of: application.id).first)
            #expect(stored.fields["assessment.catalogueId"] == .string(Catalogue.sample.id))
            #expect(stored.fields["prerequisites.P1"] == .bool(true))
            #expect(stored.fields["scores.1.1.1"] == .int(18))
            #expect(stored.text("assessment.summary") == "现场核查完成")
            let computed = Catalogue.sample.score(AssessmentSheet.scoresheet(of: stored))
            #expect(computed.total == 900)
            #expect(computed.passed)
            let after = try await browser.get(try #require(saved.headers[.location]))
            #expect(after.html.contains("评分已保存"))
            #expect(after.html.contains("<output id=\"total\">\(ConsoleScoresheetView.points(computed.total))</output>"))
            #expect(after.html.contains("结论：达到通过条件"))
            // A second save changes only what differs (a patch on the shown version).
            form["s.1.1.1"] = "10"
            form["version"] = String(stored.version)
            #expect(try await browser.send(.post, uri + "/scoresheet", form: form).status == .seeOther)
            let patched = try #require(try await Self.assessments(harness, of: application.id).first)
            #expect(patched.id == stored.id)
            #expect(patched.version == stored.version + 1)
            #expect(Catalogue.sample.score(AssessmentSheet.scoresheet(of: patched)).total == 892)

            // The report first (issue 14: required; the console's report upload is tested below).
            var reporter = Device()
            _ = try await api.apply(try await harness.token("demo-assessor"), reporter, reporter.attach(
                patched, slot: "assessment.report", sha256: Sample.pdfSHA, name: "评估报告.pdf"))
            // Submitted from the page, then approved by the province: the server's rules agree.
            let current = try await browser.get(uri)
            let submitted = try await browser.send(.post, uri + "/act", form: [
                "csrf": csrf, "transition": "completeAssessment", "comment": "",
                "version": try #require(ConsoleBrowser.hidden("version", in: current.html, after: "value=\"completeAssessment\"")),
            ])
            #expect(submitted.status == .seeOther)
            let assessed = try #require(try await harness.stored(application.id))
            #expect(assessed.state == .assessed)
            var prov = Device()
            let approved = try await api.apply(try await harness.token("demo-province"), prov, prov.transition(assessed, .approve))
            #expect(approved.state == .approved)
            // Once assessed, the form is gone.
            #expect(!(try await browser.get(uri).html.contains("name=\"s.1.1.1\"")))
        }
    }

    @Test func anotherAgencyOrRoleCannotScore() async throws {
        let harness = try await Harness()
        try await ConsoleTests.withConsole(harness) { api, browser in
            let application = try await Self.assigned(harness, api)
            let uri = "/console/records/\(application.id.wireString)"
            try await browser.login("demo-province", try #require(harness.passwords["demo-province"]))
            let page = try await browser.get(uri)
            let response = try await browser.send(.post, uri + "/scoresheet", form: [
                "csrf": try ConsoleBrowser.csrf(in: page), "do": "save", "p.P1": "yes",
            ])
            #expect(response.status == .forbidden)
            #expect(try await Self.assessments(harness, of: application.id).isEmpty)
            let upload = try await Self.upload(browser, uri + "/report", csrf: try ConsoleBrowser.csrf(in: page),
                                               file: ("r.pdf", "application/pdf", Self.pdf))
            #expect(upload.status == .forbidden)
        }
    }

    @Test func aPDFReportIsAcceptedAndOthersAreRefusedByContentOrSize() async throws {
        let harness = try await Harness()
        try await ConsoleTests.withConsole(harness) { api, browser in
            let application = try await Self.assigned(harness, api)
            let uri = "/console/records/\(application.id.wireString)"
            try await browser.login("demo-assessor", try #require(harness.passwords["demo-assessor"]))
            let csrf = try ConsoleBrowser.csrf(in: try await browser.get(uri))
            let blobsBefore = try await Self.blobCount(harness)

            // A JPEG named .pdf and declared as PDF: refused by its content, nothing kept.
            let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0] + Array(repeating: 0x11, count: 2000) + [0xFF, 0xD9]
            let spoofed = try await Self.upload(browser, uri + "/report", csrf: csrf,
                                                file: ("评估报告.pdf", "application/pdf", jpeg))
            #expect(spoofed.status == .unprocessableContent)
            #expect(spoofed.html.contains("PDF"))
            #expect(try await Self.blobCount(harness) == blobsBefore)
            #expect(Self.partFiles(harness).isEmpty)
            #expect(try await Self.assessments(harness, of: application.id).isEmpty)

            // Over 50 MB: 413 with a message in both languages, no blob, no upload file.
            let limit = try #require(AttachmentRules.slot("assessment.report")?.maxBytes)
            #expect(limit == 50 * 1_048_576)
            var big = Self.pdf
            big += Array(repeating: 0x20, count: Int(limit) - big.count + 1)
            let tooLarge = try await Self.upload(browser, uri + "/report", csrf: csrf,
                                                 file: ("big.pdf", "application/pdf", big))
            #expect(tooLarge.status == .contentTooLarge)
            #expect(tooLarge.html.contains("50 MB"))
            #expect(tooLarge.html.contains("nothing was kept"))
            #expect(try await Self.blobCount(harness) == blobsBefore)
            #expect(Self.partFiles(harness).isEmpty)

            // Without the form's token: refused, nothing kept.
            let forged = try await Self.upload(browser, uri + "/report", csrf: "0000",
                                               file: ("评估报告.pdf", "application/pdf", Self.pdf))
            #expect(forged.status == .forbidden)
            #expect(try await Self.blobCount(harness) == blobsBefore)
            #expect(Self.partFiles(harness).isEmpty)

            // A real PDF: kept as a blob under its SHA-256 and attached to a new assessment.
            let accepted = try await Self.upload(browser, uri + "/report", csrf: csrf,
                                                 file: ("评估报告.pdf", "application/octet-stream", Self.pdf))
            #expect(accepted.status == .seeOther)
            let sha = SHA256.hash(data: Self.pdf).map { String(format: "%02x", $0) }.joined()
            let assessment = try #require(try await Self.assessments(harness, of: application.id).first)
            #expect(assessment.attachments.map(\.slot) == ["assessment.report"])
            #expect(assessment.attachments.first?.sha256 == sha)
            #expect(assessment.attachments.first?.mime == "application/pdf")
            #expect(assessment.attachments.first?.name == "评估报告.pdf")
            #expect(assessment.fields["assessment.catalogueId"] == .string(Catalogue.sample.id))
            #expect(FileManager.default.contents(atPath: harness.blobs.blobPath(sha)) == Data(Self.pdf))
            #expect(Self.partFiles(harness).isEmpty)
            let page = try await browser.get(try #require(accepted.headers[.location]))
            #expect(page.html.contains("评估报告已上传"))
            #expect(page.html.contains("/console/blobs/\(sha)"))
            // The province reads it in its browser's PDF viewer.
            let province = ConsoleBrowser(client: api.client)
            try await province.login("demo-province", try #require(harness.passwords["demo-province"]))
            let report = try await province.get("/console/blobs/\(sha)")
            #expect(report.status == .ok)
            #expect(report.headers[.contentDisposition] == "inline")
            #expect(Array(report.body.readableBytesView) == Self.pdf)
        }
    }

    @Test func aReportLeftMidReceiptByACrashIsRemovedAtTheNextStart() async throws {
        let harness = try await Harness()
        let uploads = harness.services.uploads
        // One report is kept; another is cut off by a crash (never kept, never discarded).
        let kept = try await uploads.receiving(name: "评估报告.pdf", limit: 1 << 20)
        try await kept.append(ArraySlice(Array("%PDF-1.7\n%%EOF\n".utf8)))
        let user = try await harness.user(try await harness.token("demo-assessor"))
        let blob = try await uploads.keep(kept, type: .pdf, user: user)
        let cut = try await uploads.receiving(name: "半截报告.pdf", limit: 1 << 20)
        try await cut.append(ArraySlice(Array("%PDF-1.7\n".utf8)))
        let folder = (harness.blobs.blobPath(blob.sha256) as NSString).deletingLastPathComponent
        let parts = ((folder as NSString).deletingLastPathComponent as NSString).appendingPathComponent("uploads")
        func leftovers() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: parts).filter { $0.hasSuffix(".receiving") }
        }
        #expect(try leftovers() == [cut.id.uuidString.lowercased() + ".receiving"])
        // Another instance sharing the blob folder may be receiving it right now: it stays while written
        // lately, and goes once unwritten for longer than the idle limit.
        #expect(await uploads.removeAbandonedReceiving() == 0)
        let cutPath = (parts as NSString).appendingPathComponent(cut.id.uuidString.lowercased() + ".receiving")
        try FileManager.default.setAttributes(
            [.modificationDate: harness.clock.now.addingTimeInterval(-UploadService.receivingIdleLimit - 60)],
            ofItemAtPath: cutPath)
        #expect(await uploads.removeAbandonedReceiving() == 1)
        #expect(try leftovers().isEmpty)
        #expect(FileManager.default.fileExists(atPath: harness.blobs.blobPath(blob.sha256)), "the kept report stays")
    }

    @Test func theMultipartParserStreamsAndTheLimitHoldsWhileStreaming() async throws {
        let boundary = "xyzBOUNDARYxyz"
        let file = (0..<3000).map { UInt8(truncatingIfNeeded: $0 % 13 == 0 ? 13 : $0) }
        let body = Self.multipart(boundary: boundary, fields: [("csrf", "abc"), ("note", "说明")],
                                  file: ("a.pdf", "application/pdf", file))
        let bytes = Array(body.readableBytesView)
        // Split anywhere, the parts come out the same.
        for size in [1, 2, 7, 64, 1000, bytes.count] {
            var parser = MultipartParser(boundary: boundary)
            var fields: [String: [UInt8]] = [:]
            var current = ""
            var index = 0
            while index < bytes.count {
                let chunk = Array(bytes[index..<min(bytes.count, index + size)])
                try chunk.withUnsafeBytes { raw in
                    try parser.feed(raw) { event in
                        switch event {
                        case .part(let headers):
                            current = MultipartParser.disposition(headers["content-disposition"] ?? "").name ?? ""
                            fields[current] = []
                        case .data(let data): fields[current, default: []] += data
                        case .partEnd: current = ""
                        }
                    }
                }
                index += size
            }
            try parser.finish()
            #expect(fields["csrf"].map { String(decoding: $0, as: UTF8.self) } == "abc", "\(size)")
            #expect(fields["note"].map { String(decoding: $0, as: UTF8.self) } == "说明", "\(size)")
            #expect(fields["report"] == file, "\(size)")
        }
        // A body cut short is refused.
        var cut = MultipartParser(boundary: boundary)
        try Array(bytes.prefix(500)).withUnsafeBytes { raw in try cut.feed(raw) { _ in } }
        #expect(throws: MultipartError.truncated) { try cut.finish() }
        #expect(MultipartParser.boundary(contentType: "multipart/form-data; boundary=\"a b\"") == "a b")
        #expect(MultipartParser.boundary(contentType: "application/json") == nil)
        #expect(MultipartParser.disposition("form-data; name=\"report\"; filename=\"a\\\"b.pdf\"").filename == "a\"b.pdf")

        // The limit holds while the body streams: refused at the first byte past it, nothing left.
        let harness = try await Harness()
        let stream = AsyncStream<ByteBuffer> { continuation in
            var index = 0
            while index < bytes.count {
                continuation.yield(ByteBuffer(bytes: bytes[index..<min(bytes.count, index + 256)]))
                index += 256
            }
            continuation.finish()
        }
        await #expect(throws: ReceivingFile.TooLarge.self) {
            _ = try await ConsoleReportUpload.receive(stream, boundary: boundary, limit: 2999,
                                                      uploads: harness.services.uploads)
        }
        #expect(Self.partFiles(harness).isEmpty)
        let fits = AsyncStream<ByteBuffer> { continuation in
            continuation.yield(ByteBuffer(bytes: bytes))
            continuation.finish()
        }
        let received = try await ConsoleReportUpload.receive(fits, boundary: boundary, limit: 3000,
                                                             uploads: harness.services.uploads)
        let kept = try #require(received.file)
        #expect(kept.size == 3000)
        #expect(received.fields["csrf"] == "abc")
        #expect(Self.partFiles(harness).count == 1)
        await harness.services.uploads.discard(kept)
        #expect(Self.partFiles(harness).isEmpty)
    }

    // MARK: - Work queue

    @Test func theQueueFiltersByDateAndSortsWithKeysetPaginationInEveryOrder() async throws {
        let harness = try await Harness()
        // Two mines share a name: the id breaks the tie.
        let names = ["Mine C", "Mine A", "Mine E", "Mine B", "Mine D", "Mine B"]
        let numbers = names.indices.map { "C130100202012713000" + String(format: "%04d", 100 + $0) }
        try await harness.services.registry.upsertLicences(names.indices.map { index in
            LicenceInfo(number: numbers[index], holder: "石家庄长安绿源矿业有限公司", creditCode: DemoData.creditCode(1),
                        mineName: names[index], mainMineral: "水泥用灰岩", miningMethod: "openPit", scale: 60, area: 1.2,
                        region: Sample.region, validFrom: "2021-01-01", validTo: "2031-12-31")
        })
        try await ConsoleTests.withConsole(harness) { api, browser in
            var ids: [UUID] = []
            var days: [Date] = []
            var ent = Device()
            for number in numbers {
                let token = try await harness.token("demo-ent1")
                days.append(harness.clock.now)
                ids.append(try await api.submittedPreApplication(token, &ent, licence: number).id)
                harness.clock.advance(by: 86_400)
            }
            let user = try await harness.user(try await harness.token("demo-province"))
            func walk(_ query: QueueQuery) async throws -> [UUID] {
                var query = query
                var seen: [UUID] = []
                var pages = 0
                while true {
                    let page = try await harness.services.records.queue(query, user: user)
                    seen += page.records.map(\.id)
                    pages += 1
                    guard let next = page.next, pages < 10 else { break }
                    query.after = next
                }
                #expect(pages > 1)
                return seen
            }
            let awaited = ConsoleWorkQueue.awaited(for: .province)
            #expect(try await walk(QueueQuery(awaited: awaited, sort: .newest, limit: 2)) == ids.reversed())
            #expect(try await walk(QueueQuery(awaited: awaited, sort: .oldest, limit: 2)) == ids)
            let byName = names.indices.sorted {
                (names[$0], ids[$0].uuidString) < (names[$1], ids[$1].uuidString)
            }.map { ids[$0] }
            #expect(try await walk(QueueQuery(awaited: awaited, sort: .name, limit: 2)) == byName)
            // Updated between the 2nd and the 4th day: three records, over two pages, in each order.
            let range = QueueQuery(awaited: awaited, updatedFrom: days[1], updatedBefore: days[3].addingTimeInterval(1),
                                   limit: 2)
            #expect(try await walk(range) == [ids[3], ids[2], ids[1]])
            var oldest = range
            oldest.sort = .oldest
            #expect(try await walk(oldest) == [ids[1], ids[2], ids[3]])
            var named = range
            named.sort = .name
            #expect(try await walk(named) == [ids[1], ids[3], ids[2]])
            let counted = try await harness.services.records.queue(range, user: user)
            #expect(counted.counts[QueuePair(kind: .preApplication, state: .submitted)] == 3)
            // Both ways of reading a page give the same pages.
            for plan in [QueuePlan.walkChanges, .coveringMatches] {
                var newest = QueueQuery(awaited: awaited, sort: .newest, limit: 2)
                newest.plan = plan
                #expect(try await walk(newest) == ids.reversed(), "\(plan)")
                var oldestFirst = QueueQuery(awaited: awaited, sort: .oldest, limit: 2)
                oldestFirst.plan = plan
                #expect(try await walk(oldestFirst) == ids, "\(plan)")
                var dated = range
                dated.plan = plan
                #expect(try await walk(dated) == [ids[3], ids[2], ids[1]], "\(plan)")
            }
            // A search reads its matches in one pass and orders them itself: the same orders and cursors.
            let searched = QueueQuery(awaited: awaited, search: "Mine", limit: 2)
            #expect(try await walk(searched) == ids.reversed())
            var searchedOldest = searched
            searchedOldest.sort = .oldest
            #expect(try await walk(searchedOldest) == ids)
            var searchedByName = searched
            searchedByName.sort = .name
            #expect(try await walk(searchedByName) == byName)
            let twins = QueueQuery(awaited: awaited, search: "mine b", sort: .name, limit: 1)
            #expect(try await walk(twins) == byName.filter { names[ids.firstIndex(of: $0) ?? 0] == "Mine B" })
            let twinsCounted = try await harness.services.records.queue(twins, user: user)
            #expect(twinsCounted.counts[QueuePair(kind: .preApplication, state: .submitted)] == 2)
            let byLicence = try await harness.services.records.queue(
                QueueQuery(awaited: awaited, search: String(numbers[4].suffix(6))), user: user)
            #expect(byLicence.records.map(\.id) == [ids[4]], "the licence number is searched too")
            // A cursor survives its trip through a link.
            let cursor = QueueCursor(name: "Mine ~ B", id: ids[0].uuidString)
            #expect(QueueCursor(text: cursor.text) == cursor)
            #expect(QueueCursor(text: "s42") == QueueCursor(seq: 42))
            #expect(QueueCursor(text: "garbage") == nil)

            // The page: whole days in the offices' time, both ends included, the order kept in links.
            try await browser.login("demo-province", try #require(harness.passwords["demo-province"]))
            let from = ConsoleQueueDates.day(days[1])
            let to = ConsoleQueueDates.day(days[3])
            let html = try await browser.get("/console/?from=\(from)&to=\(to)&sort=name").html
            for index in [1, 2, 3] { #expect(html.contains(ids[index].wireString), "\(index)") }
            for index in [0, 4, 5] { #expect(!html.contains(ids[index].wireString), "\(index)") }
            #expect(html.contains("value=\"\(from)\""))
            #expect(html.contains("<option value=\"name\" selected>"))
            let order = [1, 3, 2].compactMap { html.range(of: ids[$0].wireString)?.lowerBound }
            #expect(order == order.sorted())
            #expect(ConsoleQueuePage.pageLink(QueueQuery(awaited: awaited, sort: .name, after: cursor), after: cursor)
                .contains("sort=name&after=n"))
        }
    }

    @Test func anOpinionTakesTheRecordOffThatDepartmentsQueueUntilItIsSubmittedAgain() async throws {
        let harness = try await Harness()
        try await ConsoleTests.withConsole(harness) { api, county in
            let record = try await ConsoleTests.submittedPreApplication(harness, api)
            let id = record.id.wireString
            try await county.login("demo-county", try #require(harness.passwords["demo-county"]))
            let city = ConsoleBrowser(client: api.client)
            try await city.login("demo-city", try #require(harness.passwords["demo-city"]))
            let province = ConsoleBrowser(client: api.client)
            try await province.login("demo-province", try #require(harness.passwords["demo-province"]))
            #expect(try await county.get("/console/").html.contains(id))
            #expect(try await city.get("/console/").html.contains(id))

            let page = try await county.get("/console/records/\(id)")
            let given = try await county.send(.post, "/console/records/\(id)/act", form: [
                "csrf": try ConsoleBrowser.csrf(in: page), "transition": "opinion", "version": String(record.version),
                "comment": "同意上报",
            ])
            #expect(given.status == .seeOther)
            let countyQueue = try await county.get("/console/").html
            #expect(!countyQueue.contains(id))
            #expect(!countyQueue.contains("\(RecordState.submitted.label.zh): 1"))
            // Another department has not given its opinion yet; the province still has to act.
            #expect(try await city.get("/console/").html.contains(id))
            #expect(try await province.get("/console/").html.contains(id))
            // The record stays readable.
            #expect(try await county.get("/console/records/\(id)").status == .ok)

            // Returned and submitted again: a new round, in the county's queue again.
            let enterprise = try await harness.token("demo-ent1")
            let provinceToken = try await harness.token("demo-province")
            var prov = Device()
            var ent = Device()
            var current = try #require(try await harness.stored(record.id))
            current = try await api.apply(provinceToken, prov, prov.transition(current, .accept))
            #expect(!(try await county.get("/console/").html.contains(id)))
            current = try await api.apply(provinceToken, prov, prov.transition(current, .sendBack, comment: "补充材料"))
            _ = try await api.apply(enterprise, ent, ent.transition(current, .submit))
            #expect(try await county.get("/console/").html.contains(id))
        }
    }
}

