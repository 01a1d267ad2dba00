import Foundation
import GreenMineShared
import Hummingbird
import NIOCore

/// Streams a blob, whole or one byte range (RFC 9110 `Range: bytes=…`), 64 KiB at a time, read from
/// the blob store off the cooperative pool.
enum BlobResponse {
    static let chunk = 64 * 1024

    static func make(_ uploads: UploadService, blob: BlobInfo, range header: String?) async throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = blob.mime
        headers[.acceptRanges] = "bytes"
        headers[.eTag] = "\"\(blob.sha256)\""
        var start: Int64 = 0
        var end = blob.size - 1
        var status = HTTPResponse.Status.ok
        if let header {
            guard let range = parse(header, size: blob.size) else {
                headers[.contentRange] = "bytes */\(blob.size)"
                throw ServiceError(.rangeNotSatisfiable, code: "range_not_satisfiable",
                                   en: "the requested range lies outside the file's \(blob.size) bytes",
                                   zh: "请求的范围超出文件大小")
            }
            (start, end) = range
            status = .partialContent
            headers[.contentRange] = "bytes \(start)-\(end)/\(blob.size)"
        }
        let length = end - start + 1
        let offset = start
        let last = end
        headers[.contentLength] = String(length)
        guard let file = try await uploads.openBlob(blob.sha256) else {
            throw ServiceError(.unavailable, code: "blob_unavailable", en: "the file is missing from storage",
                               zh: "存储中缺少该文件")
        }
        let body = ResponseBody(contentLength: Int(length)) { writer in
            do {
                var position = offset
                while position <= last {
                    let buffer = try await file.read(from: position, count: Int(min(Int64(chunk), last - position + 1)))
                    guard buffer.readableBytes > 0 else { break }
                    try await writer.write(buffer)
                    position += Int64(buffer.readableBytes)
                }
                await file.close()
            } catch {
                await file.close()
                throw error
            }
            try await writer.finish(nil)
        }
        return Response(status: status, headers: headers, body: body)
    }

    /// `bytes=a-b`, `bytes=a-` or `bytes=-n` (one range); nil when unsatisfiable or malformed.
    static func parse(_ header: String, size: Int64) -> (Int64, Int64)? {
        guard header.hasPrefix("bytes="), size > 0 else { return nil }
        let spec = header.dropFirst("bytes=".count)
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return nil }
        let first = spec[..<dash].trimmingCharacters(in: .whitespaces)
        let last = spec[spec.index(after: dash)...].trimmingCharacters(in: .whitespaces)
        if first.isEmpty {
            guard let suffix = Int64(last), suffix > 0 else { return nil }
            return (max(0, size - suffix), size - 1)
        }
        guard let start = Int64(first), start < size else { return nil }
        if last.isEmpty { return (start, size - 1) }
        guard let end = Int64(last), end >= start else { return nil }
        return (start, min(end, size - 1))
    }
}
