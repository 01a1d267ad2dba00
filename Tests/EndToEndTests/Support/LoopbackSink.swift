import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny loopback TCP server for checking the field-link proxy: each connection's bytes are read to
/// the end, then it answers with their count as decimal text and closes.
final class LoopbackSink: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var threads = 0

    init() throws {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = LoopbackSink.address(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard socketFD >= 0, bound == 0, listen(socketFD, 16) == 0 else { throw HarnessError("sink cannot listen") }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) }
        }
        listener = socketFD
        port = Int(UInt16(bigEndian: actual.sin_port))
        lock.withLock { threads += 1 }
        Thread.detachNewThread { [self] in
            while true {
                let client = accept(listener, nil, nil)
                if client < 0 { break }
                lock.withLock { threads += 1 }
                Thread.detachNewThread { [self] in
                    Self.serve(client)
                    lock.withLock { threads -= 1 }
                }
            }
            lock.withLock { threads -= 1 }
        }
    }

    var liveThreads: Int { lock.withLock { threads } }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private static func serve(_ client: Int32) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var total = 0
        while true {
            let count = recv(client, &buffer, buffer.count, 0)
            if count <= 0 { break }
            total += count
        }
        _ = LoopbackSink.send(client, Array("\(total)".utf8))
        close(client)
    }

    /// Writes all bytes; false when the socket failed.
    static func send(_ socketFD: Int32, _ bytes: [UInt8]) -> Bool {
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes {
                Glibc.send(socketFD, $0.baseAddress.map { $0 + written }, bytes.count - written, Int32(MSG_NOSIGNAL))
            }
            if result <= 0 { return false }
            written += result
        }
        return true
    }

    /// Connects to 127.0.0.1:`port`; -1 when refused.
    static func connectTo(port: Int) -> Int32 {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var target = address(port: port)
        let result = withUnsafePointer(to: &target) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result != 0 {
            close(socketFD)
            return -1
        }
        return socketFD
    }

    /// Reads to the end (or an error); nil when the connection failed with an error.
    static func readAll(_ socketFD: Int32) -> [UInt8]? {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = recv(socketFD, &buffer, buffer.count, 0)
            if count < 0 { return nil }
            if count == 0 { return result }
            result += buffer[0..<count]
        }
    }

    private static func address(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(clamping: port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
