import HummingbirdCore
import NIOCore

/// Closes a connection on which nothing was read or written for a while (after an `IdleStateHandler`
/// with `allTimeout`): a peer that vanished without FIN or RST — a radio link gone — would otherwise
/// hold its request open, and with it a tus upload (`upload_busy`) and the bytes it sent. Closing ends
/// the request body with an error, so what arrived is kept and `HEAD` reports it.
final class StalledConnectionCloser: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .all {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}
