import Foundation
import GreenMineShared

/// Who is logged in on this home: the user, the server and the token (when not logged out).
public struct Session: Sendable, Hashable {
    public var user: UserInfo
    /// The server's base URL.
    public var serverURL: URL?
    /// The bearer token; nil after logout.
    public var token: String?

    public init(user: UserInfo, serverURL: URL?, token: String?) {
        self.user = user
        self.serverURL = serverURL
        self.token = token
    }

    /// The user as an actor of the workflow.
    public var actor: Actor { user.actor }

    /// Reads the session of a home; nil when nobody ever logged in here.
    static func load(store: Store, home: HomeDirectory) throws -> Session? {
        let state = try store.read { try SyncState.load($0) }
        guard let user = state.user else { return nil }
        let token = try SessionTokenFile(home: home).read()
        return Session(user: user, serverURL: state.serverURL.flatMap(URL.init(string:)), token: token)
    }

    /// The session for a command that works on records: logged in, and no password change pending.
    static func requireActive(store: Store, home: HomeDirectory) throws -> Session {
        guard let session = try load(store: store, home: home), session.token != nil else {
            throw ClientError.notLoggedIn
        }
        if session.user.mustChangePassword { throw ClientError.mustChangePassword }
        return session
    }
}
