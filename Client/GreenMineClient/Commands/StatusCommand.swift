import ArgumentParser
import Foundation
import GreenMineShared

/// `greenmine status`: the 首页 — account, records, queue, conflicts, refusals, notices, last sync.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "首页 Overview: account, records, queue, conflicts, notices, support, downloads.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await global.run { context in
            let store = try context.openStore(.read)
            let report = try StatusReport.load(store: store, home: context.home)
            if context.json { return try context.emitJSON(report) }
            let language = context.language
            if let user = report.user {
                let org = user.orgName.map { context.text("，\($0)", ", \($0)") } ?? ""
                context.say("账户：\(user.username)（\(user.role.label.zh)\(org)）",
                            "Account: \(user.username) (\(user.role.label.en)\(org))")
                context.say("服务器：\(report.server ?? "")\(report.loggedIn ? "" : "（已退出登录）")",
                            "Server: \(report.server ?? "")\(report.loggedIn ? "" : " (logged out)")")
                if user.mustChangePassword {
                    context.say("⚠ 必须先修改密码：greenmine passwd", "⚠ The password must be changed: greenmine passwd")
                }
            } else {
                context.say("尚未登录：greenmine login --server URL --user 用户名",
                            "Not logged in: greenmine login --server URL --user NAME")
            }
            context.say("上次成功同步：\(report.lastSyncAt.map(context.time) ?? "从未")",
                        "Last successful sync: \(report.lastSyncAt.map(context.time) ?? "never")")
            if let run = report.lastRun {
                let line = SyncLogSummary.line(run, now: context.environment.now())
                context.say(line.zh, line.en)
            }
            context.output.line()
            // Issue 14: the home page counts the business records; profiles, notices (their own line
            // below) and catalogues are the system's, not work to do.
            let shown = report.counts.filter { StatusReport.homeKinds.contains($0.kind) }
            if shown.isEmpty {
                context.say("本地没有业务记录。", "No records in this store.")
            } else {
                var table = TextTable(headers: [context.text("业务", "Kind"), context.text("状态", "State"),
                                                context.text("数量", "Count")])
                for count in shown {
                    table.append([count.kind.label.text(language), count.state.label.text(language), String(count.count)])
                }
                context.output.write(table.render())
            }
            context.output.line()
            context.say("待同步的修改：\(report.queuedChanges)", "Queued changes: \(report.queuedChanges)")
            let uploads = report.pendingUploads
            if uploads.files > 0 {
                let sent = uploads.sentBytes > 0
                    ? context.text("，已上传 \(ByteSize.text(uploads.sentBytes))", ", \(ByteSize.text(uploads.sentBytes)) already sent")
                    : ""
                context.say("待上传的附件：\(uploads.files) 个文件，\(ByteSize.text(uploads.bytes))\(sent)",
                            "Pending uploads: \(uploads.files) file(s), \(ByteSize.text(uploads.bytes))\(sent)")
            } else {
                context.say("待上传的附件：无", "Pending uploads: none")
            }
            context.say("未处理的冲突：\(report.openConflicts)\(report.openConflicts > 0 ? "（greenmine conflicts）" : "")",
                        "Open conflicts: \(report.openConflicts)\(report.openConflicts > 0 ? " (greenmine conflicts)" : "")")
            context.say("未读通知公告：\(report.unreadNotices)", "Unread notices: \(report.unreadNotices)")
            if !report.latestComments.isEmpty {
                context.say("退回或不通过的记录，最新审核意见：", "Returned or rejected, latest reviewer comment:")
                let presenter = RecordPresenter(context: context)
                for latest in report.latestComments {
                    context.output.line("  \(RecordPresenter.shortId(latest.recordId))  \(latest.kind.label.text(language))  "
                                        + latest.state.label.text(language))
                    context.output.line(presenter.commentLine(latest.event, indent: "    "))
                }
            }
            context.say("新的被拒绝修改：\(report.unseenRejections.count)",
                        "New refused changes: \(report.unseenRejections.count)")
            for rejection in report.unseenRejections.prefix(10) {
                context.output.line("  \(RecordPresenter.shortId(rejection.recordId))  #\(rejection.seq) "
                                    + "\(rejection.transition?.label.text(language) ?? rejection.op.rawValue)  "
                                    + "[\(rejection.code)] \(rejection.reason.text(language))")
            }
            if report.unseenRejections.count > 10 {
                context.say("  …（greenmine rejections 查看全部）", "  … (greenmine rejections shows all)")
            }
            // Issue 14: what the manual's home page shows besides records, as last synced.
            context.output.line()
            let portal = PortalPresenter(context: context)
            context.output.line(portal.supportLine(report.portal))
            if let downloads = report.portal?.downloads, !downloads.isEmpty {
                context.say("资料下载（\(downloads.count) 项；greenmine downloads get 编号 --out 文件夹）：",
                            "Downloads (\(downloads.count); greenmine downloads get NO. --out DIR):")
                portal.downloadLines(downloads).forEach { context.output.line($0) }
            } else if report.portal != nil {
                context.say("资料下载：无", "Downloads: none")
            }
        }
    }
}
