import Foundation
import GRDB
import GreenMineShared

/// A certificate as this device holds it: its record and the signed certificate inside.
public struct LocalCertificate: Sendable {
    /// The `certificate` record.
    public var record: LocalRecord
    public var signed: SignedCertificate
}

extension Workspace {
    /// Which of an application's certificates counts: a valid one before a revoked one (an upheld
    /// appeal lists a removed mine again with a new certificate), then the newest.
    static func precedence(_ certificate: LocalCertificate) -> (Int, String, String) {
        (certificate.signed.status == .valid ? 1 : 0, certificate.signed.body.issuedOn, certificate.signed.body.number)
    }

    /// The certificate of an application (the valid one, else the latest one issued), or the
    /// certificate record named by `prefix` itself.
    public func certificate(_ prefix: String) throws -> LocalCertificate {
        try store.read { db in
            let local = try IdPrefix.record(db, prefix, kinds: [.application, .certificate])
            let candidates = local.kind == .certificate ? [local] : try RecordChildren.of(db, local.id, kind: .certificate)
            let found = candidates.compactMap { record in
                CertificateRecord.signed(in: record.working).map { LocalCertificate(record: record, signed: $0) }
            }.max { Self.precedence($0) < Self.precedence($1) }
            guard let found else {
                throw ClientError(
                    code: "no_certificate",
                    zh: "本机没有申请 \(local.id.lowercased) 的证书（当前状态：\(local.working.state.label.zh)）；证书在审核通过后签发，请先运行 greenmine sync",
                    en: "this device holds no certificate for \(local.id.lowercased) (state: \(local.working.state.label.en)); certificates are issued on approval — run greenmine sync first")
            }
            return found
        }
    }
}

/// Verification with what a store holds, for commands that need no session (`cert verify`).
extension Store {
    /// The verification keys this device holds, by key id.
    public func verificationKeys() throws -> [String: StoredVerificationKey] {
        try read { try VerificationKeyStore.all($0) }
    }

    /// The certificate with this number as last synced on this device, if any.
    public func syncedCertificate(number: String) throws -> SignedCertificate? {
        try read { db in
            let rows = try LocalRecord.fetchAll(db, sql: "SELECT * FROM records WHERE kind = ? AND deleted = 0",
                                                arguments: [RecordKind.certificate.rawValue])
            return rows.compactMap { CertificateRecord.signed(in: $0.working) }.first { $0.body.number == number }
        }
    }
}
