import Foundation
import GreenMineServer
import GreenMineShared
import Hummingbird

/// Issue 12's console budgets: a province's work queue over 100,000 records renders in < 100 ms
/// server time p99, a record page in < 50 ms. The store is filled through the sync service (pushes of
/// demo-ent1: each record created with a photo attached and submitted, so every one awaits the
/// province); the pages are then fetched one at a time over one keep-alive loopback connection with
/// the province's session cookie, so each figure is the server's time plus a loopback round trip.
enum ConsoleBenchmark {
    struct Figure {
        var name: String
        var p50: Double
        var p99: Double
        var bytes: Int
    }

    /// A 1×1 PNG: the photo every record carries.
    static let png: [UInt8] = Array(Data(base64Encoded:
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==") ?? Data())

    static func run(records: Int, rounds: Int) async throws -> (fill: Double, figures: [Figure]) {
        let server = try await BenchServer.start(name: "console")
        defer { server.stop() }
        let services = server.services
        let login = try await services.auth.login(username: "demo-ent1", password: try server.password("demo-ent1"),
                                                  address: "bench")
        let enterprise = try await services.auth.authenticate(token: login.token)
        let upload = try await services.uploads.create(user: enterprise, length: Int64(png.count),
                                                       metadata: ["filename": "现场照片.png", "filetype": "image/png"])
        let bytes = AsyncStream<ByteBuffer> { continuation in
            continuation.yield(ByteBuffer(bytes: png))
            continuation.finish()
        }
        let appended = try await services.uploads.append(upload.id, user: enterprise, offset: 0, checksum: nil, body: bytes)
        guard let sha256 = appended.completedSHA256 else { throw BenchError("the photo did not finish uploading") }

        let started = Date()
        let client = UUID()
        var seq = 1
        var made = 0
        var sample: UUID?
        while made < records {
            var batch: [Mutation] = []
            for _ in 0..<min(300, records - made) {
                let id = UUID()
                sample = sample ?? id
                let now = Date()
                batch.append(Mutation(
                    seq: seq, recordId: id, kind: .preApplication, op: .create,
                    set: SampleFiling.preApplication.merging([
                        "basic.region": .string(SampleFiling.region),
                        "basic.licenceNumber": .string(DemoData.licence(1)),
                        "basic.mineName": .string("基准测试矿山 \(made + 1)"),
                    ]) { _, new in new },
                    deviceTime: now))
                batch.append(Mutation(seq: seq + 1, recordId: id, kind: .preApplication, op: .attach, baseVersion: 1,
                                      attachment: MutationAttachment(slot: "pre.image", sha256: sha256, name: "现场照片.png"),
                                      deviceTime: now))
                batch.append(Mutation(seq: seq + 2, recordId: id, kind: .preApplication, op: .transition, baseVersion: 2,
                                      transition: .submit, deviceTime: now))
                seq += 3
                made += 1
            }
            let pushed = try await services.sync.push(PushRequest(clientId: client, mutations: batch), user: enterprise)
            if let refused = pushed.results.first(where: { $0.status != .applied }) {
                throw BenchError("filling: \(refused.status) \(refused.error?.message ?? "")")
            }
        }
        let fill = Date().timeIntervalSince(started)
        guard let sample else { throw BenchError("no records") }

        let province = try await server.http.login("demo-province", try server.password("demo-province"))
        guard let port = server.http.base.port else { throw BenchError("no port") }
        let pages: [(String, String)] = [
            ("work queue, first page (50 of \(records))", "/console/"),
            ("work queue, kind and region filters", "/console/?kind=preApplication&region=130102"),
            ("work queue, search by mine name", "/console/?q=" + "基准测试矿山 4242".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!),
            ("record page (photo, history, actions)", "/console/records/\(sample.wireString)"),
        ]
        var figures: [Figure] = []
        let connection = try BenchConnection(port: port)
        defer { connection.close() }
        connection.keepBody = true
        // The first page's link to the next (its keyset cursor), as a reviewer follows it.
        try connection.send(request("/console/", port: port, session: province))
        _ = try connection.readResponse()
        let first = String(decoding: connection.lastBody, as: UTF8.self)
        guard let link = first.range(of: #"href="(/console/\?[^"]*after=[^"]*)""#, options: .regularExpression)
        else { throw BenchError("the queue's first page has no link to the next") }
        let next = String(first[link].dropFirst(6).dropLast()).replacingOccurrences(of: "&amp;", with: "&")
        for (name, path) in pages + [("work queue, the next page (keyset cursor)", next)] {
            let request = request(path, port: port, session: province)
            var samples: [Double] = []
            var size = 0
            for round in 0..<(rounds + 10) {
                let begin = DispatchTime.now().uptimeNanoseconds
                try connection.send(request)
                let (status, length) = try connection.readResponse()
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e9
                guard status == 200 else {
                    throw BenchError("\(path) answered \(status): \(String(decoding: connection.lastBody.prefix(300), as: UTF8.self))")
                }
                if round >= 10 { samples.append(seconds) }
                size = length
            }
            samples.sort()
            func percentile(_ p: Double) -> Double { samples[min(samples.count - 1, Int(Double(samples.count) * p))] }
            figures.append(Figure(name: name, p50: percentile(0.5), p99: percentile(0.99), bytes: size))
        }
        return (fill, figures)
    }

    static func request(_ path: String, port: Int, session: String) -> [UInt8] {
        Array(("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"
            + "Cookie: gm_session=\(session)\r\nUser-Agent: greenmine-bench\r\n\r\n").utf8)
    }
}
