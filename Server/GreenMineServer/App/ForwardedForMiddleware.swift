import Foundation
import Hummingbird
import NIOCore

/// Behind a balancer every request comes from the balancer's address, so the login throttle's
/// per-address limit would count every user together. For a peer named with `--trusted-proxy`, the
/// client's address is the last entry of `X-Forwarded-For` (the one that balancer appended: nginx's
/// `$proxy_add_x_forwarded_for`); from any other peer the header is ignored (a client could forge it).
struct ForwardedForMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    /// The balancers' IP addresses (`normalised`).
    let trusted: Set<String>

    init(trusted: Set<String>) {
        self.trusted = Set(trusted.map(Self.normalised))
    }

    /// One spelling per address: as `SocketAddress` prints it, an IPv4 address mapped into IPv6
    /// (`::ffff:10.0.0.5`, a peer of a server listening on `::`) as the IPv4 one.
    static func normalised(_ address: String) -> String {
        let printed = (try? SocketAddress(ipAddress: address, port: 0))?.ipAddress ?? address
        let mapped = "::ffff:"
        if printed.lowercased().hasPrefix(mapped), printed.dropFirst(mapped.count).contains(".") {
            return String(printed.dropFirst(mapped.count))
        }
        return printed
    }
    static let header = HTTPFields.Element.Name("X-Forwarded-For")

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response {
        var context = context
        if let peer = context.remoteAddress?.ipAddress.map(Self.normalised), trusted.contains(peer),
           let name = Self.header, let header = request.headers[values: name].last,
           let last = header.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty {
            context.forwardedFor = last
        }
        return try await next(request, context)
    }
}
