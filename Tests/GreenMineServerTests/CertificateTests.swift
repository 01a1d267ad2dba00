import Crypto
import Foundation
import GreenMineShared
import Hummingbird
import HummingbirdTesting
import Testing
@testable import GreenMineServer

/// Certificates issued on approval, signed with the server's Ed25519 key, revoked on removal;
/// the keys endpoint; password resets by province and ministry.
struct CertificateTests {
    /// Runs the workflow to an approved application (scored at 90 %) and returns it.
    static func approvedApplication(_ api: API, harness: Harness) async throws -> GreenMineShared.Record {
        let assessed = try await api.assessedApplication(harness, share: 0.9)
        var prov = Device()
        return try await api.apply(try await harness.token("demo-province"), prov, prov.transition(assessed, .approve))
    }

    static func publicKey(_ api: API, token: String) async throws -> Curve25519.Signing.PublicKey {
        let keys = try API.decode(KeysResponse.self, try await api.send(.get, "/v1/keys", token: token))
        let key = try #require(keys.keys.first)
        #expect(key.algorithm == "Ed25519")
        return try Curve25519.Signing.PublicKey(rawRepresentation: try #require(Data(base64Encoded: key.publicKey)))
    }

    @Test func approvalIssuesASignedCertificateAndRemovalRevokesIt() async throws {
        let harness = try await Harness()
        let enterprise = try await harness.token("demo-ent1")
        let other = try await harness.token("demo-ent2")
        let province = try await harness.token("demo-province")
        try await harness.withAPI { api in
            let approved = try await Self.approvedApplication(api, harness: harness)
            #expect(approved.state == .approved)
            let pulled = try await api.pullAll(enterprise).records.values
            let certificate = try #require(pulled.first { $0.kind == .certificate })
            #expect(certificate.parentId == approved.id)
            #expect(certificate.orgId == DemoData.creditCode(1))

            let signed = try API.decode(SignedCertificate.self,
                                        try await api.send(.get, "/v1/certificates/\(certificate.id)", token: enterprise))
            #expect(signed.status == .valid)
            #expect(signed.body.applicationId == approved.id)
            #expect(signed.body.licence == DemoData.licence(1))
            #expect(signed.body.creditCode == DemoData.creditCode(1))
            #expect(signed.body.number.hasPrefix("GM130000-"))
            #expect(signed.body.score > 800)
            let key = try await Self.publicKey(api, token: enterprise)
            let signature = try #require(Data(base64Encoded: signed.signature))
            #expect(key.isValidSignature(signature, for: try signed.body.canonicalBytes()))
            // An altered body no longer verifies.
            var forged = signed.body
            forged.score = 1000
            #expect(!key.isValidSignature(signature, for: try forged.canonicalBytes()))
            // Another enterprise cannot read it.
            try API.expectError(try await api.send(.get, "/v1/certificates/\(certificate.id)", token: other),
                                .notFound, "not_found")

            // Removal needs a reason, then revokes the certificate with a signed statement.
            var prov = Device()
            try await api.expectRejected(province, prov, prov.transition(approved, .remove), "comment_required")
            let removed = try await api.apply(province, prov, prov.transition(approved, .remove, comment: "抽查不合格"))
            #expect(removed.state == .removed)
            let revoked = try API.decode(SignedCertificate.self,
                                         try await api.send(.get, "/v1/certificates/\(certificate.id)", token: enterprise))
            #expect(revoked.status == .revoked)
            #expect(revoked.revocationReason == "抽查不合格")
            let statement = CertificateBody.revocationStatement(number: revoked.body.number,
                                                                revokedOn: try #require(revoked.revokedOn))
            let revocationSignature = try #require(revoked.revocationSignature)
            let revocationBytes = try #require(Data(base64Encoded: revocationSignature))
            #expect(key.isValidSignature(revocationBytes, for: statement))
            let history = try API.decode(HistoryResponse.self, try await api.history(enterprise, approved.id))
            #expect(history.events.map(\.action).suffix(3) == ["issueCertificate", "remove", "revokeCertificate"])
        }
    }

    @Test func theSigningKeySurvivesARestart() async throws {
        let harness = try await Harness()
        let first = harness.services.signer.verificationKey
        let again = try await CertificateSigner.loadOrCreate(harness.backend.storage.settings)
        #expect(again.verificationKey == first)
    }

    @Test func passwordResetsByProvinceAndMinistry() async throws {
        let harness = try await Harness()
        let province = try await harness.token("demo-province")
        let ministry = try await harness.token("demo-ministry")
        let enterprise = try await harness.token("demo-ent1")
        var ids: [String: String] = [:]
        for user in try await harness.services.accounts.users() { ids[user.username] = user.id }
        let known = ids
        @Sendable func id(_ name: String) -> String { known[name] ?? "missing-\(name)" }
        try await harness.withAPI { api in
            let reset = try API.decode(PasswordResetResponse.self, try await api.send(
                .post, "/v1/admin/users/\(id("demo-ent1"))/reset-password", token: province))
            #expect(reset.username == "demo-ent1")
            // The old token is revoked; the initial password logs in but must be changed first.
            try API.expectError(try await api.send(.get, "/v1/me", token: enterprise), .unauthorized, "unauthorized")
            let login = try await api.login("demo-ent1", reset.initialPassword)
            #expect(login.user.mustChangePassword)
            try API.expectError(try await api.send(.get, "/v1/sync/pull", token: login.token), .forbidden,
                                "password_change_required")
            // A province may not reset a reviewer, nor an enterprise of another province; others may not at all.
            try API.expectError(try await api.send(.post, "/v1/admin/users/\(id("demo-county"))/reset-password",
                                                   token: province), .forbidden, "reset_not_allowed")
            let assessor = try await harness.token("demo-assessor")
            try API.expectError(try await api.send(.post, "/v1/admin/users/\(id("demo-ent2"))/reset-password",
                                                   token: assessor), .forbidden, "reset_not_allowed")
            try API.expectError(try await api.send(.post, "/v1/admin/users/nobody/reset-password", token: ministry),
                                .notFound, "user_not_found")
            // The ministry may reset anyone.
            let byMinistry = try API.decode(PasswordResetResponse.self, try await api.send(
                .post, "/v1/admin/users/\(id("demo-county"))/reset-password", token: ministry))
            #expect(byMinistry.username == "demo-county")
        }
    }

    @Test func aProvinceCannotResetAnEnterpriseOfAnotherProvince() async throws {
        let harness = try await Harness()
        let admin = AdminService(services: harness.services)
        let code = "91410100MA0DEM0X9" + String(CreditCode.checkCharacter(forFirst17: "91410100MA0DEM0X9") ?? "0")
        try await admin.addOrganisation(Organisation(creditCode: code, name: "河南某矿业", region: "410102"))
        let henan = try await admin.addUser(NewUser(username: "henan-ent", role: .enterprise, orgId: code),
                                            password: "Henan2026pass")
        let province = try await harness.user(try await harness.token("demo-province"))
        await #expect(throws: ServiceError.self) { try await admin.resetPassword(by: province, userId: henan.id) }
    }
}
