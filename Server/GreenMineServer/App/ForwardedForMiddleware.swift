import Foundation
import Hummingbird

/// Behind a balancer every request comes from the balancer's address, so the login throttle's
/// per-address limit would count every user together. For a peer named with `--trusted-proxy`, the
/// client's address is the last entry of `X-Forwarded-For` (the one that balancer appended: nginx's
/// `$proxy_add_x_forwarded_for`); from any other peer the header is ignored (a client could forge it).
struct ForwardedForMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    /// The balancers' IP addresses, as the server sees them.
    let trusted: Set<String>
    static let header = HTTPFields.Element.Name("X-Forwarded-For")

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response {
        var context = context
        if let peer = context.remoteAddress?.ipAddress, trusted.contains(peer),
           let name = Self.header, let header = request.headers[values: name].last,
           let last = header.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty {
            context.forwardedFor = last
        }
        return try await next(request, context)
    }
}
