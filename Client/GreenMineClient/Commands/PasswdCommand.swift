import ArgumentParser
import Foundation
import GreenMineShared

/// `greenmine passwd`: changes the password (also the forced change after a reset).
struct PasswdCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passwd", abstract: "修改密码 Change the password.",
        discussion: """
        Asks for the current password and the new one twice (without echo at a terminal; one per \
        line from standard input otherwise). Needs the network.
        依次输入当前密码、新密码、确认密码。
        """)

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await global.run { context in
            let store = try context.openStore()
            guard let session = try Session.load(store: store, home: context.home), session.token != nil,
                  let server = session.serverURL else {
                throw ClientError.notLoggedIn
            }
            let current = try PasswordPrompt.read(context, prompt: context.text("当前密码：", "Current password: "),
                                                  fromStdin: false)
            let new = try PasswordPrompt.read(context, prompt: context.text("新密码：", "New password: "), fromStdin: false)
            let again = try PasswordPrompt.read(context, prompt: context.text("确认新密码：", "New password again: "),
                                                fromStdin: false)
            guard new == again else {
                throw ClientError(code: "password_mismatch", zh: "两次输入的新密码不一致，密码没有修改",
                                  en: "the two new passwords differ; the password was not changed")
            }
            guard new != current else {
                throw ClientError(code: "password_unchanged", zh: "新密码不能与当前密码相同",
                                  en: "the new password must differ from the current one")
            }
            let api = try context.api(session)
            let fresh: LoginResponse
            if let response = try await api.changePassword(PasswordChangeRequest(currentPassword: current,
                                                                                 newPassword: new)) {
                fresh = response
            } else {
                // 204: the old token is revoked; sign in again with the new password.
                let relogin = APIClient(transport: context.environment.transport(server), token: nil,
                                        timeout: context.environment.requestTimeout)
                do {
                    fresh = try await relogin.login(LoginRequest(username: session.user.username, password: new))
                } catch {
                    try SessionTokenFile(home: context.home).delete()
                    context.say("密码已修改。请用新密码重新登录：greenmine login",
                                "Password changed. Log in again with the new password: greenmine login")
                    return
                }
            }
            _ = try SessionKeeper.adopt(fresh, server: server, store: store, context: context)
            context.say("密码修改成功。", "Password changed.")
        }
    }
}
