import Foundation
import GreenMineShared
import Hummingbird
import NIOCore

/// The assessor's report upload: the form's fields and its one file, read from a streamed
/// `multipart/form-data` body.
enum ConsoleReportUpload {
    /// The slot reports go to (Shared `AttachmentRules`: PDF, at most 50 MB, at most 3).
    static let slot = "assessment.report"
    /// The bytes a form may carry besides the file (fields, part headers, boundaries).
    static let formAllowance: Int64 = 64 * 1024
    /// The most bytes of one text field.
    static let fieldLimit = 4096

    /// The text fields (the first of each name) and the file, kept in an upload file until the caller
    /// keeps or discards it.
    struct Received {
        var fields: [String: String] = [:]
        var file: ReceivingFile?
    }

    /// Reads the body: text fields into memory (each at most `fieldLimit` bytes, `formAllowance` in
    /// all), the first file part into an upload file (at most `limit` bytes), other file parts skipped.
    /// On any failure — past the limit, a malformed or cut body — nothing of the file is left.
    static func receive<Body: AsyncSequence>(_ body: Body, boundary: String, limit: Int64, uploads: UploadService)
        async throws -> Received where Body.Element == ByteBuffer {
        var parser = MultipartParser(boundary: boundary)
        var received = Received()
        var field: (name: String, bytes: [UInt8])?
        var writing = false
        var textBytes: Int64 = 0
        // Everything the body carries counts — other parts, part headers, preamble and epilogue — so no
        // body longer than one report and its form is read, whatever its parts say.
        var bodyBytes: Int64 = 0
        let bodyLimit = limit + formAllowance + 64 * 1024
        do {
            for try await buffer in body {
                bodyBytes += Int64(buffer.readableBytes)
                guard bodyBytes <= bodyLimit else { throw ReceivingFile.TooLarge(limit: limit) }
                // The parser calls back synchronously; the file is written (off the cooperative pool)
                // once it has gone through this buffer.
                var events: [MultipartEvent] = []
                try buffer.withUnsafeReadableBytes { chunk in try parser.feed(chunk) { events.append($0) } }
                for event in events {
                        switch event {
                        case .part(let headers):
                            let (name, filename) = MultipartParser.disposition(headers["content-disposition"] ?? "")
                            if let filename, received.file == nil {
                                received.file = try await uploads.receiving(name: filename, limit: limit)
                                writing = true
                            } else if filename == nil, let name {
                                field = (name, [])
                            }
                        case .data(let bytes):
                            if writing, let file = received.file {
                                try await file.append(bytes)
                            } else if var current = field {
                                textBytes += Int64(bytes.count)
                                guard textBytes <= formAllowance else { throw ReceivingFile.TooLarge(limit: limit) }
                                current.bytes += bytes.prefix(max(0, fieldLimit - current.bytes.count))
                                field = current
                            }
                        case .partEnd:
                            if let done = field, received.fields[done.name] == nil {
                                received.fields[done.name] = String(decoding: done.bytes, as: UTF8.self)
                            }
                            field = nil
                            writing = false
                        }
                }
            }
            try parser.finish()
        } catch {
            if let file = received.file { await uploads.discard(file) }
            throw error
        }
        return received
    }

    /// 413: the report is larger than the slot takes; said in both languages.
    static func tooLarge(_ layout: ConsoleLayout, limit: Int64) -> Response {
        let megabytes = limit / AttachmentRules.megabyte
        let text = "评估报告超过 \(megabytes) MB 的上限，未保存任何内容。请压缩或拆分 PDF 后重新上传。"
            + " / The report is larger than the \(megabytes) MB limit; nothing was kept. Compress or split the PDF and upload it again."
        return ConsoleHTTP.page(ConsoleAuthPages.message(layout, title: layout.t(ConsoleText.reportTooLargeTitle),
                                                         text: text), status: .contentTooLarge)
    }
}
