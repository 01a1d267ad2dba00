import Foundation
import GreenMineShared
import Logging
import PostgresNIO

/// `AccountStore` on PostgreSQL: accounts, organisations and tokens every instance shares. User names
/// compare without regard to case, as SQLite's `COLLATE NOCASE` column does (`lower()` here, which
/// also folds letters beyond ASCII).
public struct PostgresAccountStore: AccountStore {
    let database: PostgresDatabase

    public init(database: PostgresDatabase) {
        self.database = database
    }

    private func rows(_ sql: String, _ values: [SQLArgument] = []) async throws -> [PostgresRandomAccessRow] {
        try await database.rows(sql, values)
    }

    /// Runs `body` in one transaction.
    private func transaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection, Logger) async throws -> T)
        async throws -> T {
        let logger = database.logger
        return try await database.transaction { connection in
            try await body(connection, logger)
        }
    }

    public func addOrganisation(_ org: Organisation, at: Date) async throws {
        let inserted = try await rows("""
            INSERT INTO orgs (credit_code, name, region, created_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (credit_code) DO NOTHING RETURNING credit_code
            """, [.text(org.creditCode), .text(org.name), .text(org.region), .real(at.timeIntervalSince1970)])
        if inserted.isEmpty {
            throw ServiceError(.conflict, code: "org_exists", en: "organisation \(org.creditCode) already exists",
                               zh: "单位 \(org.creditCode) 已存在")
        }
    }

    public func organisation(_ creditCode: String) async throws -> Organisation? {
        try await rows("SELECT * FROM orgs WHERE credit_code = ?", [.text(creditCode)]).first.map {
            Organisation(creditCode: try $0.get("credit_code"), name: try $0.get("name"), region: try $0.get("region"))
        }
    }

    public func addUser(id: String, _ user: NewUser, password: PasswordHash, at: Date) async throws -> UserInfo {
        let inserted = try await rows("""
            INSERT INTO users (id, username, role, org_id, region, agency, password_hash, password_salt, kdf,
                               must_change, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT ((lower(username))) DO NOTHING RETURNING id
            """, [.text(id), .text(user.username), .text(user.role.rawValue), .text(user.orgId), .text(user.region),
                  .text(user.agency), .bytes(password.hash), .bytes(password.salt), .text(password.kdf),
                  .flag(user.mustChangePassword), .real(at.timeIntervalSince1970)])
        guard !inserted.isEmpty else {
            throw ServiceError(.conflict, code: "user_exists", en: "user \(user.username) already exists",
                               zh: "用户 \(user.username) 已存在")
        }
        guard let info = try await rows(Self.userSelect + " WHERE u.id = ?", [.text(id)]).first.map(Self.userInfo) else {
            throw ServiceError(.unavailable, code: "internal", en: "user vanished", zh: "用户丢失")
        }
        return info
    }

    public func users() async throws -> [UserInfo] {
        try await rows(Self.userSelect + " ORDER BY lower(u.username)").map(Self.userInfo)
    }

    public func user(id: String) async throws -> UserInfo? {
        try await rows(Self.userSelect + " WHERE u.id = ?", [.text(id)]).first.map(Self.userInfo)
    }

    public func credentials(username: String) async throws -> (UserInfo, PasswordHash)? {
        guard let row = try await rows(Self.userSelect + " WHERE lower(u.username) = lower(?)", [.text(username)]).first
        else { return nil }
        return (try Self.userInfo(row),
                PasswordHash(kdf: try row.get("kdf"), salt: try row.bytes("password_salt"),
                             hash: try row.bytes("password_hash")))
    }

    public func addToken(hash: [UInt8], userId: String, at: Date, expiresAt: Date,
                         idleLimit: TimeInterval?) async throws {
        _ = try await rows("""
            INSERT INTO tokens (hash, user_id, created_at, expires_at, idle_limit, last_used_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """, [.bytes(hash), .text(userId), .real(at.timeIntervalSince1970), .real(expiresAt.timeIntervalSince1970),
                  .real(idleLimit), .real(at.timeIntervalSince1970)])
    }

    public func user(tokenHash: [UInt8], now: Date) async throws -> TokenGrant? {
        let seconds = now.timeIntervalSince1970
        guard let row = try await rows(SQLiteAccountStore.tokenGrantSelect,
                                       [.bytes(tokenHash), .real(seconds), .real(seconds)]).first else { return nil }
        return TokenGrant(
            user: AuthenticatedUser(info: try Self.userInfo(row), orgRegion: try row.get("org_region"), tokenHash: tokenHash),
            expiresAt: Date(timeIntervalSince1970: try row.get("expires_at")), idleLimit: try row.get("idle_limit"),
            lastUsedAt: Date(timeIntervalSince1970: try row.get("last_used_at")))
    }

    public func touchToken(hash: [UInt8], at: Date) async throws {
        _ = try await rows("UPDATE tokens SET last_used_at = GREATEST(coalesce(last_used_at, 0), ?) WHERE hash = ?",
                           [.real(at.timeIntervalSince1970), .bytes(hash)])
    }

    public func revokeToken(hash: [UInt8], at: Date) async throws {
        _ = try await rows("UPDATE tokens SET revoked_at = ? WHERE hash = ? AND revoked_at IS NULL",
                           [.real(at.timeIntervalSince1970), .bytes(hash)])
    }

    public func setPassword(userId: String, _ password: PasswordHash, mustChange: Bool, at: Date) async throws {
        try await transaction { connection, logger in
            let changed = try await PostgresSQL.rows(connection, """
                UPDATE users SET password_hash = ?, password_salt = ?, kdf = ?, must_change = ? WHERE id = ? RETURNING id
                """, [.bytes(password.hash), .bytes(password.salt), .text(password.kdf), .flag(mustChange),
                      .text(userId)], logger: logger)
            guard changed.count == 1 else { throw ServiceError.recordNotFound }
            try await PostgresSQL.execute(connection, "UPDATE tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                                          [.real(at.timeIntervalSince1970), .text(userId)], logger: logger)
        }
    }

    public func upgradeHash(userId: String, _ password: PasswordHash) async throws {
        _ = try await rows("UPDATE users SET password_hash = ?, password_salt = ?, kdf = ? WHERE id = ?",
                           [.bytes(password.hash), .bytes(password.salt), .text(password.kdf), .text(userId)])
    }

    /// The console's accounts list (`AccountListingSQL`; the scope's regions as a JSON array parameter).
    public func accounts(in scope: ResetScope, search: String?, after: String?, limit: Int,
                         regions: RegionTable) async throws -> AccountPage {
        guard let query = try AccountListingSQL(scope: scope, search: search, after: after, limit: limit,
                                                regions: regions,
                                                regionList: "SELECT json_array_elements_text(CAST(? AS json))")
        else { return AccountPage(users: [], next: nil) }
        let found = try await rows(query.sql, query.values)
        let users = try found.prefix(query.size).map(Self.userInfo)
        return AccountPage(users: Array(users), next: found.count > query.size ? users.last?.username : nil)
    }

    static let userSelect = SQLiteAccountStore.userSelect

    static func userInfo(_ row: PostgresRandomAccessRow) throws -> UserInfo {
        UserInfo(id: try row.get("id"), username: try row.get("username"),
                 role: Role(rawValue: try row.get("role")) ?? .enterprise, orgId: try row.get("org_id"),
                 orgName: try row.get("org_name"), region: try row.get("region"), agency: try row.get("agency"),
                 mustChangePassword: try row.get("must_change", as: Int.self) == 1)
    }
}
