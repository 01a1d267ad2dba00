import Foundation
import GreenMineShared
import Hummingbird
import NIOCore
import NIOHTTP1

extension ServiceError: HTTPResponseError {
    /// The HTTP status for the refusal's kind.
    public var status: HTTPResponse.Status {
        switch kind {
        case .badRequest: .badRequest
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .conflict: .conflict
        case .tooLarge: .contentTooLarge
        case .tooManyRequests: .tooManyRequests
        case .unavailable: .serviceUnavailable
        case .gone: .gone
        case .unsupportedMediaType: .unsupportedMediaType
        case .preconditionFailed: .preconditionFailed
        case .unprocessable: .unprocessableContent
        case .rangeNotSatisfiable: .rangeNotSatisfiable
        case .checksumMismatch: HTTPResponse.Status(code: 460, reasonPhrase: "Checksum Mismatch")
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = JSONBody.response(APIErrorBody(error: detail), status: status)
        if case .tooManyRequests(let seconds) = kind {
            response.headers[.retryAfter] = String(seconds)
        }
        return response
    }
}

/// Turns every failure into the error envelope with a stable code, so no input yields a bare 500.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response {
        await Self.respond(request, context: context, next: next)
    }

    /// Runs `next` and turns whatever it throws into an error response.
    static func respond(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async -> Response {
        do {
            return try await next(request, context)
        } catch {
            return response(for: error, request: request, context: context)
        }
    }

    static func response(for error: any Error, request: Request, context: Context) -> Response {
        switch error {
        case let error as ServiceError:
            if let response = try? error.response(from: request, context: context) { return response }
        case is NIOTooManyBytesError:
            return JSONBody.response(APIErrorBody(error: APIErrorDetail(
                code: "payload_too_large", message: "the request body is larger than this endpoint accepts",
                messageZh: "请求内容超过该接口的大小限制")), status: .contentTooLarge)
        case let error as HTTPResponseError:
            let code: String
            let zh: String
            switch error.status {
            case .notFound: (code, zh) = ("no_route", "没有该接口")
            case .methodNotAllowed: (code, zh) = ("method_not_allowed", "该路径不支持此方法")
            case .contentTooLarge: (code, zh) = ("payload_too_large", "请求内容超过该接口的大小限制")
            case .badRequest: (code, zh) = ("bad_request", "请求格式不正确")
            default: (code, zh) = ("http_\(error.status.code)", "请求未能处理（HTTP \(error.status.code)）")
            }
            return JSONBody.response(APIErrorBody(error: APIErrorDetail(
                code: code, message: error.status.reasonPhrase, messageZh: zh)), status: error.status)
        case let error as HTTPParserError where error == .invalidEOFState:
            // The peer went away in the middle of its request (a cut radio link, an abandoned upload):
            // nobody reads this answer, and it is the client's doing, not the server's.
            context.logger.info("request cut off by the peer", metadata: ["error": "\(error)"])
            return JSONBody.response(APIErrorBody(error: APIErrorDetail(
                code: "request_cut_off", message: "the request ended before its body did",
                messageZh: "请求在内容传完之前中断")), status: .badRequest)
        default:
            break
        }
        context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
        return JSONBody.response(APIErrorBody(error: APIErrorDetail(
            code: "internal", message: "the server failed to handle this request; it was logged",
            messageZh: "服务器处理请求失败，已记录")), status: .internalServerError)
    }
}
