import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny TCP proxy on a loopback port that forwards to a server and cuts one connection in the
/// middle of its request body: the `cutNumber`-th connection whose client-to-server bytes pass
/// `afterBytes` gets exactly `afterBytes` bytes through, then both sides are shut down — a network
/// that dies in the middle of an upload chunk.
final class CuttingProxy: @unchecked Sendable {
    let port: Int
    private let upstreamPort: UInt16
    private let listener: LoopbackListener
    private let cutNumber: Int
    private let afterBytes: Int
    private let lock = NSLock()
    private var largeConnections = 0
    private var cutCount = 0

    private var upstream = 0

    /// How many connections were cut.
    var cuts: Int { lock.withLock { cutCount } }

    /// Bytes forwarded towards the server on every connection (headers included): what crossed the wire.
    var bytesUpstream: Int { lock.withLock { upstream } }

    init(upstreamPort: Int, cutNumber: Int, afterBytes: Int) throws {
        self.upstreamPort = UInt16(upstreamPort)
        self.cutNumber = cutNumber
        self.afterBytes = afterBytes
        let box = ServeBox()
        listener = try LoopbackListener.start { box.serve?($0) }
        port = listener.port
        box.serve = { [unowned self] in self.serve($0) }
    }

    /// Stops accepting connections.
    func stop() {
        listener.close()
    }

    private func serve(_ client: Int32) {
        let server = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = Self.loopback(port: upstreamPort)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(server, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(client)
            close(server)
            return
        }
        let answered = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            Self.pump(from: server, to: client)
            shutdown(client, Int32(SHUT_WR))
            answered.signal()
        }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var forwarded = 0
        var counted = false
        var cut = false
        while true {
            let count = read(client, &buffer, buffer.count)
            if count <= 0 { break }
            var send = count
            if !counted, forwarded + count > afterBytes {
                counted = true
                let number = lock.withLock { () -> Int in
                    largeConnections += 1
                    return largeConnections
                }
                if number == cutNumber {
                    send = afterBytes - forwarded
                    cut = true
                }
            }
            if send > 0, !Self.writeAll(server, buffer, count: send) { break }
            forwarded += send
            lock.withLock { upstream += send }
            if cut { break }
        }
        if cut {
            lock.withLock { cutCount += 1 }
            shutdown(server, Int32(SHUT_RDWR))
            shutdown(client, Int32(SHUT_RDWR))
        } else {
            shutdown(server, Int32(SHUT_WR))
        }
        answered.wait()
        close(client)
        close(server)
    }

    private static func pump(from source: Int32, to target: Int32) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = read(source, &buffer, buffer.count)
            if count <= 0 || !writeAll(target, buffer, count: count) { return }
        }
    }

    private static func writeAll(_ socket: Int32, _ buffer: [UInt8], count: Int) -> Bool {
        var written = 0
        while written < count {
            let result = buffer.withUnsafeBytes {
                send(socket, $0.baseAddress.map { $0 + written }, count - written, Int32(MSG_NOSIGNAL))
            }
            if result <= 0 { return false }
            written += result
        }
        return true
    }

    static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
