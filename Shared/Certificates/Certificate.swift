import Foundation

/// What a green mine certificate (绿色矿山证书) states; these bytes, canonically encoded, are signed.
public struct CertificateBody: Codable, Hashable, Sendable {
    /// Certificate number, e.g. `GM130000-2026-000001`.
    public var number: String
    /// The approved application.
    public var applicationId: UUID
    public var mineName: String
    public var enterprise: String
    public var creditCode: String
    public var licence: String
    /// Division code and its name path.
    public var region: String
    public var regionName: String
    public var catalogueId: String
    public var catalogueName: String
    /// The assessment's total points.
    public var score: Double
    /// `YYYY-MM-DD`.
    public var issuedOn: String
    /// The signing key's id (see `/v1/keys`).
    public var keyId: String

    public init(number: String, applicationId: UUID, mineName: String, enterprise: String, creditCode: String,
                licence: String, region: String, regionName: String, catalogueId: String, catalogueName: String,
                score: Double, issuedOn: String, keyId: String) {
        self.number = number
        self.applicationId = applicationId
        self.mineName = mineName
        self.enterprise = enterprise
        self.creditCode = creditCode
        self.licence = licence
        self.region = region
        self.regionName = regionName
        self.catalogueId = catalogueId
        self.catalogueName = catalogueName
        self.score = score
        self.issuedOn = issuedOn
        self.keyId = keyId
    }

    /// The exact bytes that are signed: the wire JSON with sorted keys (the id in lower case).
    public func canonicalBytes() throws -> Data {
        try WireCoding.encode(self)
    }

    /// Every form a genuine signature may cover: the canonical bytes, then those of certificates signed
    /// before ids went lower case on the wire (the same JSON with `applicationId` upper case).
    public func signedForms() throws -> [Data] {
        let canonical = try canonicalBytes()
        let lower = Data("\"applicationId\":\"\(applicationId.wireString)\"".utf8)
        let upper = Data("\"applicationId\":\"\(applicationId.storedString)\"".utf8)
        guard let range = canonical.range(of: lower) else { return [canonical] }
        var legacy = canonical
        legacy.replaceSubrange(range, with: upper)
        return [canonical, legacy]
    }

    private enum CodingKeys: String, CodingKey {
        case number, applicationId, mineName, enterprise, creditCode, licence, region, regionName
        case catalogueId, catalogueName, score, issuedOn, keyId
    }

    /// Encodes with `applicationId` in the wire form (lower case); decoding takes either case.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(number, forKey: .number)
        try container.encode(applicationId.wireString, forKey: .applicationId)
        try container.encode(mineName, forKey: .mineName)
        try container.encode(enterprise, forKey: .enterprise)
        try container.encode(creditCode, forKey: .creditCode)
        try container.encode(licence, forKey: .licence)
        try container.encode(region, forKey: .region)
        try container.encode(regionName, forKey: .regionName)
        try container.encode(catalogueId, forKey: .catalogueId)
        try container.encode(catalogueName, forKey: .catalogueName)
        try container.encode(score, forKey: .score)
        try container.encode(issuedOn, forKey: .issuedOn)
        try container.encode(keyId, forKey: .keyId)
    }

    /// The statement signed when the certificate is revoked.
    public static func revocationStatement(number: String, revokedOn: String) -> Data {
        Data("revoked|\(number)|\(revokedOn)".utf8)
    }
}

/// Whether a certificate stands.
public enum CertificateStatus: String, Codable, Sendable {
    case valid
    case revoked
}

/// A signed certificate as downloaded: the body, its Ed25519 signature, and its status.
public struct SignedCertificate: Codable, Hashable, Sendable {
    public var body: CertificateBody
    /// Base64 Ed25519 signature over `body.canonicalBytes()`.
    public var signature: String
    public var status: CertificateStatus
    /// `YYYY-MM-DD`, when revoked.
    public var revokedOn: String?
    /// Base64 Ed25519 signature over `CertificateBody.revocationStatement`.
    public var revocationSignature: String?
    /// Why it was removed from the directory.
    public var revocationReason: String?

    public init(body: CertificateBody, signature: String, status: CertificateStatus, revokedOn: String? = nil,
                revocationSignature: String? = nil, revocationReason: String? = nil) {
        self.body = body
        self.signature = signature
        self.status = status
        self.revokedOn = revokedOn
        self.revocationSignature = revocationSignature
        self.revocationReason = revocationReason
    }

    /// Field path under which a certificate record carries its signed form (JSON text).
    public static let fieldPath = "certificate.signed"
}

/// A certificate verification key (`GET /v1/keys`).
public struct VerificationKey: Codable, Hashable, Sendable {
    public var keyId: String
    /// Always `Ed25519`.
    public var algorithm: String
    /// Base64 raw 32-byte public key.
    public var publicKey: String

    public init(keyId: String, algorithm: String = "Ed25519", publicKey: String) {
        self.keyId = keyId
        self.algorithm = algorithm
        self.publicKey = publicKey
    }
}

/// `GET /v1/keys` answer.
public struct KeysResponse: Codable, Hashable, Sendable {
    public var keys: [VerificationKey]

    public init(keys: [VerificationKey]) {
        self.keys = keys
    }
}

/// `POST /v1/admin/users/{id}/reset-password` answer: the initial password, shown once.
public struct PasswordResetResponse: Codable, Hashable, Sendable {
    public var username: String
    public var initialPassword: String

    public init(username: String, initialPassword: String) {
        self.username = username
        self.initialPassword = initialPassword
    }
}
