import NIOCore

/// The first handler of every connection, where the bytes are: admits the connection through the
/// `ConnectionRegistry` (over a cap: 503, then closed), and closes it when a request head takes longer
/// than `headerReadTimeout`, when it stays idle between requests longer than `idleTimeout`, or when a
/// request body brings less than `bodyMinimumRate` over `bodyRateWindow` of the time the server was
/// waiting for it. After an answer to a request whose body will not be read (`HTTPPhase.closeAfterResponse`)
/// it closes its output, reads and drops what the peer still sends for at most `lingerTimeout`, then
/// closes: the peer reads a whole answer and then EOF instead of a reset.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let limits: ConnectionLimits
    private let registry: ConnectionRegistry
    private var started = false
    private var registered = false
    private var ticker: Scheduled<Void>?
    private var lingerTimer: Scheduled<Void>?
    private var tickDue = NIODeadline.now()
    private var skippedLateTick = false

    private var requests = 0
    private var requestsEnded = 0
    private var responses = 0
    private var closeAfterResponse = false
    private var lingering = false
    /// Since when no request has been in progress.
    private var idleSince = NIODeadline.now()
    /// When the head of the next request started (its first byte; for a new connection, the server's
    /// first read: a server slow to start reading does not count against the client).
    private var headStartedAt: NIODeadline?
    private var awaitingFirstRead = true
    /// Whether the server asked for bytes and has not had any since.
    private var readPending = false
    private var bytesThisTick = 0
    /// Bytes per tick of the current body, over the ticks the server was waiting for it.
    private var bodyTicks: [Int] = []

    init(limits: ConnectionLimits, registry: ConnectionRegistry) {
        self.limits = limits
        self.registry = registry
    }

    // MARK: Life cycle

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        stop(context)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stop(context)
    }

    private func start(_ context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        let now = NIODeadline.now()
        idleSince = now
        let address = context.channel.remoteAddress?.ipAddress ?? "unknown"
        switch registry.admit(context.channel, address: address, now: now) {
        case .admitted:
            registered = true
            scheduleTick(context)
        case .refused:
            refuse(context)
        }
    }

    private func stop(_ context: ChannelHandlerContext) {
        ticker?.cancel()
        ticker = nil
        lingerTimer?.cancel()
        lingerTimer = nil
        if registered {
            registered = false
            registry.remove(context.channel)
        }
    }

    // MARK: Bytes

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        readPending = false
        if lingering { return }
        let count = unwrapInboundIn(data).readableBytes
        bytesThisTick += count
        if count > 0, requests == responses, headStartedAt == nil { headStartedAt = .now() }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if lingering {
            context.read()
            return
        }
        context.fireChannelReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        if awaitingFirstRead {
            awaitingFirstRead = false
            if requests == responses, headStartedAt == nil { headStartedAt = .now() }
        }
        readPending = true
        context.read()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if lingering, let event = event as? ChannelEvent, event == .inputClosed {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    // MARK: HTTP phases

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard let phase = event as? HTTPPhase else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        promise?.succeed(())
        switch phase {
        case .requestHead:
            if requests == responses { registry.setIdle(context.channel, since: nil) }
            requests += 1
            headStartedAt = nil
            bodyTicks.removeAll(keepingCapacity: true)
        case .requestEnd:
            requestsEnded += 1
        case .closeAfterResponse:
            closeAfterResponse = true
        case .responseEnd:
            responses += 1
            if closeAfterResponse {
                linger(context)
            } else if responses == requests {
                idleSince = .now()
                headStartedAt = nil
                registry.setIdle(context.channel, since: idleSince)
            }
        }
    }

    // MARK: Clocks

    private func scheduleTick(_ context: ChannelHandlerContext) {
        tickDue = .now() + limits.tick
        ticker = context.eventLoop.assumeIsolated().scheduleTask(deadline: tickDue) { [self] in
            ticker = nil
            tick(context)
        }
    }

    private func tick(_ context: ChannelHandlerContext) {
        guard context.channel.isActive, !lingering else { return }
        let now = NIODeadline.now()
        // A tick a whole tick late means the event loop was held up: bytes may be waiting behind it.
        // Decide nothing this time (once in a row), so the loop reads them first.
        if now - tickDue > limits.tick, !skippedLateTick {
            skippedLateTick = true
            return scheduleTick(context)
        }
        skippedLateTick = false
        if awaitingFirstRead {
            // The server has not started reading: nothing to hold against the client yet.
        } else if requests == responses {
            // No request in progress: a head on its way, or idle.
            if let started = headStartedAt {
                if now - started >= limits.headerReadTimeout { return context.close(promise: nil) }
            } else if now - idleSince >= limits.idleTimeout {
                return context.close(promise: nil)
            }
        } else if requestsEnded < requests {
            // A body on its way: count the ticks in which the server wanted bytes.
            if readPending || bytesThisTick > 0 {
                bodyTicks.append(bytesThisTick)
                if bodyTicks.count > limits.ticksPerWindow { bodyTicks.removeFirst() }
                if bodyTicks.count == limits.ticksPerWindow, bodyTicks.reduce(0, +) < limits.bytesPerWindow {
                    return context.close(promise: nil)
                }
            }
        }
        bytesThisTick = 0
        scheduleTick(context)
    }

    // MARK: Closing

    /// Closes the output once everything written so far is out, drops what the peer still sends, and
    /// closes at its EOF or after `lingerTimeout`.
    private func linger(_ context: ChannelHandlerContext, for timeout: TimeAmount? = nil) {
        guard !lingering else { return }
        lingering = true
        ticker?.cancel()
        ticker = nil
        let flushed = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(ByteBuffer()), promise: flushed)
        flushed.futureResult.assumeIsolated().whenComplete { _ in
            context.close(mode: .output, promise: nil)
        }
        lingerTimer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout ?? limits.lingerTimeout) { [self] in
            lingerTimer = nil
            context.close(promise: nil)
        }
        context.read()
    }

    /// How long a refused connection may linger for its 503 to reach the peer before a full close.
    static let refusalLinger: TimeAmount = .milliseconds(200)

    /// Over a cap: a 503 written directly (no request is read), then the lingering close.
    private func refuse(_ context: ChannelHandlerContext) {
        let body = #"{"error":{"code":"too_many_connections","message":"the server has too many connections "#
            + #"from this address or in all; try again shortly","messageZh":"连接过多，请稍后重试"}}"#
        let head = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\n"
            + "Content-Length: \(body.utf8.count)\r\nRetry-After: 5\r\nConnection: close\r\n\r\n"
        context.write(wrapOutboundOut(ByteBuffer(string: head + body)), promise: nil)
        // A short linger: refused connections arrive exactly when descriptors are scarce, and each one
        // lingering the full 2 s would hold the descriptors a health check needs to be accepted.
        linger(context, for: Self.refusalLinger)
    }
}
