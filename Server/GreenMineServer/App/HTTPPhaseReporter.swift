import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Where a connection is in its HTTP exchange, told by `HTTPPhaseReporter` (after the HTTP codec) to
/// `ConnectionGuard` (before it, where the bytes are) as outbound user events.
enum HTTPPhase: Sendable, Equatable {
    case requestHead
    case requestEnd
    /// The answer being written is to a request whose body has not all arrived: it will not be read,
    /// so the connection closes once the answer is out.
    case closeAfterResponse
    case responseEnd
}

/// Reports the request and response parts that pass to `ConnectionGuard`, and marks an answer given
/// before its request's body ended (a 413 for a declared length, a 401 before a push body) with
/// `Connection: close`: the server will close rather than drain a body it is not going to read.
final class HTTPPhaseReporter: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private var requestsEnded = 0
    private var responsesStarted = 0

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: context.triggerUserOutboundEvent(HTTPPhase.requestHead, promise: nil)
        case .body: break
        case .end:
            requestsEnded += 1
            context.triggerUserOutboundEvent(HTTPPhase.requestEnd, promise: nil)
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var response) where response.status.kind != .informational:
            responsesStarted += 1
            // The request this answers is the `responsesStarted`-th; its body is unread when fewer ended.
            if requestsEnded < responsesStarted {
                response.headerFields[.connection] = "close"
                context.triggerUserOutboundEvent(HTTPPhase.closeAfterResponse, promise: nil)
                context.write(wrapOutboundOut(.head(response)), promise: promise)
                return
            }
            context.write(data, promise: promise)
        case .end:
            context.write(data, promise: promise)
            context.triggerUserOutboundEvent(HTTPPhase.responseEnd, promise: nil)
        case .head, .body:
            context.write(data, promise: promise)
        }
    }
}
