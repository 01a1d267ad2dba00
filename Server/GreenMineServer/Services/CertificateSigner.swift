import Crypto
import Foundation
import GRDB
import GreenMineShared

/// The server's Ed25519 certificate key: created once, kept in the database, used to sign
/// certificates and revocations. Anyone with the public key (`/v1/keys`) verifies offline.
public struct CertificateSigner: Sendable {
    let key: Curve25519.Signing.PrivateKey
    /// First 16 hex digits of the public key's SHA-256.
    public let keyId: String

    init(key: Curve25519.Signing.PrivateKey) {
        self.key = key
        self.keyId = SHA256.hash(data: key.publicKey.rawRepresentation).prefix(8)
            .map { String(format: "%02x", $0) }.joined()
    }

    /// The key stored in `settings`, or a new one stored there.
    public static func loadOrCreate(_ database: any DatabaseWriter) throws -> CertificateSigner {
        try database.write { db in
            if let stored = try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = 'signing_key'"),
               let raw = Data(base64Encoded: stored) {
                return CertificateSigner(key: try Curve25519.Signing.PrivateKey(rawRepresentation: raw))
            }
            let key = Curve25519.Signing.PrivateKey()
            try db.execute(sql: "INSERT INTO settings (key, value) VALUES ('signing_key', ?)",
                           arguments: [key.rawRepresentation.base64EncodedString()])
            return CertificateSigner(key: key)
        }
    }

    /// A base64 signature of the bytes.
    public func sign(_ data: Data) throws -> String {
        try key.signature(for: data).base64EncodedString()
    }

    /// The public half, for verifiers.
    public var verificationKey: VerificationKey {
        VerificationKey(keyId: keyId, publicKey: key.publicKey.rawRepresentation.base64EncodedString())
    }
}
