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
    /// Stores a token's hash; a token with an idle limit (a console session) lapses once unused that long.
    func addToken(hash: [UInt8], userId: String, at: Date, expiresAt: Date, idleLimit: TimeInterval?) async throws
    /// The user of an unexpired, unrevoked token that has not been idle past its limit, with its times.
    func user(tokenHash: [UInt8], now: Date) async throws -> TokenGrant?
    /// Records that a token was used at `at` (kept coarse by the caller: not a write per request).
    func touchToken(hash: [UInt8], at: Date) async throws
    /// One page of the accounts inside a reset scope, by user name, optionally those whose name contains
    /// `search`, after the user name `after` (keyset).
    func accounts(in scope: ResetScope, search: String?, after: String?, limit: Int,
                  regions: RegionTable) async throws -> AccountPage
    /// Revokes one token.
    func revokeToken(hash: [UInt8], at: Date) async throws
    /// Replaces a password, sets or clears must-change, and revokes every token of the user, at once.
    func setPassword(userId: String, _ password: PasswordHash, mustChange: Bool, at: Date) async throws
    /// Replaces the stored hash of the same password by a stronger one (same password, new
    /// parameters): sessions stay, `must_change` stays.
    func upgradeHash(userId: String, _ password: PasswordHash) async throws
}

/// What a valid token stands for: its user, when it expires, and its idle limit and last use.
public struct TokenGrant: Sendable {
    public var user: AuthenticatedUser
    public var expiresAt: Date
    /// How long the token may go unused (console sessions); nil for API tokens.
    public var idleLimit: TimeInterval?
    /// When it was last used (to the minute), or issued.
    public var lastUsedAt: Date

    public init(user: AuthenticatedUser, expiresAt: Date, idleLimit: TimeInterval? = nil, lastUsedAt: Date) {
        self.user = user
        self.expiresAt = expiresAt
        self.idleLimit = idleLimit
        self.lastUsedAt = lastUsedAt
    }
}

/// One page of the accounts list, with the cursor of the next (nil on the last).
public struct AccountPage: Sendable {
    public var users: [UserInfo]
    public var next: String?
}
