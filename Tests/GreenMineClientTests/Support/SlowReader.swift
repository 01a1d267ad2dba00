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
        var tail: [UInt8] = []
        while true {
            let count = buffer.withUnsafeMutableBytes { read(client, $0.baseAddress, step) }
            if count <= 0 { return }
            lock.withLock { received += count }
            // A chunked body ends with a zero-length chunk (its bytes may straddle two reads).
            tail = Array((tail + buffer[0..<count]).suffix(7))
            if tail == Array("\r\n0\r\n\r\n".utf8) { break }
            Thread.sleep(forTimeInterval: pause)
        }
        let answer = "HTTP/1.1 204 No Content\r\nUpload-Offset: 0\r\nConnection: close\r\n\r\n"
        _ = answer.withCString { write(client, $0, strlen($0)) }
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
