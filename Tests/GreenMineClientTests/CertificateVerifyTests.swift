import Crypto
import Foundation
import GreenMineShared
import Testing
@testable import GreenMineClient

/// `cert download` and `cert verify`: keys kept at login and sync, offline verification.
struct CertificateVerifyTests {
    /// Alice's home (through the certificate endpoints) after her approved application's certificate
    /// has synced; the downloaded files' folder.
    static func downloaded() async throws -> (TestHome, CertificateAuthority, Record, SignedCertificate, URL) {
        let server = FakeServer()
        let authority = CertificateAuthority(server)
        let home = await TestHome.authority("alice", server: server, transport: authority)
        let application = ReviewFixtures.application(.approved)
        server.store(application)
        let (record, certificate) = try authority.issue(for: application)
        server.store(record)
        #expect(await home.run(["sync"]).status == 0)
        let out = home.root.appendingPathComponent("证书")
        let download = await home.run(["cert", "download", TestHome.short(application), "--out", out.path])
        #expect(download.status == 0, "\(download.stderr)")
        return (home, authority, record, certificate, out)
    }

    @Test func keysAreKeptAtLoginAndAtEachSync() async throws {
        let server = FakeServer()
        let authority = CertificateAuthority(server)
        authority.keysMissing = true
        let home = await TestHome.authority("alice", server: server, transport: authority)
        #expect(try home.store().verificationKeys().isEmpty)
        authority.keysMissing = false
        #expect(await home.run(["sync"]).status == 0)
        let keys = try home.store().verificationKeys()
        #expect(Array(keys.keys) == [authority.keyId])
        #expect(keys[authority.keyId]?.server == "http://fake.test")
        let again = await TestHome.authority("alice", server: server, transport: authority)
        #expect(try again.store().verificationKeys().count == 1)
    }

    @Test func downloadWritesTheSignedCertificateAndAChinesePageAndVerifyFindsItValid() async throws {
        let (home, authority, _, certificate, out) = try await Self.downloaded()
        let json = out.appendingPathComponent("GM130000-2026-000001.json")
        let html = out.appendingPathComponent("GM130000-2026-000001.html")
        let stored = try WireCoding.decode(SignedCertificate.self, from: Data(contentsOf: json))
        #expect(stored == certificate)
        let page = try String(contentsOf: html, encoding: .utf8)
        for text in ["绿色矿山证书", "GM130000-2026-000001", "长安区绿源石灰岩矿", "石家庄绿源矿业有限公司", FakeServer.orgId,
                     Fixtures.licence, "河北省 / 石家庄市 / 长安区", "绿色矿山评价指标体系（示例，非官方）", "902 分", "2026-12-01",
                     "有效", authority.keyId, "在线验证：http://fake.test/verify/GM130000-2026-000001"] {
            #expect(page.contains(text), "the page lacks \(text)")
        }
        #expect(!page.contains("已撤销"))
        // Verification needs no network.
        home.server.offline = true
        let verify = await home.run(["cert", "verify", json.path])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stdout.contains("valid: signed by the server's key \(authority.keyId)"))
        let report = await home.run(["cert", "verify", json.path, "--json"])
        let result = try WireCoding.decode(CertificateVerification.self, from: Data(report.stdout.utf8))
        #expect(result.verdict == .valid)
    }

    @Test func aForgedOrAlteredCertificateFailsVerification() async throws {
        let (home, authority, _, certificate, out) = try await Self.downloaded()
        let json = out.appendingPathComponent("GM130000-2026-000001.json")
        let text = try String(contentsOf: json, encoding: .utf8)
        // Altered: one field changed after signing.
        let altered = home.root.appendingPathComponent("altered.json")
        try text.replacingOccurrences(of: "长安区绿源石灰岩矿", with: "长安区绿源金矿").write(to: altered, atomically: true, encoding: .utf8)
        let run = await home.run(["cert", "verify", altered.path])
        #expect(run.status == 1)
        #expect(run.stdout.contains("forged or altered: the certificate's content does not match the server's signature"))
        #expect(run.stderr.contains("forged or altered"))
        // The score raised.
        var raised = certificate
        raised.body.score = 990
        let higher = home.root.appendingPathComponent("higher.json")
        try WireCoding.encode(raised).write(to: higher)
        #expect(await home.run(["cert", "verify", higher.path]).status == 1)
        // Forged: signed with a key the server never had, under its key id or under another one.
        let forger = Curve25519.Signing.PrivateKey()
        var forged = certificate
        forged.signature = try forger.signature(for: try certificate.body.canonicalBytes()).base64EncodedString()
        let copy = home.root.appendingPathComponent("forged.json")
        try WireCoding.encode(forged).write(to: copy)
        let forgedRun = await home.run(["cert", "verify", copy.path, "--json"])
        #expect(forgedRun.status == 1)
        #expect(try WireCoding.decode(CertificateVerification.self, from: Data(forgedRun.stdout.utf8)).code == "signature_invalid")
        var unknown = certificate
        unknown.body.keyId = "0123456789abcdef"
        unknown.signature = try forger.signature(for: try unknown.body.canonicalBytes()).base64EncodedString()
        let unknownFile = home.root.appendingPathComponent("unknown.json")
        try WireCoding.encode(unknown).write(to: unknownFile)
        let unknownRun = await home.run(["cert", "verify", unknownFile.path])
        #expect(unknownRun.status == 1)
        #expect(unknownRun.stdout.contains("not a key this device knows"))
        // A "revoked" mark the server did not sign is an alteration too.
        let fakeRevocation = try authority.revoke(certificate, signer: forger)
        let marked = home.root.appendingPathComponent("marked.json")
        try WireCoding.encode(fakeRevocation).write(to: marked)
        let markedRun = await home.run(["cert", "verify", marked.path])
        #expect(markedRun.status == 1)
        #expect(markedRun.stdout.contains("its revocation statement is not signed by the server"))
        // Not a certificate at all.
        let page = out.appendingPathComponent("GM130000-2026-000001.html")
        let notJSON = await home.run(["cert", "verify", page.path])
        #expect(notJSON.status == 1)
        #expect(notJSON.stderr.contains("is not a signed certificate"))
    }

    @Test func aRemovalThatHasSyncedMakesTheCertificateRevoked() async throws {
        let (home, authority, record, certificate, out) = try await Self.downloaded()
        let json = out.appendingPathComponent("GM130000-2026-000001.json")
        let revoked = try authority.revoke(certificate, reason: "抽查发现严重环境问题")
        home.server.store(try authority.record(revoked, id: record.id, parent: try #require(record.parentId),
                                               state: .removed))
        // Before the removal reaches this device, the file still verifies.
        #expect(await home.run(["cert", "verify", json.path]).status == 0)
        #expect(await home.run(["sync"]).status == 0)
        home.server.offline = true
        let run = await home.run(["cert", "verify", json.path])
        #expect(run.status == 2)
        #expect(run.stdout.contains("revoked on 2026-12-05 (reason: 抽查发现严重环境问题)"))
        home.language = "zh_CN.UTF-8"
        let zh = await home.run(["cert", "verify", json.path])
        #expect(zh.stdout.contains("已撤销"))
        // Downloaded again, the file itself carries the signed revocation and the page says so.
        home.server.offline = false
        let again = home.root.appendingPathComponent("again")
        let download = await home.run(["cert", "download", String(record.id.uuidString.lowercased().prefix(8)),
                                       "--out", again.path])
        #expect(download.status == 0, "\(download.stderr)")
        #expect(download.stdout.contains("已撤销"))
        let page = try String(contentsOf: again.appendingPathComponent("GM130000-2026-000001.html"), encoding: .utf8)
        #expect(page.contains("已撤销"))
        #expect(page.contains("抽查发现严重环境问题"))
        // A fresh home with only the keys (no synced record) still sees the revocation in the file.
        let fresh = await TestHome.authority("bob", server: home.server, transport: authority)
        let file = await fresh.run(["cert", "verify", again.appendingPathComponent("GM130000-2026-000001.json").path, "--json"])
        #expect(file.status == 2)
        let result = try WireCoding.decode(CertificateVerification.self, from: Data(file.stdout.utf8))
        #expect(result.revokedBy == "file")
    }

    @Test func withoutKeysNothingIsClaimed() async throws {
        let home = TestHome()
        let file = home.root.appendingPathComponent("c.json")
        let authority = CertificateAuthority(FakeServer())
        let (_, certificate) = try authority.issue(for: ReviewFixtures.application(.approved))
        try WireCoding.encode(certificate).write(to: file)
        let run = await home.run(["cert", "verify", file.path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("holds no certificate verification keys yet"))
        let verdict = CertificateVerifier.verify(certificate, keys: [:])
        #expect(verdict.verdict == .forged)
    }

    @Test func downloadNeedsACertificate() async throws {
        let home = await TestHome.authority("alice")
        let application = ReviewFixtures.application(.assessed)
        try home.seed([application])
        let run = await home.run(["cert", "download", TestHome.short(application), "--out", home.root.path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("holds no certificate"))
    }

    /// Certificates signed before ids went lower case on the wire (their `applicationId` upper case in the
    /// signed bytes) still verify; a signature over anything else still does not.
    @Test func aCertificateSignedWithTheUpperCaseIdStillVerifies() throws {
        let server = FakeServer()
        let authority = CertificateAuthority(server)
        let (_, current) = try authority.issue(for: ReviewFixtures.application(.approved))
        let canonical = String(decoding: try current.body.canonicalBytes(), as: UTF8.self)
        #expect(canonical.contains("\"applicationId\":\"\(current.body.applicationId.wireString)\""))
        let legacyBytes = Data(canonical.replacingOccurrences(
            of: current.body.applicationId.wireString, with: current.body.applicationId.uuidString).utf8)
        #expect(try current.body.signedForms() == [try current.body.canonicalBytes(), legacyBytes])
        var legacy = current
        legacy.signature = try authority.key.signature(for: legacyBytes).base64EncodedString()
        let keys = [authority.keyId: StoredVerificationKey(
            key: VerificationKey(keyId: authority.keyId, publicKey: authority.key.publicKey.rawRepresentation
                .base64EncodedString()), server: nil, fetchedAt: Date())]
        #expect(CertificateVerifier.verify(current, keys: keys).verdict == .valid)
        #expect(CertificateVerifier.verify(legacy, keys: keys).verdict == .valid)
        var other = current
        other.signature = try authority.key.signature(for: Data(canonical.uppercased().utf8)).base64EncodedString()
        #expect(CertificateVerifier.verify(other, keys: keys).verdict == .forged)
    }
}
