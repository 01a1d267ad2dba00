import ArgumentParser

/// `greenmine review`: the review authorities' work (county, city, province, ministry).
struct ReviewCommand: AsyncParsableCommand {
    // Help texts: ArgumentParser wraps on ASCII spaces and counts characters, not columns, so
    // every line holding Chinese is broken by hand to fit 80 columns (HelpTextTests checks).
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: """
        审核 Review pre-applications, applications and appeals
        (county, city, province and ministry reviewers).
        """,
        discussion: """
        What you may do depends on the role you logged in with, the record's state and your region; \
        this device checks the same workflow rules as the server, and a refusal names the rule. \
        Every action works offline and is sent by `greenmine sync`, like an enterprise's submit.
        可执行的操作取决于登录角色、记录状态和管辖区域；本机按与服务器相同的流程规则
        检查，不允许时会说明原因。所有操作均可离线进行，运行 `greenmine sync` 时发送。

        Who does what 谁能做什么:
          county, city 市县级: opinion 初审意见 only, on pre-applications and
            applications (submitted or under review) in their own area; records whose
            region is not chosen down to county level are hidden from them.
            仅可对本辖区内已提交或已受理的预申报、新设申请提出初审意见；所在行政区
            未选择到县一级的记录，市县级看不到。
          province 省级: accept 受理, opinion 初审意见, return 退回, reject 不予通过,
            assign 指派评估机构 (again while assessing: another agency 评估中可改派),
            approve 审核通过, remove 移出名录
          ministry 部级: remove 移出名录; sees every record 可查看全部记录
          Removing a mine revokes its certificate. 移出名录即撤销其证书。

        Typical 常用:
          greenmine sync
          greenmine review list --state submitted
          greenmine review show 3f2a0c1e
          greenmine get 3f2a0c1e 自评报告.pdf --out ~/自评报告.pdf
          greenmine review opinion 3f2a0c1e --comment 材料齐全，同意上报
          greenmine review accept 3f2a0c1e
          greenmine review assign 3f2a0c1e --agency 河北绿源第三方评估中心
          greenmine sync
          # once the agency's assessment has synced 评估结果同步后:
          greenmine sync
          greenmine review approve 3f2a0c1e
          greenmine sync
        """,
        subcommands: [ReviewListCommand.self, ReviewShowCommand.self, ReviewAcceptCommand.self,
                      ReviewOpinionCommand.self, ReviewReturnCommand.self, ReviewRejectCommand.self,
                      ReviewAssignCommand.self, ReviewApproveCommand.self, ReviewRemoveCommand.self,
                      ReviewAgenciesCommand.self],
        defaultSubcommand: ReviewListCommand.self)
}
