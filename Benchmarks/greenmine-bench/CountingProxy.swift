import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A loopback TCP proxy that counts the bytes a client sends upstream and can cut the connection once,
/// when the count first passes a threshold — a connection stolen mid-upload, on demand.
final class CountingProxy: @unchecked Sendable {
    private let lock = NSLock()
    private var sent = 0
    private var cutAt: Int?
    private var listener: Int32 = -1
    let upstreamPort: Int
    private(set) var port = 0

    init(upstreamPort: Int, cutAfter bytes: Int?) {
        self.upstreamPort = upstreamPort
        self.cutAt = bytes
    }

    /// Bytes sent by clients towards the server so far.
    var bytesSent: Int { lock.withLock { sent } }

    func start() throws {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        listener = socketFD
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(socketFD, 16) == 0 else { throw BenchError("proxy cannot listen") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        let listener = socketFD
        Thread.detachNewThread { [self] in
            while true {
                let client = accept(listener, nil, nil)
                if client < 0 { return }
                let server = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                var target = Self.loopback(port: upstreamPort)
                let connected = withUnsafePointer(to: &target) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        connect(server, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
                guard connected == 0 else { close(client); continue }
                Thread.detachNewThread { self.pump(from: client, to: server, counting: true) }
                Thread.detachNewThread { self.pump(from: server, to: client, counting: false) }
            }
        }
    }

    private func pump(from source: Int32, to destination: Int32, counting: Bool) {
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            if counting {
                let cut: Bool = lock.withLock {
                    sent += count
                    if let limit = cutAt, sent >= limit {
                        cutAt = nil
                        return true
                    }
                    return false
                }
                if cut { break }
            }
            var offset = 0
            while offset < count {
                let written = buffer.withUnsafeBytes { bytes -> Int in
                    guard let base = bytes.baseAddress else { return -1 }
                    return write(destination, base + offset, count - offset)
                }
                if written <= 0 { break }
                offset += written
            }
        }
        shutdown(source, Int32(SHUT_RDWR))
        shutdown(destination, Int32(SHUT_RDWR))
        close(source)
    }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
