import Foundation
import GreenMineZlib
import Hummingbird
import NIOCore

/// Answers JSON of `/v1` gzip-compressed when the request's `Accept-Encoding` allows gzip and the body
/// is at least `minimumBytes`; every other response (blobs, tus, small or empty answers, HEAD) is left
/// as it is. Sets `Content-Encoding: gzip`, `Vary: Accept-Encoding` and the compressed `Content-Length`.
struct CompressionMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Bodies below this size are sent as they are (gzip's header and trailer would eat the gain).
    var minimumBytes = 1024
    /// zlib level: 1 compresses JSON nearly as well as 6 at several times the speed.
    var level = 1
    /// Paths never compressed: file bytes (images and videos are compressed already) and tus.
    static var excludedPrefixes: [String] { ["/v1/uploads", "/v1/blobs/"] }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response {
        var response = try await next(request, context)
        let path = request.uri.path
        guard path.hasPrefix("/v1/"), !Self.excludedPrefixes.contains(where: { path.hasPrefix($0) }) else {
            return response
        }
        guard Self.isJSON(response.headers[.contentType]) else { return response }
        // Whether gzip was chosen depends on Accept-Encoding, whatever happens below.
        Self.addVary(&response.headers)
        guard request.method != .head, response.status != .noContent, response.status != .notModified,
              response.status != .partialContent, response.headers[.contentEncoding] == nil,
              Self.acceptsGzip(request.headers[values: .acceptEncoding]),
              let length = response.body.contentLength, length >= minimumBytes else {
            return response
        }
        let plain = try await Self.collect(response.body, upTo: length)
        let compressed = Gzip.compress(Data(buffer: plain), level: level)
        guard compressed.count < plain.readableBytes else { return response }
        response.headers[.contentEncoding] = "gzip"
        response.body = ResponseBody(byteBuffer: ByteBuffer(bytes: compressed))
        return response
    }

    /// Whether the media type (before any `;` parameters, spaces and tabs around it ignored) is
    /// `application/json`, ASCII letters in any case (RFC 9110 §8.3.1; the answers' types are the
    /// server's own). Compared byte by byte: this runs for every answer, and the
    /// version with `trimmingCharacters` and `lowercased` took 2.5 % of a loaded no-op pull (issue 15).
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let blank: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        let mediaType = contentType.utf8.prefix { $0 != UInt8(ascii: ";") }.drop(while: blank).reversed()
            .drop(while: blank)
        let lower: (UInt8) -> UInt8 = { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) ? $0 + 32 : $0 }
        return mediaType.lazy.map(lower).elementsEqual("application/json".utf8.reversed())
    }

    static func addVary(_ headers: inout HTTPFields) {
        let existing = headers[values: .vary]
        guard !existing.contains(where: { $0.lowercased().contains("accept-encoding") }) else { return }
        headers.append(HTTPFields.Element(name: .vary, value: "Accept-Encoding"))
    }

    /// True when the `Accept-Encoding` values (RFC 9110 §12.5.3) accept gzip: `gzip` or `x-gzip`
    /// with a non-zero q-value, or else `*` with a non-zero q-value. `gzip;q=0` refuses it, and an
    /// unreadable q-value counts as 0.
    static func acceptsGzip(_ values: [String]) -> Bool {
        var gzip: Double?
        var wildcard: Double?
        for value in values {
            for item in value.split(separator: ",") {
                let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                guard let coding = parts.first, !coding.isEmpty else { continue }
                var quality = 1.0
                for parameter in parts.dropFirst() where parameter.hasPrefix("q=") {
                    quality = Double(parameter.dropFirst(2)).flatMap { (0...1).contains($0) ? $0 : nil } ?? 0
                }
                switch coding {
                case "gzip", "x-gzip": gzip = max(gzip ?? 0, quality)
                case "*": wildcard = quality
                default: break
                }
            }
        }
        if let gzip { return gzip > 0 }
        return (wildcard ?? 0) > 0
    }

    /// The body's bytes; JSON answers are built in memory, so this copies what is already there.
    static func collect(_ body: ResponseBody, upTo length: Int) async throws -> ByteBuffer {
        let storage = CollectedBody(capacity: length)
        try await body.write(CollectingWriter(storage: storage))
        return storage.buffer
    }
}

/// The bytes a `CollectingWriter` received.
private final class CollectedBody: @unchecked Sendable {
    // Only written by the writer while the body is written, and read after that returns.
    var buffer: ByteBuffer

    init(capacity: Int) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }
}

/// A response body writer that keeps what is written.
private struct CollectingWriter: ResponseBodyWriter {
    let storage: CollectedBody

    mutating func write(_ buffer: ByteBuffer) async throws {
        var buffer = buffer
        storage.buffer.writeBuffer(&buffer)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
