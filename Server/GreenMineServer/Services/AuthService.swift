import Crypto
import Foundation
import GreenMineShared

/// Login, logout, password change and token checks (DESIGN.md §6). Knows nothing of HTTP.
public struct AuthService: Sendable {
    let accounts: any AccountStore
    let hasher: PasswordHasher
    let throttle: any LoginThrottling
    let environment: ServerEnvironment
    /// How long a token lives.
    let tokenLifetime: TimeInterval
    let cache = TokenCache()

    public init(accounts: any AccountStore, hasher: PasswordHasher, throttle: any LoginThrottling,
                environment: ServerEnvironment, tokenLifetime: TimeInterval) {
        self.accounts = accounts
        self.hasher = hasher
        self.throttle = throttle
        self.environment = environment
        self.tokenLifetime = tokenLifetime
    }

    /// Checks the password and issues a token; failed attempts are rate-limited per account and address.
    /// A token with an `idleLimit` (a console session) lapses once unused that long.
    public func login(username given: String, password: String, address: String,
                      idleLimit: TimeInterval? = nil) async throws -> LoginResponse {
        let now = environment.now()
        let username = try Self.normalizedUsername(given)
        // The attempt is counted before the (slow) hash, so concurrent guesses cannot pass the limit.
        if let wait = try await throttle.reserve(account: username, address: address, now: now) {
            throw ServiceError(.tooManyRequests(retryAfter: wait), code: "too_many_attempts",
                               en: "too many failed logins: try again in \(wait) seconds",
                               zh: "登录失败次数过多，请 \(wait) 秒后再试")
        }
        let found = try await accounts.credentials(username: username)
        // An unknown user still costs one hash, so timing does not tell which usernames exist.
        let stored = found?.1 ?? PasswordHash(kdf: hasher.kdf, salt: Array(repeating: 0, count: 16), hash: [])
        let matches = try await hasher.verify(password, against: stored)
        guard let (user, _) = found, matches else {
            try await throttle.recordAddressFailure(address: address, now: now)
            throw ServiceError(.unauthorized, code: "invalid_credentials", en: "wrong username or password",
                               zh: "用户名或密码错误")
        }
        try await throttle.recordSuccess(account: username)
        if stored.kdf != hasher.kdf {
            // Hashed with older parameters: the same password, stored again at today's cost.
            try await accounts.upgradeHash(userId: user.id, try await hashNew(password))
        }
        return try await issueToken(for: user, now: now, idleLimit: idleLimit)
    }

    /// A user name as it is looked up and counted: trimmed, Unicode NFC; control characters (a NUL
    /// appended, a line break) are refused rather than silently matched or counted apart.
    public static func normalizedUsername(_ name: String) throws -> String {
        // Control characters and line breaks (U+000A…U+000D, NEL, U+2028/9) are refused wherever they
        // stand, before spaces at either end are trimmed: a name is one line of printable text.
        let refused = CharacterSet.controlCharacters.union(.newlines)
        let trimmed = name.trimmingCharacters(in: .whitespaces).precomposedStringWithCanonicalMapping
        guard !trimmed.isEmpty, trimmed.unicodeScalars.count <= 64,
              !name.unicodeScalars.contains(where: { refused.contains($0) }) else {
            throw ServiceError(.badRequest, code: "bad_username",
                               en: "a user name must be 1 to 64 characters without control characters",
                               zh: "用户名须为 1 至 64 个字符，且不能包含控制字符")
        }
        return trimmed
    }

    /// How coarsely a token's last use is kept: written again only when this much older, so a busy
    /// console does not cost a write per request (an idle limit is therefore met up to this much early).
    static let touchInterval: TimeInterval = 60

    /// The user behind a bearer token, or `unauthorized`. A token with an idle limit that has gone
    /// unused that long is refused; its last use is kept to the minute.
    public func authenticate(token: String) async throws -> AuthenticatedUser {
        guard !token.isEmpty, token.count <= 128 else { throw ServiceError.unauthorized }
        let hash = Self.tokenHash(token)
        let now = environment.now()
        if let cached = await cache.user(hash, now: now) { return cached }
        guard let grant = try await accounts.user(tokenHash: hash, now: now) else {
            throw ServiceError.unauthorized
        }
        var validUntil = grant.expiresAt
        if let idle = grant.idleLimit {
            var lastUse = grant.lastUsedAt
            if now.timeIntervalSince(lastUse) >= Self.touchInterval {
                try await accounts.touchToken(hash: hash, at: now)
                lastUse = now
            }
            validUntil = min(validUntil, lastUse.addingTimeInterval(idle))
        }
        await cache.remember(grant.user, now: now, expiresAt: validUntil)
        return grant.user
    }

    /// Revokes the token the request came with.
    public func logout(_ user: AuthenticatedUser) async throws {
        try await accounts.revokeToken(hash: user.tokenHash, at: environment.now())
        await cache.forget(userId: user.info.id)
    }

    /// Changes the password after checking the current one; revokes every token and issues a new one.
    /// The current password is checked under the same throttle as a login (the account's failures and
    /// the address's), so a stolen token cannot be used to guess the password without limit.
    public func changePassword(_ user: AuthenticatedUser, current: String, new: String,
                               address: String, idleLimit: TimeInterval? = nil) async throws -> LoginResponse {
        let username = user.info.username
        if let wait = try await throttle.reserve(account: username, address: address, now: environment.now()) {
            throw ServiceError(.tooManyRequests(retryAfter: wait), code: "too_many_attempts",
                               en: "too many wrong passwords: try again in \(wait) seconds",
                               zh: "密码错误次数过多，请 \(wait) 秒后再试")
        }
        guard let (_, stored) = try await accounts.credentials(username: username),
              try await hasher.verify(current, against: stored) else {
            try await throttle.recordAddressFailure(address: address, now: environment.now())
            throw ServiceError(.unauthorized, code: "invalid_credentials", en: "the current password is wrong",
                               zh: "当前密码不正确")
        }
        try await throttle.recordSuccess(account: username)
        if let weakness = Self.weakness(of: new, username: user.info.username) {
            throw ServiceError(.badRequest, weakness)
        }
        if new == current {
            throw ServiceError(.badRequest, code: "weak_password", en: "the new password must differ from the current one",
                               zh: "新密码不能与当前密码相同")
        }
        let now = environment.now()
        try await accounts.setPassword(userId: user.info.id, try await hashNew(new), mustChange: false, at: now)
        await cache.forget(userId: user.info.id)
        var info = user.info
        info.mustChangePassword = false
        return try await issueToken(for: info, now: now, idleLimit: idleLimit)
    }

    /// Sets a generated initial password that must be changed at the next login; returns it (shown once).
    public func resetPassword(userId: String) async throws -> String {
        let password = Self.initialPassword(from: environment.randomBytes(12))
        try await accounts.setPassword(userId: userId, try await hashNew(password), mustChange: true,
                                       at: environment.now())
        await cache.forget(userId: userId)
        return password
    }

    /// Hashes a new password with a fresh random salt.
    public func hashNew(_ password: String) async throws -> PasswordHash {
        try await hasher.hash(password, salt: environment.randomBytes(16))
    }

    /// Why a password is too weak (nil when acceptable): at least 8 characters, letters and digits,
    /// not the username.
    public static func weakness(of password: String, username: String) -> RuleViolation? {
        let hasLetter = password.contains { $0.isLetter }
        let hasDigit = password.contains { $0.isNumber }
        if password.count < 8 || !hasLetter || !hasDigit || password.lowercased() == username.lowercased() {
            return RuleViolation(code: "weak_password",
                                 zh: "密码至少 8 位，须同时包含字母和数字，且不能与用户名相同",
                                 en: "a password needs at least 8 characters, with letters and digits, and must not be the username")
        }
        return nil
    }

    /// SHA-256 of a token, as stored.
    public static func tokenHash(_ token: String) -> [UInt8] {
        Array(SHA256.hash(data: Array(token.utf8)))
    }

    /// A readable initial password from random bytes (letters and digits, no look-alikes).
    static func initialPassword(from bytes: [UInt8]) -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789")
        let body = bytes.map { alphabet[Int($0) % alphabet.count] }
        return String(body.prefix(10)) + "7a"
    }

    private func issueToken(for user: UserInfo, now: Date, idleLimit: TimeInterval?) async throws -> LoginResponse {
        let token = Self.base64URL(environment.randomBytes(32))
        let expires = now.addingTimeInterval(tokenLifetime)
        try await accounts.addToken(hash: Self.tokenHash(token), userId: user.id, at: now, expiresAt: expires,
                                    idleLimit: idleLimit)
        return LoginResponse(token: token, expiresAt: expires, user: user)
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
