import Crypto
import Foundation
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

    /// The key kept in the settings store, or a new one stored there (the first instance to start
    /// stores it; every other one reads that one).
    public static func loadOrCreate(_ settings: any SettingsStore) async throws -> CertificateSigner {
        let proposed = Curve25519.Signing.PrivateKey().rawRepresentation.base64EncodedString()
        let stored = try await settings.value(forKey: "signing_key", storingIfAbsent: proposed)
        guard let raw = Data(base64Encoded: stored) else {
            throw StoredDataCorrupt(what: "settings.signing_key", reason: "not base64")
        }
        return CertificateSigner(key: try Curve25519.Signing.PrivateKey(rawRepresentation: raw))
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
