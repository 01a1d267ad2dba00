import Crypto
import Foundation
import GreenMineShared

/// What checking a certificate found.
public enum CertificateVerdict: String, Codable, Sendable {
    /// The signature verifies with a known key and nothing says it was revoked.
    case valid
    /// Genuine, but revoked: the file or the synced record carries a revocation signed by the server.
    case revoked
    /// Not what the server issued: unknown key, a signature that fails, or an unsigned revocation mark.
    case forged
}

/// The outcome of verifying one certificate, with the reason in both languages.
public struct CertificateVerification: Codable, Sendable, Hashable {
    public var verdict: CertificateVerdict
    /// Stable code: `valid`, `revoked`, `unknown_key`, `bad_key`, `bad_signature`, `signature_invalid`,
    /// `revocation_invalid`.
    public var code: String
    public var message: LocalizedText
    /// The certificate number as the file states it.
    public var number: String
    public var keyId: String
    /// The server the verifying key came from.
    public var keyServer: String?
    /// `YYYY-MM-DD`, when revoked.
    public var revokedOn: String?
    public var revocationReason: String?
    /// Where the revocation was found: `file` or `store` (the record synced on this device).
    public var revokedBy: String?
}

/// Verifies certificates offline with Ed25519 keys this device fetched at login or sync.
public enum CertificateVerifier {
    /// The Ed25519 public key a listed key holds, if it is one.
    static func publicKey(_ key: VerificationKey) -> Curve25519.Signing.PublicKey? {
        guard key.algorithm.caseInsensitiveCompare("Ed25519") == .orderedSame,
              let raw = Data(base64Encoded: key.publicKey), raw.count == 32 else { return nil }
        return try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
    }

    /// Verifies `certificate` with `keys` (by key id); `synced` is the same certificate as last
    /// pulled on this device, whose revocation counts when its own signature verifies.
    public static func verify(_ certificate: SignedCertificate, keys: [String: StoredVerificationKey],
                              synced: SignedCertificate? = nil) -> CertificateVerification {
        let body = certificate.body
        var result = CertificateVerification(
            verdict: .forged, code: "", message: LocalizedText(zh: "", en: ""), number: body.number,
            keyId: body.keyId, keyServer: nil)
        func forged(_ code: String, _ zh: String, _ en: String) -> CertificateVerification {
            result.code = code
            result.message = LocalizedText(zh: zh, en: en)
            return result
        }
        guard let stored = keys[body.keyId] else {
            return forged("unknown_key",
                          "伪造或被篡改：签名密钥 \(body.keyId) 不是本机已知的服务器密钥",
                          "forged or altered: it names the signing key \(body.keyId), which is not a key this device knows")
        }
        result.keyServer = stored.server
        guard let key = publicKey(stored.key) else {
            return forged("bad_key", "无法验证：本机保存的密钥 \(body.keyId) 无效",
                          "cannot verify: the stored key \(body.keyId) is not a usable Ed25519 key")
        }
        guard let signature = Data(base64Encoded: certificate.signature),
              let forms = try? body.signedForms() else {
            return forged("bad_signature", "伪造或被篡改：签名格式不正确",
                          "forged or altered: the signature is not in the expected form")
        }
        guard forms.contains(where: { key.isValidSignature(signature, for: $0) }) else {
            return forged("signature_invalid", "伪造或被篡改：证书内容与服务器的签名不符",
                          "forged or altered: the certificate's content does not match the server's signature")
        }
        if certificate.status == .revoked {
            guard let day = certificate.revokedOn, revocationVerifies(certificate, key: key) else {
                return forged("revocation_invalid", "被篡改：文件标注为已撤销，但撤销声明没有服务器的有效签名",
                              "altered: the file says revoked, but its revocation statement is not signed by the server")
            }
            return revoked(result, on: day, reason: certificate.revocationReason, by: "file")
        }
        if let synced, synced.body == body, synced.status == .revoked, let day = synced.revokedOn,
           revocationVerifies(synced, key: key) {
            return revoked(result, on: day, reason: synced.revocationReason, by: "store")
        }
        result.verdict = .valid
        result.code = "valid"
        result.message = LocalizedText(
            zh: "有效：证书由服务器密钥 \(body.keyId) 签发，内容未被修改",
            en: "valid: signed by the server's key \(body.keyId), and unchanged")
        return result
    }

    private static func revocationVerifies(_ certificate: SignedCertificate,
                                           key: Curve25519.Signing.PublicKey) -> Bool {
        guard let day = certificate.revokedOn, let text = certificate.revocationSignature,
              let signature = Data(base64Encoded: text) else { return false }
        let statement = CertificateBody.revocationStatement(number: certificate.body.number, revokedOn: day)
        return key.isValidSignature(signature, for: statement)
    }

    private static func revoked(_ base: CertificateVerification, on day: String, reason: String?,
                                by source: String) -> CertificateVerification {
        var result = base
        result.verdict = .revoked
        result.code = "revoked"
        result.revokedOn = day
        result.revocationReason = reason
        result.revokedBy = source
        let why = reason.map { "（原因：\($0)）" } ?? ""
        let whyEn = reason.map { " (reason: \($0))" } ?? ""
        let whereZh = source == "store" ? "，依据本机最近同步的证书记录" : ""
        let whereEn = source == "store" ? ", as the certificate record last synced on this device says" : ""
        result.message = LocalizedText(
            zh: "已撤销：该证书于 \(day) 被撤销\(why)\(whereZh)；证书本身由服务器签发",
            en: "revoked on \(day)\(whyEn)\(whereEn); the certificate itself was issued by the server")
        return result
    }
}
