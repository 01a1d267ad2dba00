import Foundation
import GreenMineShared
import Hummingbird
import HummingbirdTesting
import Testing
@testable import GreenMineServer

/// Bad input of every sort gets a 4xx with a stable code (or a rejected result inside a 200 push) and
/// writes nothing; no input makes the server answer 500.
struct BadInputTests {
    static let deviceTime = "2026-11-30T10:00:00.000Z"

    /// A push body with one mutation given as raw JSON.
    static func pushBody(_ mutation: String, clientId: String = UUID().uuidString) -> Data {
        Data(#"{"clientId":"\#(clientId)","mutations":[\#(mutation)]}"#.utf8)
    }

    @Test func malformedPushBodiesAreRefusedAndChangeNothing() async throws {
        let harness = try await Harness()
        let token = try await harness.token("demo-ent1")
        try await harness.withAPI { api in
            var device = Device()
            let existing = try await api.apply(token, device, device.create(.preApplication, set: [:]))
            let counts = try await harness.counts()
            let id = UUID().uuidString
            let cases: [(String, Data, String)] = [
                ("not JSON", Data("push please".utf8), "malformed_json"),
                ("truncated", Data(#"{"clientId":"#.utf8), "malformed_json"),
                ("empty", Data(), "malformed_json"),
                ("array", Data("[]".utf8), "invalid_body"),
                // Foundation's JSONDecoder stops the process on this seq (an integer above 2^53 written
                // with 200 zeros and an exponent): it must be refused before it gets there.
                ("a number that would crash JSONDecoder", Self.pushBody(#"{"seq":9007199254740993\#(String(repeating: "0", count: 200))e-200,"recordId":"\#(id)","kind":"preApplication","op":"create","deviceTime":"\#(Self.deviceTime)"}"#),
                 "invalid_body"),
                ("no mutations", Data(#"{"clientId":"\#(UUID().uuidString)"}"#.utf8), "invalid_body"),
                ("bad clientId", Data(#"{"clientId":"not-a-uuid","mutations":[]}"#.utf8), "invalid_body"),
                ("mutations not a list", Data(#"{"clientId":"\#(UUID().uuidString)","mutations":{}}"#.utf8),
                 "invalid_body"),
                ("unknown kind", Self.pushBody(#"{"seq":1,"recordId":"\#(id)","kind":"spaceship","op":"create","deviceTime":"\#(Self.deviceTime)"}"#),
                 "invalid_body"),
                ("unknown op", Self.pushBody(#"{"seq":1,"recordId":"\#(id)","kind":"preApplication","op":"explode","deviceTime":"\#(Self.deviceTime)"}"#),
                 "invalid_body"),
                ("unknown transition", Self.pushBody(#"{"seq":1,"recordId":"\#(id)","kind":"preApplication","op":"transition","transition":"bribe","deviceTime":"\#(Self.deviceTime)"}"#),
                 "invalid_body"),
                ("seq as text", Self.pushBody(#"{"seq":"1","recordId":"\#(id)","kind":"preApplication","op":"create","deviceTime":"\#(Self.deviceTime)"}"#),
                 "invalid_body"),
                ("fractional seq", Self.pushBody(#"{"seq":1.5,"recordId":"\#(id)","kind":"preApplication","op":"create","deviceTime":"\#(Self.deviceTime)"}"#),
                 "invalid_body"),
                ("huge seq", Self.pushBody(#"{"seq":1e30,"recordId":"\#(id)","kind":"preApplication","op":"create","deviceTime":"\#(Self.deviceTime)"}"#),
                 "invalid_body"),
                ("bad record id", Self.pushBody(#"{"seq":1,"recordId":"../../etc/passwd","kind":"preApplication","op":"create","deviceTime":"\#(Self.deviceTime)"}"#),
                 "invalid_body"),
                ("bad parent id", Self.pushBody(#"{"seq":1,"recordId":"\#(id)","parentId":"x","kind":"evidence","op":"create","deviceTime":"\#(Self.deviceTime)"}"#),
                 "invalid_body"),
                ("no device time", Self.pushBody(#"{"seq":1,"recordId":"\#(id)","kind":"preApplication","op":"create"}"#),
                 "invalid_body"),
                ("bad device time", Self.pushBody(#"{"seq":1,"recordId":"\#(id)","kind":"preApplication","op":"create","deviceTime":"yesterday"}"#),
                 "invalid_body"),
                ("set not an object", Self.pushBody(#"{"seq":1,"recordId":"\#(id)","kind":"preApplication","op":"create","set":[1,2],"deviceTime":"\#(Self.deviceTime)"}"#),
                 "invalid_body"),
                ("baseVersion as text", Self.pushBody(#"{"seq":1,"recordId":"\#(id)","kind":"preApplication","op":"patch","baseVersion":"1","deviceTime":"\#(Self.deviceTime)"}"#),
                 "invalid_body"),
                ("attachment without hash", Self.pushBody(#"{"seq":1,"recordId":"\#(id)","kind":"preApplication","op":"attach","attachment":{"slot":"pre.image"},"deviceTime":"\#(Self.deviceTime)"}"#),
                 "invalid_body"),
            ]
            for (name, body, code) in cases {
                let response = try await api.send(.post, "/v1/sync/push", token: token, body: body)
                #expect(response.status == .badRequest, "\(name)")
                #expect((try? API.error(response))?.code == code, "\(name): \(String(buffer: response.body))")
                let detail = try API.error(response)
                #expect(!detail.message.contains("Swift."), "\(name): the message leaks internals: \(detail.message)")
            }
            #expect(try await harness.counts() == counts)
            #expect(try await harness.stored(existing.id) == existing)
        }
    }

    @Test func perMutationRefusalsForBadValuesAndAttachments() async throws {
        let harness = try await Harness()
        let token = try await harness.token("demo-ent1")
        try await harness.withAPI { api in
            var device = Device()
            let record = try await api.apply(token, device, device.create(.preApplication, set: [:]))
            let counts = try await harness.counts()
            try await api.expectRejected(token, device, device.attach(record, slot: "pre.image", sha256: "xyz"),
                                         "bad_sha256")
            try await api.expectRejected(token, device, device.attach(record, slot: "pre.image",
                                                                      sha256: String(repeating: "0", count: 64)),
                                         "blob_missing")
            // A PDF in the images-only slot, and a slot of another kind.
            try await api.expectRejected(token, device, device.attach(record, slot: "pre.image", sha256: Sample.pdfSHA),
                                         "attachment_rule")
            try await api.expectRejected(token, device, device.attach(record, slot: "app.pdf", sha256: Sample.pdfSHA),
                                         "attachment_rule")
            var noFile = device.attach(record, slot: "pre.image", sha256: Sample.imageSHA)
            noFile.attachment = nil
            try await api.expectRejected(token, device, noFile, "attachment_missing")
            // Numbers that are not numbers, and nested values where text belongs.
            try await api.expectRejected(token, device, device.patch(record, set: [
                "basic.licenceNumber": .array([.string("C1")]),
            ]), "invalid_field")
            try await api.expectRejected(token, device, device.patch(record, set: [
                "basic.region": .object(["code": .string("130102")]),
            ]), "invalid_field")
            #expect(try await harness.counts().writes == counts.writes)
        }
    }

    @Test func oversizeBodiesAre413() async throws {
        let harness = try await Harness()
        let token = try await harness.token("demo-ent1")
        try await harness.withAPI { api in
            let counts = try await harness.counts()
            var device = Device()
            let filler = String(repeating: "长", count: 3 * 1024 * 1024)
            let push = try await api.send(.post, "/v1/sync/push", token: token, json: device.request([
                device.create(.preApplication, set: ["remarks.text": .string(filler)]),
            ]))
            try API.expectError(push, .contentTooLarge, "payload_too_large")
            // More mutations than a batch may carry.
            let many = Device()
            let batch = many.request((1...(SyncService.maxBatch + 1)).map {
                many.raw(seq: $0, UUID(), .preApplication, .create, set: [:])
            })
            try API.expectError(try await api.send(.post, "/v1/sync/push", token: token, json: batch),
                                .contentTooLarge, "batch_too_large")
            let password = try await api.send(.post, "/v1/auth/password", token: token,
                                              body: Data(repeating: UInt8(ascii: " "), count: 20 * 1024))
            try API.expectError(password, .contentTooLarge, "payload_too_large")
            #expect(try await harness.counts() == counts)
        }
    }

    @Test func badPathsAndQueries() async throws {
        let harness = try await Harness()
        let token = try await harness.token("demo-ministry")
        try await harness.withAPI { api in
            for bad in ["not-a-uuid", "12345", "%27%3B%20DROP%20TABLE%20records", "00000000-0000-0000-0000-00000000000g"] {
                try API.expectError(try await api.send(.get, "/v1/records/\(bad)/history", token: token),
                                    .badRequest, "bad_id")
            }
            try API.expectError(try await api.history(token, UUID()), .notFound, "not_found")
            try API.expectError(try await api.send(.get, "/v1/records/\(UUID().uuidString)/history"),
                                .unauthorized, "unauthorized")
            for (query, code) in [("limit=abc", "bad_limit"), ("limit=0", "bad_limit"), ("limit=-3", "bad_limit"),
                                  ("limit=5001", "bad_limit"), ("limit=99999999999999999999", "bad_limit"),
                                  ("after=abc", "bad_cursor"), ("after=-1", "bad_cursor"), ("after=1.5", "bad_cursor"),
                                  ("after=99999999999999999999", "bad_cursor"),
                                  ("clientId=nope", "bad_client_id")] {
                try API.expectError(try await api.send(.get, "/v1/sync/pull?\(query)", token: token),
                                    .badRequest, code)
            }
            // A cursor beyond the end is simply an empty page.
            let page = try await api.pull(token, after: "999999")
            #expect(page.records.isEmpty)
            #expect(!page.more)
            try API.expectError(try await api.pullResponse(nil), .unauthorized, "unauthorized")
            try API.expectError(try await api.send(.post, "/v1/sync/push",
                                                   json: PushRequest(clientId: UUID(), mutations: [])),
                                .unauthorized, "unauthorized")
        }
    }

    @Test func deeplyNestedValuesAreRefusedWithoutCrashing() async throws {
        let harness = try await Harness()
        let token = try await harness.token("demo-ent1")
        try await harness.withAPI { api in
            let counts = try await harness.counts()
            for depth in [100, 10_000, 200_000] {
                let value = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
                let body = Self.pushBody(#"{"seq":1,"recordId":"\#(UUID().uuidString)","kind":"preApplication","op":"create","set":{"remarks.text":\#(value)},"deviceTime":"\#(Self.deviceTime)"}"#)
                let response = try await api.send(.post, "/v1/sync/push", token: token, body: body)
                #expect(response.status.code < 500, "depth \(depth)")
                if response.status == .ok {
                    let push = try API.decode(PushResponse.self, response)
                    #expect(push.results.first?.error?.code == "invalid_field")
                }
            }
            #expect(try await harness.counts().writes == counts.writes)
        }
    }

    /// A small deterministic generator for the fuzz loop.
    struct Fuzz {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

        static let tokens = ["{", "}", "[", "]", ":", ",", "\"", "null", "true", "false", "0", "-1", "1e999",
                             "9223372036854775808", "\"seq\"", "\"mutations\"", "\"clientId\"", "\"kind\"", "\"op\"",
                             "\"set\"", "\"\\u0000\"", "\"\\ud800\"", "\u{FEFF}", "\"長\"", "NaN", " ", "\n", "\\"]

        /// Mutates a valid body: flips, deletes, duplicates or splices bytes and JSON tokens.
        mutating func mutate(_ data: Data) -> Data {
            var bytes = [UInt8](data)
            for _ in 0..<(1 + int(4)) {
                guard !bytes.isEmpty else { bytes = Array(Self.tokens[int(Self.tokens.count)].utf8); continue }
                let at = int(bytes.count)
                switch int(6) {
                case 0: bytes[at] ^= UInt8(truncatingIfNeeded: 1 << int(8))
                case 1: bytes.remove(at: at)
                case 2: bytes.insert(contentsOf: Self.tokens[int(Self.tokens.count)].utf8, at: at)
                case 3: bytes.removeSubrange(at..<min(bytes.count, at + int(16)))
                case 4: bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + int(32))], at: at)
                default: bytes[at] = UInt8(truncatingIfNeeded: next())
                }
            }
            return Data(bytes)
        }
    }

    @Test func fuzzedBodiesNeverMakeA5xx() async throws {
        let harness = try await Harness()
        let token = try await harness.token("demo-ent1")
        try await harness.withAPI { api in
            var device = Device()
            let id = UUID()
            let valid = try WireCoding.encode(device.request([
                device.create(.preApplication, id: id, set: Sample.preApplicationFields()),
                device.patch(id, .preApplication, base: 1, set: ["remarks.text": .string("备注")]),
                device.attach(GreenMineShared.Record(id: id, kind: .preApplication, version: 2), slot: "pre.image",
                              sha256: Sample.imageSHA),
                device.transition(id, .preApplication, base: 3, .submit),
            ]))
            let login = try WireCoding.encode(LoginRequest(username: "demo-ent1", password: "not-the-password1"))
            var fuzz = Fuzz(state: 7)
            for round in 0..<200 {
                let body = fuzz.mutate(valid)
                let response = try await api.send(.post, "/v1/sync/push", token: token, body: body)
                #expect(response.status.code < 500, "push round \(round): \(String(decoding: body, as: UTF8.self))")
                if response.status != .ok {
                    #expect((try? API.error(response)) != nil, "push round \(round) has no error envelope")
                }
                let loginBody = fuzz.mutate(login)
                let loginResponse = try await api.send(.post, "/v1/auth/login", body: loginBody)
                #expect(loginResponse.status.code < 500, "login round \(round)")
                #expect(loginResponse.status != .ok, "login round \(round) logged in with a mutated password")
            }
            // Random bytes too.
            for round in 0..<50 {
                let noise = Data((0..<fuzz.int(300)).map { _ in UInt8(truncatingIfNeeded: fuzz.next()) })
                let response = try await api.send(.post, "/v1/sync/push", token: token, body: noise)
                #expect(response.status.code < 500, "noise round \(round)")
            }
            // The server is still well: the real batch goes through afterwards, on a fresh client.
            var fresh = Device()
            let record = try await api.apply(token, fresh, fresh.create(.preApplication, set: Sample.preApplicationFields()))
            #expect(record.version == 1)
            #expect(try await api.send(.get, "/healthz").status == .ok)
        }
    }
}
