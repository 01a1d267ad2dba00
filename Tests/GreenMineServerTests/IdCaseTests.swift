import Foundation
import GreenMineShared
import Hummingbird
import HummingbirdTesting
import Testing
@testable import GreenMineServer

/// Ids in either case are accepted; record, client and application ids are answered in lower case
/// (RFC 9562); user ids, which record fields carry, are echoed as issued and looked up in either case.
struct IdCaseTests {
    /// Every UUID-shaped text in `body` that has an upper-case hex digit, less the users' ids.
    static func upperCaseIds(in body: String, except userIds: Set<String>) -> [String] {
        let pattern = /[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}/
        return body.matches(of: pattern).map { String($0.output) }
            .filter { $0 != $0.lowercased() && !userIds.contains($0) }
    }

    @Test func anUpperCasePushIsAnsweredInLowerCaseEverywhere() async throws {
        let harness = try await Harness()
        let enterprise = try await harness.token("demo-ent1")
        let userIds = Set(try await harness.services.accounts.users().map(\.id))
        let recordId = UUID()
        let clientId = UUID()
        let fields = String(decoding: try WireCoding.encode(Sample.preApplicationFields()), as: UTF8.self)
        let push = """
        {"clientId":"\(clientId.uuidString)","mutations":[{"seq":1,"recordId":"\(recordId.uuidString)",\
        "kind":"preApplication","op":"create","deviceTime":"2026-12-01T08:00:00.000Z","set":\(fields)}]}
        """
        #expect(push.contains(recordId.uuidString) && recordId.uuidString != recordId.wireString)
        try await harness.withAPI { api in
            let pushed = try await api.send(.post, "/v1/sync/push", token: enterprise, body: Data(push.utf8))
            #expect(pushed.status == .ok)
            let pushText = String(buffer: pushed.body)
            #expect(pushText.contains(recordId.wireString))
            #expect(Self.upperCaseIds(in: pushText, except: userIds) == [])

            let pulled = try await api.send(.get, "/v1/sync/pull?clientId=\(clientId.uuidString)", token: enterprise)
            let pullText = String(buffer: pulled.body)
            #expect(pullText.contains("\"id\":\"\(recordId.wireString)\""))
            #expect(Self.upperCaseIds(in: pullText, except: userIds) == [])

            // The history answers for either case of the id in the path, in lower case.
            for path in [recordId.uuidString, recordId.wireString] {
                let history = try await api.send(.get, "/v1/records/\(path)/history", token: enterprise)
                #expect(history.status == .ok)
                let text = String(buffer: history.body)
                #expect(text.contains("\"recordId\":\"\(recordId.wireString)\""))
                #expect(Self.upperCaseIds(in: text, except: userIds) == [])
            }
            // A later push in lower case names the same record: one record, version 2.
            let device = Device(clientId: clientId)
            let patched = try await api.apply(enterprise, device, device.raw(
                seq: 2, recordId, .preApplication, .patch, base: 1, set: ["basic.mineName": .string("长安区绿源石灰岩矿（二号井）")]))
            #expect(patched.id == recordId && patched.version == 2)
        }
    }

    @Test func gonePullsAndCertificatesAnswerInLowerCase() async throws {
        let harness = try await Harness()
        let enterprise = try await harness.token("demo-ent1")
        let userIds = Set(try await harness.services.accounts.users().map(\.id))
        try await harness.withAPI { api in
            let approved = try await CertificateTests.approvedApplication(api, harness: harness)
            let certificate = try #require(try await api.pullAll(enterprise).records.values.first { $0.kind == .certificate })
            for path in [certificate.id.uuidString, certificate.id.wireString] {
                let answer = try await api.send(.get, "/v1/certificates/\(path)", token: enterprise)
                #expect(answer.status == .ok)
                let text = String(buffer: answer.body)
                #expect(text.contains("\"applicationId\":\"\(approved.id.wireString)\""))
                #expect(Self.upperCaseIds(in: text, except: userIds) == [])
            }
            let signed = try API.decode(SignedCertificate.self, try await api.send(
                .get, "/v1/certificates/\(certificate.id)", token: enterprise))
            let key = try await CertificateTests.publicKey(api, token: enterprise)
            let signature = try #require(Data(base64Encoded: signed.signature))
            #expect(key.isValidSignature(signature, for: try signed.body.canonicalBytes()))
            #expect(String(decoding: try signed.body.canonicalBytes(), as: UTF8.self).contains(approved.id.wireString))
        }
    }

    @Test func aUserIdIsFoundInEitherCase() async throws {
        let harness = try await Harness()
        let province = try await harness.token("demo-province")
        // A user id as the live server issues them (upper-case UUID text with letters in it).
        let hash = try await PasswordHasher.fastForTests.hash("Field-2026-pass", salt: Array(repeating: 7, count: 16))
        let target = try await harness.services.accounts.addUser(
            id: "0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D",
            NewUser(username: "ent-upper", role: .enterprise, orgId: DemoData.creditCode(1)),
            password: hash, at: Harness.start)
        #expect(target.id != target.id.lowercased())
        try await harness.withAPI { api in
            let reset = try await api.send(.post, "/v1/admin/users/\(target.id.lowercased())/reset-password",
                                           token: province)
            #expect(reset.status == .ok)
            #expect(try API.decode(PasswordResetResponse.self, reset).username == "ent-upper")
        }
    }
}
