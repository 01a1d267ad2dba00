import ArgumentParser
import Foundation
import GreenMineShared

/// `greenmine logout`: ends the session on the server (when reachable) and forgets the token.
struct LogoutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logout", abstract: "退出登录 Log out: end the session, forget the token.",
        discussion: """
        Queued changes stay in the store and are sent after the next login.
        未同步的修改会保留，下次登录后发送。
        """)

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await global.run { context in
            let store = try context.openStore()
            guard let session = try Session.load(store: store, home: context.home), session.token != nil else {
                context.say("当前没有登录。", "Not logged in.")
                return
            }
            var told = false
            if let api = try? context.api(session, timeout: context.environment.lookupTimeout) {
                do {
                    try await api.logout()
                    told = true
                } catch let error as APIError where error.code == "unauthorized" {
                    told = true
                } catch {
                    told = false
                }
            }
            try SessionTokenFile(home: context.home).delete()
            context.say("已退出登录。", "Logged out.")
            if !told {
                context.note("无法通知服务器，令牌将在到期后自动失效。",
                             "The server could not be told; the token stops working when it expires.")
            }
        }
    }
}
