import GreenMineShared
import Hummingbird

/// Answers 405 with an `Allow` header when the path is one the API serves but the method is not
/// (RFC 9110 §15.5.6); a path it does not serve stays 404 `no_route`. Added last, it runs only for
/// requests the router found no endpoint for.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Each served path's segments (a parameter, `:name` or `{name}`, matches any one segment) and its methods.
    let routes: [(segments: [Substring], methods: [String])]

    init(routes: [(path: String, method: String)]) {
        var byPath: [String: [String]] = [:]
        for route in routes { byPath[route.path, default: []].append(route.method) }
        self.routes = byPath.map { path, methods in
            (path.split(separator: "/"), Array(Set(methods)).sorted())
        }
    }

    /// The methods served at `path`, or nil when no route has that shape.
    func methods(at path: String) -> [String]? {
        let parts = path.split(separator: "/")
        let allowed = routes.filter { route in
            route.segments.count == parts.count
                && zip(route.segments, parts).allSatisfy { Self.isParameter($0) || $0 == $1 }
        }.flatMap(\.methods)
        return allowed.isEmpty ? nil : Array(Set(allowed)).sorted()
    }

    static func isParameter(_ segment: Substring) -> Bool {
        segment.hasPrefix(":") || (segment.hasPrefix("{") && segment.hasSuffix("}"))
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            guard let allowed = methods(at: request.uri.path) else { throw error }
            var response = JSONBody.response(APIErrorBody(error: APIErrorDetail(
                code: "method_not_allowed",
                message: "\(request.method.rawValue) is not served at this path; it serves \(allowed.joined(separator: ", "))",
                messageZh: "该路径不支持 \(request.method.rawValue) 方法，支持：\(allowed.joined(separator: "、"))")),
                status: .methodNotAllowed)
            response.headers[.allow] = allowed.joined(separator: ", ")
            return response
        }
    }
}
