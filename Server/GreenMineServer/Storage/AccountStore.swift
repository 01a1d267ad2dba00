import Foundation
import GreenMineShared

/// An organisation (an enterprise, keyed by its unified social credit code).
public struct Organisation: Sendable, Hashable, Codable {
    public var creditCode: String
    public var name: String
    public var region: String

    public init(creditCode: String, name: String, region: String) {
        self.creditCode = creditCode
        self.name = name
        self.region = region
    }
}

/// What is needed to create an account.
public struct NewUser: Sendable, Hashable {
    public var username: String
    public var role: Role
    public var orgId: String?
    public var region: String?
    public var agency: String?
    public var mustChangePassword: Bool

    public init(username: String, role: Role, orgId: String? = nil, region: String? = nil, agency: String? = nil,
                mustChangePassword: Bool = false) {
        self.username = username
        self.role = role
        self.orgId = orgId
        self.region = region
        self.agency = agency
        self.mustChangePassword = mustChangePassword
    }
}

/// Accounts, organisations and tokens. The SQLite implementation is `SQLiteAccountStore`.
public protocol AccountStore: Sendable {
    /// Adds an organisation; refuses a duplicate credit code.
    func addOrganisation(_ org: Organisation, at: Date) async throws
    /// The organisation with this credit code.
    func organisation(_ creditCode: String) async throws -> Organisation?
    /// Adds an account with its password hash; refuses a duplicate username.
    func addUser(id: String, _ user: NewUser, password: PasswordHash, at: Date) async throws -> UserInfo
    /// Every account, by username.
    func users() async throws -> [UserInfo]
    /// The account with this id.
    func user(id: String) async throws -> UserInfo?
    /// The account and stored hash for a username.
    func credentials(username: String) async throws -> (UserInfo, PasswordHash)?
    /// Stores a token's hash.
    func addToken(hash: [UInt8], userId: String, at: Date, expiresAt: Date) async throws
    /// The user of an unexpired, unrevoked token, and when the token expires.
    func user(tokenHash: [UInt8], now: Date) async throws -> (AuthenticatedUser, expiresAt: Date)?
    /// Revokes one token.
    func revokeToken(hash: [UInt8], at: Date) async throws
    /// Replaces a password, sets or clears must-change, and revokes every token of the user, at once.
    func setPassword(userId: String, _ password: PasswordHash, mustChange: Bool, at: Date) async throws
    /// Replaces the stored hash of the same password by a stronger one (same password, new
    /// parameters): sessions stay, `must_change` stays.
    func upgradeHash(userId: String, _ password: PasswordHash) async throws
}
