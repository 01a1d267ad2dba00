import Crypto
import Foundation
import GreenMineShared
import Hummingbird

/// The outcome of checking a certificate on the public page.
enum CertificateCheck: Sendable, Equatable {
    case valid
    case revoked(on: String, reason: String?)
    case forged
}

/// `/verify/{number}`, public: a certificate by number, checked with the server's Ed25519 key over the
/// same signed forms (`CertificateBody.signedForms()`) and revocation statement the client verifies.
enum ConsoleVerifyPage {
    static func check(_ certificate: SignedCertificate, key: VerificationKey) -> CertificateCheck {
        guard certificate.body.keyId == key.keyId, let raw = Data(base64Encoded: key.publicKey),
              let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: raw),
              let signature = Data(base64Encoded: certificate.signature),
              let forms = try? certificate.body.signedForms(),
              forms.contains(where: { publicKey.isValidSignature(signature, for: $0) }) else {
            return .forged
        }
        guard certificate.status == .revoked else { return .valid }
        guard let day = certificate.revokedOn, let text = certificate.revocationSignature,
              let revocation = Data(base64Encoded: text),
              publicKey.isValidSignature(revocation, for: CertificateBody.revocationStatement(
                  number: certificate.body.number, revokedOn: day)) else {
            return .forged
        }
        return .revoked(on: day, reason: certificate.revocationReason)
    }

    static func respond(_ request: Request, number: String, services: AppServices) async throws -> Response {
        let layout = ConsoleLayout(language: ConsoleHTTP.language(request), session: nil, path: request.uri.path)
        let t = layout.t
        let trimmed = String(number.trimmingCharacters(in: .whitespaces).prefix(64))
        guard !trimmed.isEmpty, let text = try await services.records.signedCertificate(number: trimmed),
              let certificate = try? WireCoding.decode(SignedCertificate.self, from: Data(text.utf8)) else {
            return ConsoleHTTP.page(layout.page(t(ConsoleText.verify), """
                <p class="error">\(t(ConsoleText.noCertificate)) (\(trimmed))</p>
                """), status: .notFound)
        }
        let body = certificate.body
        let verdict: HTML
        switch check(certificate, key: services.signer.verificationKey) {
        case .valid:
            verdict = """
                <p class="ok">\(layout.language == .zh ? "有效：证书由服务器密钥 \(body.keyId) 签发，内容未被修改" : "Valid: signed by the server's key \(body.keyId), and unchanged")</p>
                """
        case .revoked(let day, let reason):
            let why = reason.map { layout.language == .zh ? "（原因：\($0)）" : " (reason: \($0))" } ?? ""
            verdict = """
                <p class="error">\(layout.language == .zh ? "已撤销：该证书于 \(day) 被撤销\(why)" : "Revoked on \(day)\(why)")</p>
                """
        case .forged:
            verdict = """
                <p class="error">\(layout.language == .zh ? "无效：证书内容与服务器的签名不符" : "Invalid: the certificate does not match the server's signature")</p>
                """
        }
        return ConsoleHTTP.page(layout.page(t(ConsoleText.verify), """
            \(verdict)
            <table>
            <tr><th>\(t(ConsoleText.certificateNumber))</th><td>\(body.number)</td></tr>
            <tr><th>\(t(ConsoleText.mineName))</th><td>\(body.mineName)</td></tr>
            <tr><th>\(t(ConsoleText.enterprise))</th><td>\(body.enterprise)</td></tr>
            <tr><th>\(t(ConsoleText.licence))</th><td>\(body.licence)</td></tr>
            <tr><th>\(t(ConsoleText.region))</th><td>\(body.regionName)</td></tr>
            <tr><th>\(t(ConsoleText.score))</th><td>\(String(body.score))</td></tr>
            <tr><th>\(t(ConsoleText.issuedOn))</th><td>\(body.issuedOn)</td></tr>
            </table>
            """))
    }
}
