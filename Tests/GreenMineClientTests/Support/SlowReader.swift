import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A loopback HTTP endpoint that reads each request's body at a set pace (or not at all) and then
/// answers 204 — a radio link that is slow but moving, or one that stalled.
final class SlowReader: @unchecked Sendable {
    let port: Int
    private let listener: LoopbackListener
    /// Bytes read per step, and the pause after each; 0 bytes: read nothing, answer never.
    private let step: Int
    private let pause: TimeInterval
    private let lock = NSLock()
    private var received = 0

    /// Body bytes read so far.
    var bytesRead: Int { lock.withLock { received } }

    init(step: Int, pause: TimeInterval) throws {
        self.step = step
        self.pause = pause
        let box = ServeBox()
        listener = try LoopbackListener.start(backlog: 8) { box.serve?($0) }
        port = listener.port
        box.serve = { [unowned self] in self.serve($0) }
    }

    func stop() {
        listener.close()
    }

    private func serve(_ client: Int32) {
        defer { close(client) }
        // Keep the kernel's receive buffer small, so the pace of reading is the pace of the link.
        var small: Int32 = 64 * 1024
        setsockopt(client, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        guard step > 0 else {
            Thread.sleep(forTimeInterval: 30)
            return
        }
        var buffer = [UInt8](repeating: 0, count: step)
        var head: [UInt8] = []
        var bodyLeft: Int?
        var tail: [UInt8] = []
        while true {
            let count = buffer.withUnsafeMutableBytes { read(client, $0.baseAddress, step) }
            if count <= 0 { return }
            lock.withLock { received += count }
            var bytes = Array(buffer[0..<count])
            if bodyLeft == nil {
                // The head ends at the first empty line; a Content-Length says how much body follows.
                head += bytes
                guard let end = Self.headEnd(head) else { continue }
                let text = String(decoding: head[..<end], as: UTF8.self).lowercased()
                let length = text.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) }
                bodyLeft = length ?? Int.max
                bytes = Array(head[(end + 4)...])
                head = []
            }
            if let left = bodyLeft, left != Int.max {
                bodyLeft = left - bytes.count
                if left - bytes.count <= 0 { break }
            } else {
                // A chunked body ends with a zero-length chunk (its bytes may straddle two reads).
                tail = Array((tail + bytes).suffix(7))
                if tail == Array("\r\n0\r\n\r\n".utf8) { break }
            }
            Thread.sleep(forTimeInterval: pause)
        }
        let answer = "HTTP/1.1 204 No Content\r\nUpload-Offset: 0\r\nConnection: close\r\n\r\n"
        _ = answer.withCString { write(client, $0, strlen($0)) }
    }

    /// Where the request head's closing empty line starts, if it has arrived.
    private static func headEnd(_ bytes: [UInt8]) -> Int? {
        let mark = Array("\r\n\r\n".utf8)
        guard bytes.count >= mark.count else { return nil }
        return (0...(bytes.count - mark.count)).first { Array(bytes[$0..<($0 + mark.count)]) == mark }
    }
}

/// Lets a listener started in `init` call back into the object once it is whole (a connection that
/// comes earlier is closed).
final class ServeBox: @unchecked Sendable {
    private let lock = NSLock()
    private var handler: ((Int32) -> Void)?

    var serve: ((Int32) -> Void)? {
        get { lock.withLock { handler ?? { Glibc.close($0) } } }
        set { lock.withLock { handler = newValue } }
    }
}
