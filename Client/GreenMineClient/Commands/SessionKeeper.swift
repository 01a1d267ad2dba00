import Foundation
import GreenMineShared

/// Stores a new session: the user and server in the store, the token in its 0600 file.
enum SessionKeeper {
    /// Adopts a login answer. When the home held another user's or server's data it is cleared —
    /// refused while changes are still queued. The server's certificate verification `keys` are kept
    /// in the same transaction. Returns true when data was cleared.
    static func adopt(_ response: LoginResponse, server: URL, store: Store, context: CommandContext,
                      keys: [VerificationKey] = []) throws -> Bool {
        let newClientId = context.environment.makeUUID()
        let reset = try store.write { db -> Bool in
            let state = try SyncState.load(db)
            let sameUser = state.user.map { $0.id == response.user.id } ?? true
            let sameServer = state.serverURL.map { $0 == server.absoluteString } ?? true
            var reset = false
            if !(sameUser && sameServer) {
                let queued = try OutboxEntry.count(db)
                if queued > 0 {
                    let owner = state.user?.username ?? "?"
                    throw ClientError(
                        code: "home_in_use",
                        zh: "此数据目录中还有账户 \(owner)（\(state.serverURL ?? "")）的 \(queued) 项修改未同步：请先用该账户同步，或使用 --home 另选目录",
                        en: "this home still holds \(queued) unsynced change(s) of \(owner) at \(state.serverURL ?? ""): sync them as that user first, or use another --home")
                }
                let hasData = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM records") ?? 0 > 0
                try SyncState.resetServerData(db, newClientId: newClientId)
                reset = hasData
            }
            try SyncState.setSession(db, serverURL: server.absoluteString, user: response.user)
            try VerificationKeyStore.save(db, keys, server: server.absoluteString, at: context.environment.now())
            return reset
        }
        try SessionTokenFile(home: context.home).write(response.token)
        return reset
    }
}

/// Who is logged in, for `whoami` and `login --json`.
struct WhoamiReport: Codable, Sendable {
    var user: UserInfo
    var server: String?
    /// True when a session token is stored.
    var loggedIn: Bool
    /// True when the server confirmed the account just now.
    var online: Bool
}
