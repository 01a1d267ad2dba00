import Foundation
import GreenMineShared
import GreenMineZlib
import Hummingbird
import NIOCore

/// Reads and writes JSON bodies with the Shared wire coding, within a size limit.
enum JSONBody {
    /// A JSON response of an encodable value.
    static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? WireCoding.encode(value)) ?? Data("{}".utf8)
        return raw(data, status: status)
    }

    /// A JSON response of bytes that already are JSON.
    static func raw(_ data: Data, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A declared `Content-Length` over `limit` is refused at once (413), before a byte of the body is read.
    static func refuseDeclaredOver(_ limit: Int, _ request: Request) throws {
        guard let text = request.headers[.contentLength], let declared = Int64(text), declared > Int64(limit) else { return }
        throw ServiceError(.tooLarge, code: "payload_too_large",
                           en: "the request declares \(declared) bytes; this endpoint accepts at most \(limit)",
                           zh: "请求声明的长度 \(declared) 字节超过该接口的上限 \(limit) 字节")
    }

    /// Decodes the request body, refusing bodies over `limit` (413) and malformed JSON (400).
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T {
        try refuseDeclaredOver(limit, request)
        var request = request
        let buffer = try await request.collectBody(upTo: limit)
        return try decode(type, Data(buffer: buffer))
    }

    /// As `decode`, reading the body with `FastJSONReader`; whatever the reader refuses goes through
    /// `decode`'s `JSONDecoder` path, so bad input gets the same error codes and messages.
    static func decodeFast<T: FastJSONDecodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T {
        try decodeFast(type, from: try await body(of: request, limit: limit))
    }

    /// As `decodeFast`, from bytes already read.
    static func decodeFast<T: FastJSONDecodable>(_ type: T.Type, from data: Data) throws -> T {
        if let value = try? FastJSONReader.decode(type, from: data) { return value }
        return try decode(type, data)
    }

    /// The request body as sent (`Content-Encoding` absent or `identity`) or gzip-decompressed
    /// (`gzip`, `x-gzip`), at most `limit` bytes after decompression (413); a damaged gzip body is
    /// refused (400 `malformed_gzip`), any other encoding too (415 `unsupported_encoding`).
    static func body(of request: Request, limit: Int) async throws -> Data {
        try refuseDeclaredOver(limit, request)
        var request = request
        let encoding = request.headers[values: .contentEncoding]
            .flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            .filter { !$0.isEmpty && $0 != "identity" }
        switch encoding {
        case []:
            return Data(buffer: try await request.collectBody(upTo: limit))
        case ["gzip"], ["x-gzip"]:
            // The compressed body is smaller than what it expands to, so the same limit bounds it.
            let compressed = Data(buffer: try await request.collectBody(upTo: limit))
            do {
                return try Gzip.decompress(compressed, limit: limit)
            } catch Gzip.Failure.tooLarge {
                throw ServiceError(.tooLarge, code: "payload_too_large",
                                   en: "the request body is larger than this endpoint accepts once decompressed",
                                   zh: "请求内容解压后超过该接口的大小限制")
            } catch {
                throw ServiceError(.badRequest, code: "malformed_gzip",
                                   en: "the body says Content-Encoding: gzip but is not valid gzip data",
                                   zh: "请求声明为 gzip 压缩，但内容不是有效的 gzip 数据")
            }
        default:
            throw ServiceError(.unsupportedMediaType, code: "unsupported_encoding",
                               en: "Content-Encoding \(encoding.joined(separator: ", ")) is not supported; send gzip or no encoding",
                               zh: "不支持的 Content-Encoding：\(encoding.joined(separator: ", "))，请使用 gzip 或不压缩")
        }
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ data: Data) throws -> T {
        do {
            return try WireCoding.decode(type, from: data)
        } catch let error as DecodingError {
            let syntax = isSyntax(error, data)
            let text = syntax ? "the body is not valid JSON" : describe(error)
            throw ServiceError(.badRequest, code: syntax ? "malformed_json" : "invalid_body",
                               en: text, zh: "请求内容格式不正确：\(text)")
        }
    }

    /// True when the body is not JSON at all. The decoder also reports some valid JSON at the root
    /// (a number that does not fit its field) without a coding path, so that case is checked again.
    private static func isSyntax(_ error: DecodingError, _ data: Data) -> Bool {
        guard case .dataCorrupted(let context) = error, context.codingPath.isEmpty else { return false }
        return (try? JSONSerialization.jsonObject(with: data, options: .fragmentsAllowed)) == nil
    }

    /// A short, safe description of a decoding failure: where and what.
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let text = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.isEmpty ? "the body" : String(text.drop { $0 == "." })
        }
        switch error {
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "the body does not match the expected shape"
                : "\(path(context)) has an invalid value"
        case .keyNotFound(let key, let context):
            let prefix = context.codingPath.isEmpty ? "" : path(context) + "."
            return "\(prefix)\(key.stringValue) is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context)) has the wrong type"
        @unknown default:
            return "the body does not match the expected shape"
        }
    }
}
