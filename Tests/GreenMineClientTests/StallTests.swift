import Foundation
import Testing
@testable import GreenMineClient

/// A request is abandoned when nothing moves for its timeout, not after a fixed total time: a slow
/// radio link that keeps moving is left alone (docs/DECISIONS.md, "Field links").
struct StallTests {
    private func patch(_ port: Int, body: FileBody, timeout: TimeInterval) async throws -> APIResponse {
        guard let base = URL(string: "http://127.0.0.1:\(port)") else { throw TransportError(reason: "url") }
        return try await HTTPClientTransport(baseURL: base).send(APIRequest(
            method: "PATCH", path: "/v1/uploads/x", headers: ["Content-Type": "application/offset+octet-stream"],
            bodyFile: body, timeout: timeout))
    }

    private func file(_ size: Int) throws -> FileBody {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("stall-\(UUID().uuidString)")
        try Data(repeating: 0x61, count: size).write(to: url)
        return FileBody(path: url.path, offset: 0, length: Int64(size))
    }

    @Test func aSlowButMovingUploadOutlastsItsTimeout() async throws {
        // 96 MiB read at most 64 KiB at a time with 5 ms pauses: 8 s or more in all against a 5 s limit,
        // with bytes moving all the time. (The limit counts from the last byte handed to the kernel to the
        // answer too, and the sender's socket buffer holds megabytes: on a machine loaded by the rest of
        // the suite a 1 s limit, and once a 3 s one, saw it drain for longer than that.)
        let reader = try SlowReader(step: 64 * 1024, pause: 0.005)
        defer { reader.stop() }
        let started = Date()
        let body = try file(96 << 20)
        defer { try? FileManager.default.removeItem(atPath: body.path) }
        let response = try await patch(reader.port, body: body, timeout: 5)
        #expect(response.status == 204)
        #expect(reader.bytesRead >= 96 << 20)
        // Only a floor: it took longer than the limit and still went through.
        #expect(Date().timeIntervalSince(started) > 5)
    }

    @Test func aStalledUploadIsAbandoned() async throws {
        let reader = try SlowReader(step: 0, pause: 0)
        defer { reader.stop() }
        await #expect(throws: TransportError.self) {
            let body = try file(12 << 20)
            defer { try? FileManager.default.removeItem(atPath: body.path) }
            _ = try await patch(reader.port, body: body, timeout: 1)
        }
    }
}
