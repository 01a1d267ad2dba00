import ArgumentParser

/// `greenmine appeal`: 在线申诉 against a rejection or a removal.
struct AppealCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "appeal", abstract: """
        在线申诉 Appeal a rejected or removed pre-application
        or application.
        """,
        discussion: """
        An appeal is submitted to the province, which accepts it, then upholds it (`review approve`), \
        returns it or rejects it (`review return|reject --comment`). An upheld appeal returns a \
        rejected record to you to correct and submit again, and lists a removed application again \
        with a new certificate. Works offline: sent at the next sync.
        申诉提交至省级自然资源主管部门，由其受理后审核通过（review approve）、退回或
        不予通过。申诉成立时，未通过的记录退回本单位修改后重新提交；已移出的新设申请
        恢复入库并签发新证书。可离线操作，下次同步时发送。
        """,
        subcommands: [AppealNewCommand.self, AppealListCommand.self],
        defaultSubcommand: AppealListCommand.self)
}
