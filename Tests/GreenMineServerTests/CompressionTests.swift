import Foundation
import GreenMineShared
import GreenMineZlib
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import GreenMineServer

/// gzip on the wire (issue 10): `Gzip`, compressed JSON answers, and compressed push bodies.
struct CompressionTests {
    // MARK: Gzip

    @Test func gzipRoundTripsAndIsGzip() throws {
        let text = Data(String(repeating: #"{"basic.mineName":"冀绿一号矿","version":7},"#, count: 500).utf8)
        let compressed = Gzip.compress(text)
        #expect(Array(compressed.prefix(2)) == [0x1F, 0x8B])
        #expect(compressed.count < text.count / 10)
        #expect(try Gzip.decompress(compressed, limit: text.count) == text)
        #expect(try Gzip.decompress(Gzip.compress(text, level: 1), limit: text.count) == text)
        #expect(try Gzip.decompress(Gzip.compress(Data([7])), limit: 1) == Data([7]))
        // Two members one after the other are one body (RFC 1952 §2.2).
        let joined = Gzip.compress(Data("ab".utf8)) + Gzip.compress(Data("cd".utf8))
        #expect(try Gzip.decompress(joined, limit: 100) == Data("abcd".utf8))
    }

    @Test func gzipRefusesBombsAndDamage() throws {
        let zeros = Gzip.compress(Data(count: 10 * 1024 * 1024))
        #expect(zeros.count < 64 * 1024)
        #expect(throws: Gzip.Failure.tooLarge(limit: 1_000_000)) { try Gzip.decompress(zeros, limit: 1_000_000) }
        #expect(throws: Gzip.Failure.tooLarge(limit: 4)) { try Gzip.decompress(Gzip.compress(Data("hello".utf8)), limit: 4) }
        let good = Gzip.compress(Data(String(repeating: "abc", count: 1000).utf8))
        #expect(throws: Gzip.Failure.corrupt) { try Gzip.decompress(good.prefix(good.count - 5), limit: 1 << 20) }
        #expect(throws: Gzip.Failure.corrupt) { try Gzip.decompress(Data(), limit: 100) }
        #expect(throws: Gzip.Failure.corrupt) { try Gzip.decompress(Data("not gzip at all".utf8), limit: 100) }
        #expect(throws: Gzip.Failure.corrupt) { try Gzip.decompress(good + Data([1, 2, 3]), limit: 1 << 20) }
        var flipped = good
        flipped[flipped.count / 2] ^= 0xFF
        #expect(throws: Gzip.Failure.corrupt) { try Gzip.decompress(flipped, limit: 1 << 20) }
    }

    @Test func acceptEncodingIsReadWithItsQValues() {
        let accepts = CompressionMiddleware<AppRequestContext>.acceptsGzip
        #expect(accepts(["gzip"]))
        #expect(accepts(["deflate, gzip;q=0.5"]))
        #expect(accepts(["br", "GZIP"]))
        #expect(accepts(["*"]))
        #expect(accepts(["x-gzip"]))
        #expect(!accepts([]))
        #expect(!accepts(["identity"]))
        #expect(!accepts(["gzip;q=0"]))
        #expect(!accepts(["gzip; q=0.000"]))
        #expect(!accepts(["*, gzip;q=0"]))
        #expect(!accepts(["*;q=0"]))
        #expect(!accepts(["gzip;q=abc"]))
        #expect(!accepts(["deflate"]))
    }

    @Test func onlyJSONAnswersAreCompressedWhateverTheCaseAndParameters() {
        let isJSON = CompressionMiddleware<AppRequestContext>.isJSON
        #expect(isJSON("application/json"))
        #expect(isJSON("Application/JSON; charset=utf-8"))
        #expect(isJSON(" application/json\t;q=1"))
        #expect(!isJSON(nil))
        #expect(isJSON("application/json "))
        #expect(!isJSON(""))
        #expect(!isJSON(" \t "))
        #expect(!isJSON(";application/json"))
        #expect(!isJSON("application/jsonx"))
        #expect(!isJSON("application\u{0F}json"))
        #expect(!isJSON("text/json"))
        #expect(!isJSON("application/octet-stream"))
    }

    // MARK: answers

    static func headers(_ token: String, acceptEncoding: String?) -> HTTPFields {
        var fields = API.headers(token)
        if let acceptEncoding { fields[.acceptEncoding] = acceptEncoding }
        return fields
    }

    @Test func aPullPageIsTheSameJSONCompressedOrNot() async throws {
        let harness = try await Harness()
        let token = try await harness.token("demo-ent1")
        try await harness.withAPI { api in
            var device = Device()
            for _ in 0..<3 { _ = try await api.draftPreApplication(token, &device) }
            let plain = try await api.send(.get, "/v1/sync/pull", headers: Self.headers(token, acceptEncoding: nil))
            let refused = try await api.send(.get, "/v1/sync/pull",
                                             headers: Self.headers(token, acceptEncoding: "gzip;q=0, identity"))
            let gzipped = try await api.send(.get, "/v1/sync/pull",
                                             headers: Self.headers(token, acceptEncoding: "gzip, deflate, br"))
            for response in [plain, refused, gzipped] {
                #expect(response.status == .ok)
                #expect(response.headers[.vary] == "Accept-Encoding")
            }
            #expect(plain.headers[.contentEncoding] == nil)
            #expect(refused.headers[.contentEncoding] == nil)
            #expect(gzipped.headers[.contentEncoding] == "gzip")
            let body = Data(buffer: plain.body)
            #expect(body.count > 1024)
            let compressed = Data(buffer: gzipped.body)
            #expect(gzipped.headers[.contentLength] == String(compressed.count))
            #expect(compressed.count < body.count / 2)
            #expect(try Gzip.decompress(compressed, limit: 1 << 24) == body)
            #expect(Data(buffer: refused.body) == body)
            #expect(try API.decode(PullResponse.self, plain).records.count >= 3)
        }
    }

    @Test func smallAnswersAndFilesAreSentAsTheyAre() async throws {
        let harness = try await Harness()
        let token = try await harness.token("demo-ent1")
        try await harness.withAPI { api in
            let small = try await api.send(.get, "/v1/me", headers: Self.headers(token, acceptEncoding: "gzip"))
            #expect(small.status == .ok)
            #expect(small.headers[.contentEncoding] == nil)
            #expect(Data(buffer: small.body).count < 1024)
            let error = try await api.send(.get, "/v1/records/\(UUID())/history",
                                           headers: Self.headers(token, acceptEncoding: "gzip"))
            #expect(error.status == .notFound)
            #expect(error.headers[.contentEncoding] == nil)
        }
        // A file that compresses well is still sent as stored, whatever its type.
        let file = Array(String(repeating: #"{"a":1}"#, count: 2000).utf8)
        let image = UploadTests.jpeg(size: 50_000)
        try await harness.app.test(.router) { client in
            for bytes in [file, image] {
                let hash = UploadTests.sha256(bytes)
                let path = try await UploadTests.create(client, token: token, length: bytes.count, sha256: hash)
                let done = try await UploadTests.patch(client, path, token: token, offset: 0, bytes)
                #expect(done.status == .noContent)
                var headers = UploadTests.headers(token)
                headers[.acceptEncoding] = "gzip"
                try await client.execute(uri: "/v1/blobs/\(hash)", method: .get, headers: headers) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentEncoding] == nil)
                    #expect(Array(buffer: response.body) == bytes)
                }
                try await client.execute(uri: path, method: .head, headers: headers) { response in
                    #expect(response.headers[.contentEncoding] == nil)
                }
            }
        }
    }

    // MARK: push bodies

    static func pushHeaders(_ token: String, encoding: String?) -> HTTPFields {
        var fields = API.headers(token)
        if let encoding { fields[.contentEncoding] = encoding }
        return fields
    }

    /// A batch that creates a complete pre-application, attaches its image and submits it.
    static func batch() -> PushRequest {
        var device = Device()
        let id = UUID()
        let mutations = [
            device.create(.preApplication, id: id, set: Sample.preApplicationFields()),
            device.attach(GreenMineShared.Record(id: id, kind: .preApplication, version: 1), slot: "pre.image",
                          sha256: Sample.imageSHA),
            device.transition(id, .preApplication, base: 2, .submit),
        ]
        return device.request(mutations)
    }

    @Test func aCompressedPushIsAppliedExactlyAsAPlainOne() async throws {
        let batch = Self.batch()
        let body = try WireCoding.encode(batch)
        var answers: [Data] = []
        for encoding in [nil, "gzip"] {
            let harness = try await Harness()
            let token = try await harness.token("demo-ent1")
            let sent = encoding == nil ? body : Gzip.compress(body)
            let response = try await harness.withAPI { api in
                try await api.send(.post, "/v1/sync/push", body: sent,
                                   headers: Self.pushHeaders(token, encoding: encoding))
            }
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            let decoded = try API.decode(PushResponse.self, response)
            #expect(decoded.results.map(\.status) == [.applied, .applied, .applied])
            #expect(decoded.results.last?.record?.state == .submitted)
            answers.append(Data(buffer: response.body))
        }
        #expect(answers[0] == answers[1])
    }

    @Test func bombsDamageAndOtherEncodingsAreRefusedAndChangeNothing() async throws {
        let harness = try await Harness()
        let token = try await harness.token("demo-ent1")
        let body = try WireCoding.encode(Self.batch())
        try await harness.withAPI { api in
            let before = try await harness.counts()
            // 9 MiB of JSON whitespace and a batch: under 10 KiB compressed, past the push limit once decompressed.
            let bomb = Gzip.compress(Data(repeating: UInt8(ascii: " "), count: SyncController.pushLimit + 1) + body)
            #expect(bomb.count < SyncController.pushLimit / 100)
            try API.expectError(try await api.send(.post, "/v1/sync/push", body: bomb,
                                                   headers: Self.pushHeaders(token, encoding: "gzip")),
                                .contentTooLarge, "payload_too_large")
            let compressed = Gzip.compress(body)
            try API.expectError(try await api.send(.post, "/v1/sync/push", body: compressed.prefix(compressed.count / 2),
                                                   headers: Self.pushHeaders(token, encoding: "gzip")),
                                .badRequest, "malformed_gzip")
            try API.expectError(try await api.send(.post, "/v1/sync/push", body: body,
                                                   headers: Self.pushHeaders(token, encoding: "gzip")),
                                .badRequest, "malformed_gzip")
            try API.expectError(try await api.send(.post, "/v1/sync/push", body: body,
                                                   headers: Self.pushHeaders(token, encoding: "br")),
                                .unsupportedMediaType, "unsupported_encoding")
            try API.expectError(try await api.send(.post, "/v1/sync/push", body: compressed,
                                                   headers: Self.pushHeaders(token, encoding: "gzip, br")),
                                .unsupportedMediaType, "unsupported_encoding")
            #expect(try await harness.counts() == before)
            // `identity` is no encoding at all.
            let plain = try await api.send(.post, "/v1/sync/push", body: body,
                                           headers: Self.pushHeaders(token, encoding: "identity"))
            #expect(plain.status == .ok)
        }
    }
}
