import Hummingbird

/// Finds the user behind `Authorization: Bearer …` and puts it in the context. A request without the
/// header goes on unauthenticated (routes that need a user refuse it); a bad token is refused here.
struct AuthMiddleware: RouterMiddleware {
    let auth: AuthService

    func handle(_ request: Request, context: AppRequestContext,
                next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            return try await next(request, context)
        }
        // RFC 9110 §11.1: the scheme is case-insensitive (`bearer`, `BEARER`).
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw ServiceError.unauthorized }
        var context = context
        context.user = try await auth.authenticate(token: parts[1].trimmingCharacters(in: .whitespaces))
        return try await next(request, context)
    }
}
