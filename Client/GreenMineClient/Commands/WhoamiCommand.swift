import ArgumentParser
import Foundation
import GreenMineShared

/// `greenmine whoami`: the account this home is logged in as.
struct WhoamiCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whoami", abstract: "当前账户 Show the account this home is logged in as.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await global.run { context in
            let store = try context.openStore(.read)
            guard var session = try Session.load(store: store, home: context.home) else {
                throw ClientError.notLoggedIn
            }
            var online = false
            if session.token != nil, let api = try? context.api(session, timeout: context.environment.lookupTimeout) {
                do {
                    let user = try await api.me()
                    // On a read-only home the fresh profile is shown, not kept.
                    if !store.isReadOnly { try store.write { try SyncState.setUser($0, user) } }
                    session.user = user
                    online = true
                } catch let error as APIError where !error.isTransient {
                    throw error
                } catch {
                    online = false
                }
            }
            let report = WhoamiReport(user: session.user, server: session.serverURL?.absoluteString,
                                      loggedIn: session.token != nil, online: online)
            if context.json { return try context.emitJSON(report) }
            let user = session.user
            context.say("用户：\(user.username)（\(user.id)）", "User: \(user.username) (\(user.id))")
            context.say("角色：\(user.role.label.zh)", "Role: \(user.role.label.en)")
            if let org = user.orgId {
                context.say("单位：\(user.orgName ?? "")（\(org)）", "Organisation: \(user.orgName ?? "") (\(org))")
            }
            if let region = user.region {
                let path = RegionTable.standard.displayPath(of: region)
                context.say("辖区：\(path)（\(region)）", "Region: \(path) (\(region))")
            }
            if let agency = user.agency { context.say("评估机构：\(agency)", "Agency: \(agency)") }
            context.say("服务器：\(report.server ?? "")", "Server: \(report.server ?? "")")
            if session.token == nil {
                context.say("状态：已退出登录", "Session: logged out")
            } else if !online {
                context.say("状态：离线（以上为上次登录时的信息）", "Session: offline (as of the last login)")
            }
            if user.mustChangePassword {
                context.note("必须先修改密码：greenmine passwd", "The password must be changed first: greenmine passwd")
            }
        }
    }
}
