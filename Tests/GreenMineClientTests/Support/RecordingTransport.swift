import Foundation
@testable import GreenMineClient

/// Wraps a transport: logs every request, and makes the ones a rule picks fail as a cut network
/// would — before the request reaches the server, or after it was handled but its answer lost.
final class RecordingTransport: APITransport, @unchecked Sendable {
    /// What happens to a request the rule picks.
    enum Fault {
        /// Never reaches the server.
        case cut
        /// Reaches the server; the answer is lost on the way back.
        case loseAnswer
    }

    private let inner: any APITransport
    private let lock = NSLock()
    private var log: [APIRequest] = []
    private var handedOn: [APIRequest] = []
    /// Picks the requests that fail, given the request and every request logged before it.
    var rule: (@Sendable (APIRequest, [APIRequest]) -> Fault?)?

    init(_ inner: any APITransport) {
        self.inner = inner
    }

    var requests: [APIRequest] { lock.withLock { log } }

    /// The `PATCH` requests sent (or attempted).
    var patches: [APIRequest] { requests.filter { $0.method == "PATCH" } }

    /// Body bytes of every `PATCH` handed to the network (not those the rule cut before sending).
    var patchBytes: Int64 {
        lock.withLock { handedOn }.filter { $0.method == "PATCH" }
            .reduce(0) { $0 + ($1.bodyFile?.length ?? Int64($1.body?.count ?? 0)) }
    }

    func count(_ method: String, _ pathPrefix: String) -> Int {
        requests.filter { $0.method == method && $0.path.hasPrefix(pathPrefix) }.count
    }

    func send(_ request: APIRequest) async throws -> APIResponse {
        let (earlier, rule) = lock.withLock { () -> ([APIRequest], (@Sendable (APIRequest, [APIRequest]) -> Fault?)?) in
            let earlier = log
            log.append(request)
            return (earlier, self.rule)
        }
        let fault = rule?(request, earlier)
        if fault != .cut { lock.withLock { handedOn.append(request) } }
        switch fault {
        case .cut:
            throw TransportError(reason: "connection reset by peer (injected)")
        case .loseAnswer:
            _ = try await inner.send(request)
            throw TransportError(reason: "connection reset by peer after the request (injected)")
        case nil:
            return try await inner.send(request)
        }
    }
}
