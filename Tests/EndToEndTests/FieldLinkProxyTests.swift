import FieldLink
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The field-link proxy itself, against a tiny loopback sink: the rate limit, the latency, the cut at
/// an outage, connections refused while the link is down, and a clean stop. Loose time bounds only.
@Suite("Field link proxy")
struct FieldLinkProxyTests {
    /// Sends `bytes` through the proxy, half-closes, and returns the sink's answer (bytes it received).
    private func transfer(_ bytes: Int, port: Int) -> (answer: String?, seconds: Double) {
        let start = Date()
        let socketFD = LoopbackSink.connectTo(port: port)
        guard socketFD >= 0 else { return (nil, 0) }
        defer { close(socketFD) }
        guard LoopbackSink.send(socketFD, [UInt8](repeating: 0x5A, count: bytes)) else { return (nil, 0) }
        shutdown(socketFD, Int32(SHUT_WR))
        let answer = LoopbackSink.readAll(socketFD).map { String(decoding: $0, as: UTF8.self) }
        return (answer, Date().timeIntervalSince(start))
    }

    @Test("64 KiB at 256 kbit/s takes about 2 s; the bytes are counted each way")
    func rateLimit() async throws {
        let sink = try LoopbackSink()
        defer { sink.stop() }
        let proxy = try FieldLinkProxy(upstreamPort: sink.port, shape: .symmetric(bitsPerSecond: 256_000))
        defer { proxy.stop() }
        let (answer, seconds) = transfer(64 * 1024, port: proxy.port)
        #expect(answer == "65536")
        // 65,536 × 8 / 256,000 = 2.05 s on the line.
        #expect(seconds > 1.0, "\(seconds) s")
        #expect(seconds < 30, "\(seconds) s")
        let figures = proxy.statistics
        #expect(figures.bytesUp == 65536)
        #expect(figures.bytesDown == 5)
        #expect(figures.connections == 1)
        #expect(figures.perConnection.first?.bytesUp == 65536)
    }

    @Test("latency delays each direction")
    func latency() async throws {
        let sink = try LoopbackSink()
        defer { sink.stop() }
        let proxy = try FieldLinkProxy(upstreamPort: sink.port, shape: LinkShape(latency: 0.3))
        defer { proxy.stop() }
        let (answer, seconds) = transfer(1000, port: proxy.port)
        #expect(answer == "1000")
        // Bytes up (0.3 s), the end of input (0.3 s), then the answer down (0.3 s).
        #expect(seconds > 0.5, "\(seconds) s")
    }

    @Test("an outage cuts the open connection; during it connections are closed at once; after it the link works")
    func outage() async throws {
        let sink = try LoopbackSink()
        defer { sink.stop() }
        let proxy = try FieldLinkProxy(upstreamPort: sink.port,
                                       shape: LinkShape(outageEvery: 100, outageLength: 4, firstOutageAfter: 0.5))
        defer { proxy.stop() }
        let open = LoopbackSink.connectTo(port: proxy.port)
        try #require(open >= 0)
        defer { close(open) }
        #expect(LoopbackSink.send(open, [UInt8](repeating: 1, count: 1000)))
        // The sink answers only at the end of input, so nothing comes back until the cut ends the connection.
        let start = Date()
        let read = LoopbackSink.readAll(open) ?? []
        #expect(read.isEmpty, "cut, not answered")
        let cutAfter = Date().timeIntervalSince(start)
        #expect(cutAfter > 0.2 && cutAfter < 10, "\(cutAfter) s")
        #expect(proxy.isDown)
        #expect(proxy.statistics.outages == 1)
        #expect(proxy.statistics.cut == 1)
        #expect(proxy.statistics.perConnection.first?.cutByOutage == true)

        // While it is down: accepted and closed at once.
        let (during, _) = transfer(10, port: proxy.port)
        #expect(during == nil || during == "", "\(during ?? "nil")")
        #expect(proxy.statistics.refused >= 1)

        // After it: works again. (The outage lasts 4 s, long enough that a loaded machine still tries
        // the connection above while it is down.)
        try await Task.sleep(for: .seconds(4.5))
        #expect(!proxy.isDown)
        let (after, _) = transfer(10, port: proxy.port)
        #expect(after == "10")
        let figures = proxy.statistics
        #expect(figures.secondsUp < figures.seconds - 1.0, "\(figures.secondsUp) of \(figures.seconds) s up")
    }

    @Test("stop ends every thread (the last thread of a connection closes its sockets) and the listener")
    func cleanStop() async throws {
        let sink = try LoopbackSink()
        let proxy = try FieldLinkProxy(upstreamPort: sink.port, shape: .symmetric(bitsPerSecond: 8_000_000, latency: 0.05))
        let (answer, _) = transfer(100_000, port: proxy.port)
        #expect(answer == "100000")
        // One connection left open mid-transfer when the proxy stops.
        let open = LoopbackSink.connectTo(port: proxy.port)
        #expect(LoopbackSink.send(open, [UInt8](repeating: 2, count: 10_000)))
        #expect(proxy.stop())
        #expect(proxy.liveThreads == 0)
        #expect(proxy.statistics.perConnection.allSatisfy { !$0.open })
        close(open)
        let again = LoopbackSink.connectTo(port: proxy.port)
        #expect(again < 0, "the listener is closed")
        if again >= 0 { close(again) }
        sink.stop()
    }
}
