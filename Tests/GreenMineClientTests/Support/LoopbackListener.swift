import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A listening TCP socket on 127.0.0.1 (a free port) whose connections are each served on a thread:
/// the part the tests' little servers and proxies share.
struct LoopbackListener {
    let socket: Int32
    let port: Int

    /// Listens, and hands each accepted connection to `serve` on its own thread until `close`.
    static func start(backlog: Int32 = 64, serve: @escaping @Sendable (Int32) -> Void) throws -> LoopbackListener {
        let listener = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = CuttingProxy.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, backlog) == 0 else {
            Glibc.close(listener)
            throw LiveServerError(reason: "cannot listen on a loopback port")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        Thread.detachNewThread {
            while true {
                let client = accept(listener, nil, nil)
                if client < 0 { return }
                Thread.detachNewThread { serve(client) }
            }
        }
        return LoopbackListener(socket: listener, port: Int(UInt16(bigEndian: actual.sin_port)))
    }

    /// Stops accepting connections.
    func close() {
        shutdown(socket, Int32(SHUT_RDWR))
        Glibc.close(socket)
    }
}
