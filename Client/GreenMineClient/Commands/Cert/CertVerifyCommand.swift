import ArgumentParser
import Foundation
import GreenMineShared

/// `greenmine cert verify FILE`: verifies a certificate offline.
struct CertVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "验证证书 Verify a certificate file offline.",
        usage: HelpUsage.of("greenmine cert verify", "<FILE>"),
        discussion: """
        FILE is the signed certificate (JSON) written by `greenmine cert download`. The signature is \
        checked with the keys this device fetched at login or sync; no network is needed. A removal \
        from the directory counts once it has synced to this device, or when the file itself carries the \
        server's signed revocation.
        FILE 为 greenmine cert download 写出的签名证书（JSON）。使用登录或同步时取得的
        密钥验证签名，无需联网。矿山被移出名录且已同步到本机，或文件本身带有服务器
        签名的撤销声明时，报告已撤销。

        Exit status 退出状态:
          0  valid 有效
          1  forged or altered 伪造或被篡改, or not verifiable 无法验证
             (no keys yet, file unreadable or not a certificate
             本机尚无密钥、文件无法读取或不是签名证书)
          2  revoked 已撤销
        """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("证书文件（JSON） The certificate file (JSON).", valueName: "FILE"))
    var file: String

    /// The largest file read: a certificate is a few kilobytes.
    static let maxBytes = 1 << 20

    func run() async throws {
        try await global.run { context in
            let certificate = try read()
            let store = try context.openStore(.read)
            let keys = try store.verificationKeys()
            guard !keys.isEmpty else {
                throw ClientError(code: "no_keys",
                                  zh: "本机还没有证书验证密钥，无法验证：请先联网登录（greenmine login）或同步（greenmine sync）一次",
                                  en: "this device holds no certificate verification keys yet: log in (greenmine login) or sync (greenmine sync) online once")
            }
            let synced = try store.syncedCertificate(number: certificate.body.number)
            let result = CertificateVerifier.verify(certificate, keys: keys, synced: synced)
            if context.json {
                try context.emitJSON(result)
            } else {
                let body = certificate.body
                context.say("证书编号：\(body.number)", "Certificate: \(body.number)")
                context.say("矿山：\(body.mineName)（\(body.enterprise)，\(body.licence)）",
                            "Mine: \(body.mineName) (\(body.enterprise), \(body.licence))")
                context.say("发证日期：\(body.issuedOn)    签名密钥：\(body.keyId)",
                            "Issued: \(body.issuedOn)    signing key: \(body.keyId)")
                let mark = result.verdict == .valid ? "✓" : "✗"
                context.say("结果：\(mark) \(result.message.zh)", "Result: \(mark) \(result.message.en)")
            }
            switch result.verdict {
            case .valid: return
            case .revoked: throw ExitCode(2)
            case .forged:
                if !context.json { context.output.errorLine(context.text("错误：", "error: ") + result.message.text(context.language)) }
                throw ExitCode(1)
            }
        }
    }

    /// The certificate in FILE, or why it cannot be read as one.
    private func read() throws -> SignedCertificate {
        let url = URL(fileURLWithPath: file)
        let data: Data
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            data = try handle.read(upToCount: Self.maxBytes + 1) ?? Data()
        } catch {
            throw ClientError(code: "file_unreadable", zh: "无法读取文件 \(file)：\(error.localizedDescription)",
                              en: "cannot read \(file): \(error.localizedDescription)")
        }
        guard data.count <= Self.maxBytes, let certificate = try? WireCoding.decode(SignedCertificate.self, from: data) else {
            throw ClientError(code: "not_a_certificate",
                              zh: "\(file) 不是签名证书文件：请给出 greenmine cert download 写出的 .json 文件",
                              en: "\(file) is not a signed certificate: give the .json file written by greenmine cert download")
        }
        return certificate
    }
}
