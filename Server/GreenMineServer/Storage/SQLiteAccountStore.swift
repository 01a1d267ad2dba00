import Foundation
import GRDB
import GreenMineShared

/// `AccountStore` on the server's SQLite database.
public struct SQLiteAccountStore: AccountStore {
    let writer: any DatabaseWriter

    public init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    public func addOrganisation(_ org: Organisation, at: Date) async throws {
        try await writer.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM orgs WHERE credit_code = ?", arguments: [org.creditCode]) != nil {
                throw ServiceError(.conflict, code: "org_exists", en: "organisation \(org.creditCode) already exists",
                                   zh: "单位 \(org.creditCode) 已存在")
            }
            try db.execute(sql: "INSERT INTO orgs (credit_code, name, region, created_at) VALUES (?, ?, ?, ?)",
                           arguments: [org.creditCode, org.name, org.region, at.timeIntervalSince1970])
        }
    }

    public func organisation(_ creditCode: String) async throws -> Organisation? {
        try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM orgs WHERE credit_code = ?", arguments: [creditCode]).map {
                Organisation(creditCode: $0["credit_code"], name: $0["name"], region: $0["region"])
            }
        }
    }

    public func addUser(id: String, _ user: NewUser, password: PasswordHash, at: Date) async throws -> UserInfo {
        try await writer.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM users WHERE username = ?", arguments: [user.username]) != nil {
                throw ServiceError(.conflict, code: "user_exists", en: "user \(user.username) already exists",
                                   zh: "用户 \(user.username) 已存在")
            }
            try db.execute(sql: """
                INSERT INTO users (id, username, role, org_id, region, agency, password_hash, password_salt, kdf,
                                   must_change, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, user.username, user.role.rawValue, user.orgId, user.region, user.agency,
                                 Data(password.hash), Data(password.salt), password.kdf, user.mustChangePassword,
                                 at.timeIntervalSince1970])
            guard let info = try Self.fetchUser(db, where: "u.id = ?", [id]) else {
                throw ServiceError(.unavailable, code: "internal", en: "user vanished", zh: "用户丢失")
            }
            return info.0
        }
    }

    public func users() async throws -> [UserInfo] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: Self.userSelect + " ORDER BY u.username").map { Self.userInfo($0) }
        }
    }

    public func user(id: String) async throws -> UserInfo? {
        try await writer.read { db in try Self.fetchUser(db, where: "u.id = ?", [id])?.0 }
    }

    public func credentials(username: String) async throws -> (UserInfo, PasswordHash)? {
        try await writer.read { db in
            guard let row = try Row.fetchOne(db, sql: Self.userSelect + " WHERE u.username = ?", arguments: [username])
            else { return nil }
            let hash = PasswordHash(kdf: row["kdf"], salt: [UInt8](row["password_salt"] as Data),
                                    hash: [UInt8](row["password_hash"] as Data))
            return (Self.userInfo(row), hash)
        }
    }

    public func addToken(hash: [UInt8], userId: String, at: Date, expiresAt: Date,
                         idleLimit: TimeInterval?) async throws {
        try await writer.write { db in
            try db.execute(sql: """
                INSERT INTO tokens (hash, user_id, created_at, expires_at, idle_limit, last_used_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [Data(hash), userId, at.timeIntervalSince1970, expiresAt.timeIntervalSince1970,
                                 idleLimit, at.timeIntervalSince1970])
        }
    }

    public func user(tokenHash: [UInt8], now: Date) async throws -> TokenGrant? {
        try await writer.read { db in
            let statement = try db.cachedStatement(sql: Self.tokenGrantSelect)
            let seconds = now.timeIntervalSince1970
            guard let row = try Row.fetchOne(statement, arguments: [Data(tokenHash), seconds, seconds])
            else { return nil }
            return TokenGrant(
                user: AuthenticatedUser(info: Self.userInfo(row), orgRegion: row["org_region"], tokenHash: tokenHash),
                expiresAt: Date(timeIntervalSince1970: row["expires_at"]), idleLimit: row["idle_limit"],
                lastUsedAt: Date(timeIntervalSince1970: row["last_used_at"]))
        }
    }

    public func touchToken(hash: [UInt8], at: Date) async throws {
        try await writer.write { db in
            try db.execute(sql: "UPDATE tokens SET last_used_at = max(coalesce(last_used_at, 0), ?) WHERE hash = ?",
                           arguments: [at.timeIntervalSince1970, Data(hash)])
        }
    }

    public func revokeToken(hash: [UInt8], at: Date) async throws {
        try await writer.write { db in
            try db.execute(sql: "UPDATE tokens SET revoked_at = ? WHERE hash = ? AND revoked_at IS NULL",
                           arguments: [at.timeIntervalSince1970, Data(hash)])
        }
    }

    public func setPassword(userId: String, _ password: PasswordHash, mustChange: Bool, at: Date) async throws {
        try await writer.write { db in
            try db.execute(sql: """
                UPDATE users SET password_hash = ?, password_salt = ?, kdf = ?, must_change = ? WHERE id = ?
                """, arguments: [Data(password.hash), Data(password.salt), password.kdf, mustChange, userId])
            guard db.changesCount == 1 else { throw ServiceError.recordNotFound }
            try db.execute(sql: "UPDATE tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                           arguments: [at.timeIntervalSince1970, userId])
        }
    }

    public func upgradeHash(userId: String, _ password: PasswordHash) async throws {
        try await writer.write { db in
            try db.execute(sql: "UPDATE users SET password_hash = ?, password_salt = ?, kdf = ? WHERE id = ?",
                           arguments: [Data(password.hash), Data(password.salt), password.kdf, userId])
        }
    }

    /// A token's user and times, if the token (`?`: its hash) is unrevoked, unexpired and not idle past
    /// its limit at a time (`?` twice); both backends run it.
    static let tokenGrantSelect = """
        SELECT u.*, o.name AS org_name, o.region AS org_region, t.expires_at AS expires_at,
               t.idle_limit AS idle_limit, coalesce(t.last_used_at, t.created_at) AS last_used_at
        FROM tokens t
        JOIN users u ON u.id = t.user_id
        LEFT JOIN orgs o ON o.credit_code = u.org_id
        WHERE t.hash = ? AND t.revoked_at IS NULL AND t.expires_at > ?
          AND (t.idle_limit IS NULL OR coalesce(t.last_used_at, t.created_at) + t.idle_limit > ?)
        """

    static let userSelect = """
        SELECT u.*, o.name AS org_name, o.region AS org_region FROM users u
        LEFT JOIN orgs o ON o.credit_code = u.org_id
        """

    static func fetchUser(_ db: Database, where clause: String, _ arguments: StatementArguments) throws
        -> (UserInfo, Row)? {
        guard let row = try Row.fetchOne(db, sql: userSelect + " WHERE " + clause, arguments: arguments) else {
            return nil
        }
        return (userInfo(row), row)
    }

    static func userInfo(_ row: Row) -> UserInfo {
        UserInfo(id: row["id"], username: row["username"], role: Role(rawValue: row["role"]) ?? .enterprise,
                 orgId: row["org_id"], orgName: row["org_name"], region: row["region"], agency: row["agency"],
                 mustChangePassword: row["must_change"])
    }
}
