import ArgumentParser

/// `greenmine cert`: 证书下载 and offline verification of green mine certificates.
struct CertCommand: AsyncParsableCommand {
    // Help texts: every line holding Chinese is broken by hand to fit 80 columns (HelpTextTests).
    static let configuration = CommandConfiguration(
        commandName: "cert",
        abstract: "绿色矿山证书 Download and verify certificates.",
        discussion: """
        Approving an application makes the server issue a certificate signed with its Ed25519 key. \
        `download` writes the signed certificate (JSON) and a printable page in Chinese (HTML). \
        `verify` checks a certificate file offline with the keys this device fetched at login or sync: \
        valid, revoked (the mine was removed from the directory and the removal has synced), or forged \
        or altered (the signature fails or the key is unknown).
        新设申请审核通过后，服务器用其 Ed25519 密钥签发证书。download（证书下载）保存
        签名证书（JSON）和可打印的中文页面（HTML）；verify（验证证书）使用登录或同步时
        取得的密钥离线验证证书文件，结果为：有效；已撤销（矿山已移出名录且已同步）；
        伪造或被篡改（签名不符或密钥未知）。

        Typical 常用:
          greenmine cert download 9b1d2e3f --out ~/证书
          greenmine cert verify ~/证书/GM130000-2026-000001.json
        """,
        subcommands: [CertDownloadCommand.self, CertVerifyCommand.self])
}
