import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1.1 child channel with a `ConnectionGuard` in front of the HTTP codec (where the
/// bytes are) and an `HTTPPhaseReporter` behind it, sharing one `ConnectionRegistry` per server.
struct GuardedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let inner: HTTP1Channel
    let limits: ConnectionLimits
    let registry: ConnectionRegistry

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            try channel.pipeline.syncOperations.addHandler(
                ConnectionGuard(limits: limits, registry: registry), position: .first)
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}

/// HTTP/1.1 with the connection limits of `limits` (docs/DECISIONS.md, "Connections"): header, idle and
/// stall timeouts, a minimum rate for request bodies, caps on connections per address and in all, and a
/// clean close after an answer to a body the server will not read.
public func httpServer(limits: ConnectionLimits = .standard) -> HTTPServerBuilder {
    let registry = ConnectionRegistry(maxConnections: limits.effectiveMaxConnections,
                                      maxPerAddress: limits.maxConnectionsPerAddress)
    return HTTPServerBuilder { responder in
        GuardedHTTP1Channel(
            inner: HTTP1Channel(responder: responder, configuration: .init(additionalChannelHandlers: [
                HTTPPhaseReporter(), IdleStateHandler(allTimeout: limits.stallTimeout), StalledConnectionCloser(),
            ])),
            limits: limits, registry: registry)
    }
}

/// HTTP/1.1 whose connections close after `stallTimeout` without a byte read or written (the other
/// limits standard).
public func httpServer(stallTimeout: TimeAmount) -> HTTPServerBuilder {
    var limits = ConnectionLimits.standard
    limits.stallTimeout = stallTimeout
    return httpServer(limits: limits)
}
