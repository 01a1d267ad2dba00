import ArgumentParser

/// `greenmine review`: the review authorities' work (county, city, province, ministry).
struct ReviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "审核 Review pre-applications, applications and appeals (county, city, province, ministry).",
        discussion: """
        What you may do depends on the role you logged in with, the record's state and your region, \
        exactly as the workflow table says; a refusal names the rule. Every action works offline and \
        is sent by `greenmine sync`, like an enterprise's submit.
        可执行的操作取决于登录角色、记录状态和管辖区域，与流程规则表一致；被拒绝时会说明原因。所有操作均可离线进行，\
        在 `greenmine sync` 时发送。

        Who does what 谁能做什么:
          county, city 市县级: opinion 初审意见 (county-level regions only)
          province 省级: accept 受理, opinion, return 退回, reject 不予通过,
            assign 指派评估机构, approve 审核通过, remove 移出
          ministry 部级: remove 移出 (revokes the certificate 撤销证书)

        Typical 常用:
          greenmine sync
          greenmine review list --state submitted
          greenmine review show 3f2a0c1e
          greenmine get 3f2a0c1e 自评报告.pdf --out ~/自评报告.pdf
          greenmine review accept 3f2a0c1e
          greenmine review assign 3f2a0c1e --agency 河北绿源第三方评估中心
          greenmine review approve 3f2a0c1e
          greenmine sync
        """,
        subcommands: [ReviewListCommand.self, ReviewShowCommand.self, ReviewAcceptCommand.self,
                      ReviewOpinionCommand.self, ReviewReturnCommand.self, ReviewRejectCommand.self,
                      ReviewAssignCommand.self, ReviewApproveCommand.self, ReviewRemoveCommand.self],
        defaultSubcommand: ReviewListCommand.self)
}
