import Foundation
import GreenMineShared
import Hummingbird
import HummingbirdTesting
import Testing
@testable import GreenMineServer
#if canImport(Glibc)
import Glibc
#endif

/// Issue 11, connections: a declared body over the limit is refused at once, before a byte of it is read.
struct DeclaredLengthTests {
    /// Reads until the answer's head is complete, the server closes, or 20 s pass.
    private func readHead(_ fd: Int32) -> String {
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !String(decoding: received, as: UTF8.self).contains("\r\n\r\n") {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }

    @Test func tenGigabytesDeclaredOnLoginOrPushAreRefusedAtOnce() async throws {
        let harness = try await Harness()
        try await harness.app.test(.live) { client in
            let port = try #require(client.port)
            // Login: refused for its declared size. Push with a bad token: refused before its body.
            for (path, authorization, status) in [("/v1/auth/login", "", "413"),
                                                  ("/v1/sync/push", "Authorization: Bearer x\r\n", "401")] {
                let fd = try RawConnection.open(port: port)
                defer { close(fd) }
                let head = "POST \(path) HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + authorization + "Content-Length: 10000000000\r\n\r\n{\"a\":"
                try RawConnection.send(fd, Array(head.utf8))
                let answer = readHead(fd)
                #expect(answer.hasPrefix("HTTP/1.1 \(status)"), "\(path): \(answer)")
                // The answer came without the body being sent. (This is the router on Hummingbird's
                // plain server; the closing that `httpServer(limits:)` adds is in ConnectionLimitTests.)
            }
        }
    }
}
