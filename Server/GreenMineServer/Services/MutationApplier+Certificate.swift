import Foundation
import GreenMineShared

extension MutationApplier {
    /// Approving an application issues its signed certificate as a record of its own (kind
    /// `certificate`, child of the application), made by the server.
    func issueCertificate(for application: Record, mutation: Mutation) async throws {
        let assessment = try await tx.children(of: application.id, kind: .assessment)
            .filter { AgencyRules.counts($0, for: application) }
            .max { ($0.updatedAt ?? .distantPast) < ($1.updatedAt ?? .distantPast) }
        let catalogue = try await catalogue(forApplication: application, assessment: assessment)
        let score = assessment.map { catalogue.score(AssessmentSheet.scoresheet(of: $0)).total } ?? 0
        let province = application.region.flatMap { regions.province(of: $0)?.code } ?? "000000"
        let year = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "Asia/Shanghai") ?? .gmt,
                                                                  from: now).year ?? 2026
        let sequence = try await tx.nextCounter("certificate_seq")
        let body = CertificateBody(
            number: "GM\(province)-\(year)-\(String(format: "%06d", sequence))", applicationId: application.id,
            mineName: application.text("basic.mineName") ?? "", enterprise: application.text("basic.holder") ?? "",
            creditCode: application.text("basic.creditCode") ?? application.orgId ?? "",
            licence: application.text(FormSchema.licencePath) ?? "", region: application.region ?? "",
            regionName: application.region.map { regions.displayPath(of: $0) } ?? "",
            catalogueId: catalogue.id, catalogueName: catalogue.name.zh, score: score,
            issuedOn: Self.day(now), keyId: signer.keyId)
        let signed = SignedCertificate(body: body, signature: try signer.sign(try body.canonicalBytes()), status: .valid)
        let certificate = Record(
            id: environmentId(), kind: .certificate, version: 1, state: .approved, orgId: application.orgId,
            region: application.region, parentId: application.id,
            fields: [SignedCertificate.fieldPath: .string(String(decoding: try WireCoding.encode(signed), as: UTF8.self)),
                     "certificate.number": .string(body.number)],
            updatedAt: now, updatedBy: user.info.id)
        try await tx.save(StoredRecord(record: certificate, creatorClient: nil), parent: application,
                    changedPaths: ["@created"], userId: user.info.id, clientId: nil, at: now)
        try await tx.audit(AuditEntry(recordId: application.id, action: "issueCertificate", actor: user, serverTime: now,
                                deviceTime: mutation.deviceTime, fromState: nil, toState: nil,
                                version: application.version, comment: body.number))
    }

    /// Removing a listed mine revokes its certificate with a signed revocation.
    func revokeCertificates(of application: Record, reason: String?, mutation: Mutation) async throws {
        for certificate in try await tx.children(of: application.id, kind: .certificate) {
            guard let text = certificate.text(SignedCertificate.fieldPath),
                  var signed = try? WireCoding.decode(SignedCertificate.self, from: Data(text.utf8)),
                  signed.status == .valid else { continue }
            let day = Self.day(now)
            signed.status = .revoked
            signed.revokedOn = day
            signed.revocationReason = reason
            signed.revocationSignature = try signer.sign(CertificateBody.revocationStatement(number: signed.body.number,
                                                                                             revokedOn: day))
            var next = certificate
            next.state = .removed
            next.fields[SignedCertificate.fieldPath] = .string(String(decoding: try WireCoding.encode(signed), as: UTF8.self))
            next = bumped(next)
            try await tx.save(StoredRecord(record: next, creatorClient: nil), parent: application,
                        changedPaths: ["@state", SignedCertificate.fieldPath], userId: user.info.id, clientId: nil, at: now)
            try await tx.audit(AuditEntry(recordId: application.id, action: "revokeCertificate", actor: user, serverTime: now,
                                    deviceTime: mutation.deviceTime, fromState: nil, toState: nil,
                                    version: application.version, comment: signed.body.number))
        }
    }

    /// `YYYY-MM-DD` in China Standard Time.
    static func day(_ date: Date) -> String {
        let components = Calendar(identifier: .gregorian)
            .dateComponents(in: TimeZone(identifier: "Asia/Shanghai") ?? .gmt, from: date)
        return String(format: "%04d-%02d-%02d", components.year ?? 0, components.month ?? 0, components.day ?? 0)
    }
}
