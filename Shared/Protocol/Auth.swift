import Foundation

/// `POST /v1/auth/login` body.
public struct LoginRequest: Codable, Hashable, Sendable {
    public var username: String
    public var password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }
}

/// `POST /v1/auth/login` answer.
public struct LoginResponse: Codable, Hashable, Sendable {
    /// Bearer token; shown once, stored hashed by the server.
    public var token: String
    public var expiresAt: Date
    public var user: UserInfo

    public init(token: String, expiresAt: Date, user: UserInfo) {
        self.token = token
        self.expiresAt = expiresAt
        self.user = user
    }
}

/// `POST /v1/auth/password` body.
public struct PasswordChangeRequest: Codable, Hashable, Sendable {
    public var currentPassword: String
    public var newPassword: String

    public init(currentPassword: String, newPassword: String) {
        self.currentPassword = currentPassword
        self.newPassword = newPassword
    }
}

/// `GET /v1/me` answer: who the token belongs to.
public struct UserInfo: Codable, Hashable, Sendable {
    public var id: String
    public var username: String
    public var role: Role
    /// The enterprise's credit code.
    public var orgId: String?
    /// The enterprise's name.
    public var orgName: String?
    /// The reviewer's division code.
    public var region: String?
    /// The assessor's agency.
    public var agency: String?
    /// True after an administrator reset the password: only a password change is allowed.
    public var mustChangePassword: Bool

    public init(id: String, username: String, role: Role, orgId: String? = nil, orgName: String? = nil,
                region: String? = nil, agency: String? = nil, mustChangePassword: Bool = false) {
        self.id = id
        self.username = username
        self.role = role
        self.orgId = orgId
        self.orgName = orgName
        self.region = region
        self.agency = agency
        self.mustChangePassword = mustChangePassword
    }

    /// The actor this user acts as in the workflow.
    public var actor: Actor {
        Actor(userId: id, role: role, orgId: orgId, region: region, agency: agency)
    }
}
