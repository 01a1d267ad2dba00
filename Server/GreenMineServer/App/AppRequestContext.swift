import Hummingbird
import NIOCore

/// The request context of every route: the core context, the caller's address and, once
/// authenticated, the user.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer's address (rate limiting); nil in router tests.
    public let remoteAddress: SocketAddress?
    /// The authenticated user, set by `AuthMiddleware`.
    public var user: AuthenticatedUser?
    /// The client's address as a trusted balancer forwarded it (`ForwardedForMiddleware`).
    var forwardedFor: String?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
        self.user = nil
        self.forwardedFor = nil
    }

    /// The address as a rate-limit key: the peer's, or the client's behind a trusted balancer.
    var addressKey: String {
        forwardedFor ?? remoteAddress?.ipAddress ?? "unknown"
    }

    /// The user, or `unauthorized`; `password_change_required` unless the route allows that state.
    func requireUser(allowingPasswordChange: Bool = false) throws -> AuthenticatedUser {
        guard let user else { throw ServiceError.unauthorized }
        if user.info.mustChangePassword, !allowingPasswordChange {
            throw ServiceError(.forbidden, code: "password_change_required",
                               en: "your password was reset: change it (greenmine passwd) before anything else",
                               zh: "密码已被重置，请先修改密码（greenmine passwd）")
        }
        return user
    }
}
