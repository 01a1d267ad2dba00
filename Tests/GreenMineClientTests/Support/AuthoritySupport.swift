import Crypto
import Foundation
import GreenMineShared
import Testing
@testable import GreenMineClient

/// Accounts of every authority role on the fake server, records put straight into a home's store
/// as a pull would put them, and the records reviewers and assessors work on.
extension FakeServer {
    static let agency = "河北绿源第三方评估中心"

    /// Adds a province (Hebei), a county (长安区), a city, the agency's assessor, an assessor of
    /// another agency, the ministry and a province of another province (Beijing).
    func addAuthorities() {
        let users: [(String, UserInfo)] = [
            ("prov", UserInfo(id: "u-prov", username: "prov", role: .province, region: "130000")),
            ("county", UserInfo(id: "u-county", username: "county", role: .county, region: "130102")),
            ("city", UserInfo(id: "u-city", username: "city", role: .city, region: "130100")),
            ("assessor", UserInfo(id: "u-assessor", username: "assessor", role: .assessor, agency: Self.agency)),
            ("stranger", UserInfo(id: "u-stranger", username: "stranger", role: .assessor, agency: "另一评估机构")),
            ("ministry", UserInfo(id: "u-ministry", username: "ministry", role: .ministry)),
            ("beijing", UserInfo(id: "u-beijing", username: "beijing", role: .province, region: "110000")),
        ]
        locked {
            for (name, user) in users { accounts[name] = Account(user: user, password: "secret-\(name)") }
        }
    }
}

extension TestHome {
    /// A home logged in to the fake server (with the authority accounts) as `user`.
    static func authority(_ user: String, server: FakeServer = FakeServer(), salt: UInt64 = 7,
                          transport: (any APITransport)? = nil) async -> TestHome {
        server.addAuthorities()
        server.licences[Fixtures.licence] = Fixtures.licenceInfo
        let home = TestHome(server: server, salt: salt)
        if let transport { home.transport = { _ in transport } }
        let login = await home.login(user, password: ["alice": "secret-1", "bob": "secret-2"][user] ?? "secret-\(user)")
        #expect(login.status == 0, "\(login.stderr)")
        return home
    }

    /// Puts server snapshots into the store as a pull would.
    func seed(_ records: [Record]) throws {
        let now = clock.now
        try store().write { db in
            for record in records { try SyncedRecordWriter.write(db, record, now: now) }
        }
    }

    /// The id's first 8 characters, as users type it.
    static func short(_ record: Record) -> String { String(record.id.uuidString.lowercased().prefix(8)) }
}

/// Records as the server sends them to reviewers and assessors.
enum ReviewFixtures {
    static func preApplication(_ state: RecordState, region: String = Fixtures.region, version: Int = 3) -> Record {
        Record(id: UUID(), kind: .preApplication, version: version, state: state, orgId: FakeServer.orgId,
               region: region, fields: [
                   "basic.region": .string(region), "basic.licenceNumber": .string(Fixtures.licence),
                   "basic.mineName": .string("长安区绿源石灰岩矿"),
                   "prerequisites.licencesValid": .bool(true), "prerequisites.noPenalty": .bool(true),
                   "prerequisites.disclosure": .bool(true), "prerequisites.normalOperation": .bool(true),
                   "prerequisites.outsideProtectedAreas": .bool(true),
               ], updatedAt: Date(timeIntervalSince1970: 1_796_100_000), updatedBy: "u-alice")
    }

    static func application(_ state: RecordState, region: String = Fixtures.region, agency: String? = nil,
                            version: Int = 4) -> Record {
        var fields: [String: JSONValue] = [
            "basic.region": .string(region), "basic.licenceNumber": .string(Fixtures.licence),
            "basic.mineName": .string("长安区绿源石灰岩矿"), "basic.holder": .string("石家庄绿源矿业有限公司"),
            "basic.creditCode": .string(FakeServer.orgId),
        ]
        if let agency { fields[WorkflowFields.agency] = .string(agency) }
        return Record(id: UUID(), kind: .application, version: version, state: state, orgId: FakeServer.orgId,
                      region: region, fields: fields, updatedAt: Date(timeIntervalSince1970: 1_796_100_000),
                      updatedBy: "u-alice")
    }

    /// An assessment of `application` scoring every item at `share` of its maximum; `complete`
    /// false leaves the last item unscored.
    static func assessment(of application: Record, share: Double, complete: Bool = true,
                           prerequisitesMet: Bool = true) -> Record {
        var fields: [String: JSONValue] = ["assessment.catalogueId": .string(Catalogue.sample.id)]
        for prerequisite in Catalogue.sample.prerequisites {
            fields["prerequisites.\(prerequisite.code)"] = .bool(prerequisitesMet)
        }
        let items = complete ? Catalogue.sample.allItems : Array(Catalogue.sample.allItems.dropLast())
        for item in items { fields["scores.\(item.code)"] = .double(item.maxPoints * share) }
        return Record(id: UUID(), kind: .assessment, version: 2, state: .draft, region: application.region,
                      parentId: application.id, fields: fields,
                      updatedAt: Date(timeIntervalSince1970: 1_796_100_500), updatedBy: "u-assessor")
    }

    /// A rejected application of alice's organisation.
    static func rejectedApplication() -> Record { application(.rejected, version: 6) }
}

/// The fake server plus the endpoints of issue 6: `/v1/keys`, `/v1/certificates/{id}` and
/// `/v1/admin/users/{id}/reset-password`, and a signing key to issue and revoke certificates with.
final class CertificateAuthority: APITransport, @unchecked Sendable {
    let server: FakeServer
    let key = Curve25519.Signing.PrivateKey()
    private let lock = NSLock()
    private var resetIds: [String] = []
    /// `/v1/keys` answers 404, as an older server would.
    var keysMissing = false

    init(_ server: FakeServer) {
        self.server = server
    }

    var keyId: String {
        SHA256.hash(data: key.publicKey.rawRepresentation).prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    var resets: [String] { lock.withLock { resetIds } }

    /// A certificate for `application`, signed; and the certificate record the server would make.
    func issue(for application: Record, number: String = "GM130000-2026-000001",
               mineName: String = "长安区绿源石灰岩矿") throws -> (record: Record, certificate: SignedCertificate) {
        let body = CertificateBody(
            number: number, applicationId: application.id, mineName: mineName, enterprise: "石家庄绿源矿业有限公司",
            creditCode: FakeServer.orgId, licence: Fixtures.licence, region: Fixtures.region,
            regionName: "河北省 / 石家庄市 / 长安区", catalogueId: Catalogue.sample.id,
            catalogueName: Catalogue.sample.name.zh, score: 902, issuedOn: "2026-12-01", keyId: keyId)
        let signed = SignedCertificate(body: body, signature: try key.signature(for: try body.canonicalBytes()).base64EncodedString(),
                                       status: .valid)
        return (try record(signed, id: UUID(), parent: application.id, state: .approved), signed)
    }

    /// The certificate revoked on `day`, with the revocation signed by this key (or by `signer`).
    func revoke(_ certificate: SignedCertificate, day: String = "2026-12-05", reason: String = "抽查不合格",
                signer: Curve25519.Signing.PrivateKey? = nil) throws -> SignedCertificate {
        var revoked = certificate
        revoked.status = .revoked
        revoked.revokedOn = day
        revoked.revocationReason = reason
        let statement = CertificateBody.revocationStatement(number: certificate.body.number, revokedOn: day)
        revoked.revocationSignature = try (signer ?? key).signature(for: statement).base64EncodedString()
        return revoked
    }

    /// A certificate record carrying `signed`.
    func record(_ signed: SignedCertificate, id: UUID, parent: UUID, state: RecordState) throws -> Record {
        Record(id: id, kind: .certificate, version: 1, state: state, orgId: FakeServer.orgId, region: Fixtures.region,
               parentId: parent, fields: [
                   SignedCertificate.fieldPath: .string(String(decoding: try WireCoding.encode(signed), as: UTF8.self)),
                   "certificate.number": .string(signed.body.number),
               ])
    }

    func send(_ request: APIRequest) async throws -> APIResponse {
        if request.method == "GET", request.path == "/v1/keys", !keysMissing {
            return try ok(KeysResponse(keys: [VerificationKey(keyId: keyId,
                                                              publicKey: key.publicKey.rawRepresentation.base64EncodedString())]))
        }
        if request.method == "GET", request.path.hasPrefix("/v1/certificates/"),
           let id = UUID(uuidString: String(request.path.dropFirst("/v1/certificates/".count))),
           let text = server.record(id)?.fields[SignedCertificate.fieldPath]?.string {
            return APIResponse(status: 200, body: Data(text.utf8))
        }
        if request.method == "POST", request.path.hasPrefix("/v1/admin/users/"), request.path.hasSuffix("/reset-password") {
            let id = String(request.path.dropFirst("/v1/admin/users/".count).dropLast("/reset-password".count))
            guard let account = server.locked({ server.accounts.values.first { $0.user.id == id } }) else {
                let detail = APIErrorDetail(code: "user_not_found", message: "no such user", messageZh: "没有该用户")
                return APIResponse(status: 404, body: try WireCoding.encode(APIErrorBody(error: detail)))
            }
            lock.withLock { resetIds.append(id) }
            return try ok(PasswordResetResponse(username: account.user.username, initialPassword: "Init-7f3k9q2w"))
        }
        return try await server.send(request)
    }

    private func ok<T: Encodable>(_ value: T) throws -> APIResponse {
        APIResponse(status: 200, headers: ["content-type": "application/json"], body: try WireCoding.encode(value))
    }
}

extension TestHome {
    /// A home logged in to the real server as a demo account, with its own id sequence (`salt`),
    /// so that several homes on one server never make the same record id.
    static func live(_ server: LiveServer, as user: String, salt: UInt64) async -> TestHome {
        let home = TestHome(salt: salt)
        let transport = HTTPClientTransport(baseURL: server.base)
        home.transport = { _ in transport }
        let login = await home.login(live: server, user)
        #expect(login.status == 0, "\(login.stderr)")
        return home
    }

    /// Runs a command that must succeed, and returns its run.
    @discardableResult
    func ok(_ arguments: [String], input: [String]? = nil, _ location: SourceLocation = #_sourceLocation) async -> Run {
        let result = await run(arguments, input: input)
        #expect(result.status == 0, "greenmine \(arguments.joined(separator: " ")): \(result.stderr)", sourceLocation: location)
        return result
    }
}
