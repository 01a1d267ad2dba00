import ArgumentParser
import Foundation
import GreenMineShared

/// `greenmine admin reset-password USER_ID`: resets an account to an initial password, shown once.
struct AdminResetPasswordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset-password", abstract: "重置密码 Reset a password to an initial one.",
        usage: HelpUsage.of("greenmine admin reset-password", "<USER_ID|USERNAME>"),
        discussion: """
        A province resets enterprise accounts of its province; the ministry any account. Give the \
        user's id or user name: the server looks a name up among the accounts you may reset. The \
        initial password is printed once and kept nowhere; the user must change it at the next \
        login. Needs the network.
        省级自然资源主管部门可重置本省企业账号，部级可重置任何账号。可给出用户标识或
        用户名：服务器在您可重置的账号中按用户名查找。初始密码只显示这一次，本机不保
        存；用户下次登录时必须修改。需要联网。
        """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("用户标识或用户名 The user's id, or user name.", valueName: "USER_ID|USERNAME"))
    var user: String

    func run() async throws {
        try await global.run { context in
            let (workspace, session) = try context.workspace()
            guard [.province, .ministry].contains(session.user.role) else {
                throw ClientError(code: "reset_not_allowed",
                                  zh: "只有省级主管部门（本省企业）或部管理员可以重置密码，当前角色为\(session.user.role.label.zh)",
                                  en: "only a province (its enterprises) or the ministry may reset passwords; you are \(session.user.role.englishWithArticle)")
            }
            let typed = user.trimmingCharacters(in: .whitespaces)
            let api = try context.api(session)
            // The server keeps ids as it made them: upper-case UUIDs.
            let id = UUID(text: typed)?.storedString ?? typed
            var answer: PasswordResetResponse
            do {
                answer = try await api.resetPassword(userId: id)
            } catch let error as APIError where error.code == "user_not_found" && UUID(text: typed) == nil {
                guard let found = try await UserIdLookup(workspace: workspace, api: api).id(ofUsername: typed) else {
                    throw ClientError(
                        code: "user_not_found",
                        zh: "服务器在您可重置的账号中没有用户标识或用户名为“\(typed)”的用户",
                        en: "the server has no user with the id or user name '\(typed)' among the accounts you may reset")
                }
                context.note("用户名 \(typed) 的用户标识取自流程记录：\(found)", "The id of \(typed) was found in the process history: \(found)")
                answer = try await api.resetPassword(userId: found)
            }
            if context.json { return try context.emitJSON(answer) }
            context.say("已重置用户 \(answer.username) 的密码。初始密码（只显示这一次）：",
                        "The password of \(answer.username) was reset. Initial password (shown only this once):")
            context.output.line("  \(answer.initialPassword)")
            context.say("该用户下次登录时必须修改密码；其所有登录会话已失效。",
                        "The user must change it at the next login; every session of the account was ended.")
        }
    }
}

/// Finds a user's id by user name in the process history of the records this device holds — for a
/// server older than issue 14, which resets by id only.
struct UserIdLookup {
    var workspace: Workspace
    var api: APIClient
    /// Records whose history is read at most.
    static let limit = 20

    func id(ofUsername name: String) async throws -> String? {
        var records: [LocalRecord] = []
        for kind in [RecordKind.application, .preApplication, .appeal] {
            records += try workspace.records(kind).filter { $0.base != nil }
        }
        for record in records.sorted(by: { $0.updatedLocal > $1.updatedLocal }).prefix(Self.limit) {
            guard let history = try? await api.history(of: record.id) else { continue }
            if let event = history.events.first(where: { $0.actorName == name }) { return event.actorId }
        }
        return nil
    }
}
