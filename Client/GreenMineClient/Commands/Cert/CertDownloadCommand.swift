import ArgumentParser
import Foundation
import GreenMineShared

/// `greenmine cert download APP_ID --out DIR`: writes the signed certificate and its printable page.
struct CertDownloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "download", abstract: "证书下载 Save a certificate as JSON and HTML.",
        usage: HelpUsage.of("greenmine cert download", "<id> --out <DIR>"),
        discussion: """
        Writes DIR/NUMBER.json (the signed certificate, for `greenmine cert verify`) and DIR/NUMBER.html \
        (in Chinese, for printing), replacing earlier copies. Uses the certificate as last synced; when \
        the server answers, its current status (valid or revoked) is used. A certificate this device's \
        keys find forged or altered is not written; before the first login or sync online there are no \
        keys, and the files are written unverified.
        写入 DIR/证书编号.json（签名证书，供 greenmine cert verify 验证）和
        DIR/证书编号.html（中文，可打印），覆盖旧文件。使用最近同步的证书；联网时采用
        服务器上的最新状态（有效或已撤销）。经本机密钥验证为伪造或被篡改的证书不会写出；
        本机尚无密钥（未曾联网登录或同步）时照常写出，但未经验证。
        """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: """
        新设申请或证书的编号（或其前缀）
        The application's or the certificate's id, or a unique prefix.
        """)
    var id: String

    @Option(name: .long, help: ArgumentHelp("保存目录 The folder to write to (made when missing).", valueName: "DIR"))
    var out: String

    /// `--json` answer.
    struct Report: Codable {
        var json: String
        var html: String
        var certificate: SignedCertificate
        var verification: CertificateVerification?
        /// True when the status came from the server just now.
        var fromServer: Bool
    }

    func run() async throws {
        try await global.run { context in
            let (workspace, session) = try context.workspace()
            let local = try workspace.certificate(id)
            var signed = local.signed
            var fromServer = false
            if let api = try? context.api(session, timeout: context.environment.lookupTimeout),
               let current = try? await api.certificate(local.record.id) {
                signed = current
                fromServer = true
            }
            let keys = try workspace.store.verificationKeys()
            let verification = keys.isEmpty ? nil : CertificateVerifier.verify(signed, keys: keys, synced: local.signed)
            if let verification, verification.verdict == .forged {
                throw ClientError(code: verification.code, message: verification.message,
                                  details: [LocalizedText(zh: "没有写出任何文件。", en: "Nothing was written.")])
            }
            let folder = URL(fileURLWithPath: out, isDirectory: true)
            let name = CertificateFiles.baseName(signed, fallback: local.record.id)
            let jsonURL = folder.appendingPathComponent(name + ".json")
            let htmlURL = folder.appendingPathComponent(name + ".html")
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                try (try WireCodingPretty.encoder().encode(signed) + Data("\n".utf8)).write(to: jsonURL, options: .atomic)
                try Data(CertificateHTML.render(signed, verification: verification,
                                                           server: session.serverURL).utf8).write(to: htmlURL, options: .atomic)
            } catch {
                throw ClientError(code: "write_failed", zh: "无法写入 \(folder.path)：\(error.localizedDescription)",
                                  en: "cannot write to \(folder.path): \(error.localizedDescription)")
            }
            if context.json {
                return try context.emitJSON(Report(json: jsonURL.path, html: htmlURL.path, certificate: signed,
                                                   verification: verification, fromServer: fromServer))
            }
            let body = signed.body
            context.say("绿色矿山证书 \(body.number)：\(body.mineName)（\(body.enterprise)）",
                        "Green mine certificate \(body.number): \(body.mineName) (\(body.enterprise))")
            context.say("  签名证书：\(jsonURL.path)", "  signed certificate: \(jsonURL.path)")
            context.say("  打印页面：\(htmlURL.path)", "  printable page:     \(htmlURL.path)")
            if signed.status == .revoked || verification?.verdict == .revoked {
                context.say("  状态：已撤销", "  status: REVOKED")
            }
            if let verification {
                context.say("  验证：" + verification.message.zh, "  verification: " + verification.message.en)
            } else {
                context.note("本机还没有验证密钥，未能验证该证书；联网登录或同步后即可离线验证。",
                             "This device holds no verification keys yet, so the certificate was not verified; log in or sync online once.")
            }
            if !fromServer {
                context.note("（使用最近同步的证书记录；服务器未应答）", "(from the certificate record as last synced; the server did not answer)")
            }
        }
    }
}

/// Names of the files `cert download` writes.
enum CertificateFiles {
    /// The certificate number with only letters, digits, '-' and '_' (the record id when none is left).
    static func baseName(_ certificate: SignedCertificate, fallback: UUID) -> String {
        let safe = String(certificate.body.number.unicodeScalars.filter {
            ($0.isASCII && CharacterSet.alphanumerics.contains($0)) || $0 == "-" || $0 == "_"
        }.map(Character.init))
        return safe.isEmpty ? "certificate-\(fallback.lowercased)" : safe
    }
}
