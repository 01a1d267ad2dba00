import Foundation
import GreenMineShared

/// The printable rendering of a certificate, in Chinese: one self-contained HTML page.
enum CertificateHTML {
    /// The page for `certificate`; a revoked certificate is marked across the page. `server` (the
    /// server the client syncs with) gives the public verification address printed on the page.
    static func render(_ certificate: SignedCertificate, verification: CertificateVerification?,
                       server: URL? = nil) -> String {
        let body = certificate.body
        let revoked = certificate.status == .revoked || verification?.verdict == .revoked
        let revokedOn = certificate.revokedOn ?? verification?.revokedOn
        let reason = certificate.revocationReason ?? verification?.revocationReason
        var status = revoked ? "已撤销（移出绿色矿山名录）" : "有效"
        if revoked, let revokedOn { status += "，撤销日期：\(revokedOn)" }
        if revoked, let reason { status += "，原因：\(reason)" }
        let rows: [(String, String)] = [
            ("证书编号", body.number),
            ("矿山名称", body.mineName),
            ("采矿权人", body.enterprise),
            ("统一社会信用代码", body.creditCode),
            ("采矿许可证号", body.licence),
            ("所在行政区", body.regionName.isEmpty ? body.region : "\(body.regionName)（\(body.region)）"),
            ("评价指标体系", body.catalogueName.isEmpty ? body.catalogueId : "\(body.catalogueName)（\(body.catalogueId)）"),
            ("评估得分", "\(Points.text(body.score)) 分"),
            ("发证日期", body.issuedOn),
            ("证书状态", status),
        ]
        let table = rows.map { label, value in
            "      <tr><th>\(escape(label))</th><td>\(escape(value))</td></tr>"
        }.joined(separator: "\n")
        let banner = revoked
            ? "    <p class=\"revoked\">已撤销 · REVOKED</p>\n"
            : ""
        let online = verifyAddress(server: server, number: body.number).map {
            "<br>在线验证：\(escape($0))"
        } ?? ""
        let check = verification.map { "    <p class=\"check\">本机验证结果：\(escape($0.message.zh))</p>\n" } ?? ""
        return """
        <!DOCTYPE html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <title>绿色矿山证书 \(escape(body.number))</title>
        <style>
          body { font-family: "Noto Serif CJK SC", "Songti SC", "SimSun", serif; margin: 0; background: #f4f1e8; }
          .sheet { max-width: 760px; margin: 2em auto; padding: 2.5em 3em; background: #fff;
                   border: 6px double #2e6b3a; position: relative; }
          h1 { text-align: center; color: #2e6b3a; letter-spacing: 0.4em; margin: 0 0 0.2em; }
          .sub { text-align: center; color: #555; margin: 0 0 1.5em; }
          table { width: 100%; border-collapse: collapse; font-size: 1.05em; }
          th { width: 11em; text-align: left; padding: 0.55em 0.8em; color: #2e6b3a; border-bottom: 1px solid #ddd; }
          td { padding: 0.55em 0.8em; border-bottom: 1px solid #ddd; }
          .revoked { position: absolute; top: 38%; left: 0; right: 0; text-align: center; font-size: 3.2em;
                     color: rgba(190, 20, 20, 0.55); border: 5px solid rgba(190, 20, 20, 0.55);
                     transform: rotate(-14deg); margin: 0 12%; padding: 0.1em 0; letter-spacing: 0.2em; }
          .sig { margin-top: 2em; font-family: monospace; font-size: 0.75em; color: #666; word-break: break-all; }
          .check { margin-top: 1em; font-size: 0.9em; color: #333; }
          @media print { body { background: #fff; } .sheet { margin: 0; box-shadow: none; } }
        </style>
        </head>
        <body>
        <div class="sheet">
            <h1>绿色矿山证书</h1>
            <p class="sub">全国绿色矿山名录</p>
        \(banner)    <table>
        \(table)
            </table>
        \(check)    <p class="sig">签名密钥：\(escape(body.keyId))<br>Ed25519 签名：\(escape(certificate.signature))<br>\
        离线验证：greenmine cert verify 本证书的 JSON 文件\(online)</p>
        </div>
        </body>
        </html>

        """
    }

    /// The public page that checks this certificate's number: `SERVER/verify/NUMBER`.
    static func verifyAddress(server: URL?, number: String) -> String? {
        guard let server, !number.isEmpty,
              let encoded = number.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) else { return nil }
        var base = server.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/verify/" + encoded
    }

    /// Text made safe for HTML content and attribute values.
    static func escape(_ text: String) -> String {
        HTMLEscape.text(text)
    }
}
