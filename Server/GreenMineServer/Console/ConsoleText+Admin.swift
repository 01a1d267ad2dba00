import GreenMineShared

extension ConsoleText {
    static let accounts = LocalizedText(zh: "账号管理", en: "Accounts")
    static let accountSearch = LocalizedText(zh: "用户名", en: "User name")
    static let organisation = LocalizedText(zh: "单位", en: "Organisation")
    static let mustChangeColumn = LocalizedText(zh: "待改密码", en: "Must change password")
    static let yes = LocalizedText(zh: "是", en: "yes")
    static let resetPassword = LocalizedText(zh: "重置密码", en: "Reset password")
    static let noAccounts = LocalizedText(zh: "没有符合条件的账号。", en: "No account matches.")
    static let resetDone = LocalizedText(
        zh: "密码已重置。初始密码只显示这一次，请当面或电话告知用户；用户登录后须先修改密码。",
        en: "The password was reset. The initial password is shown only this once: tell the user in person or by phone; they must change it when they log in.")
    static let initialPassword = LocalizedText(zh: "初始密码", en: "Initial password")
    static let backToAccounts = LocalizedText(zh: "返回账号管理", en: "Back to the accounts")
    static let accountsRefused = LocalizedText(
        zh: "只有省级主管部门（本省企业账号）和自然资源部可以管理账号。",
        en: "Only a province (its enterprises' accounts) and the ministry manage accounts.")
    static let notices = LocalizedText(zh: "通知公告", en: "Notices")
    static let noNotices = LocalizedText(zh: "暂无通知公告。", en: "No notices.")
    static let postNotice = LocalizedText(zh: "发布通知公告", en: "Post a notice")
    static let noticeTitle = LocalizedText(zh: "标题", en: "Title")
    static let noticeBody = LocalizedText(zh: "正文", en: "Body")
    static let noticeRegion = LocalizedText(zh: "发布范围（行政区划代码，可不填）", en: "Region (division code, optional)")
    static let wholeScope = LocalizedText(zh: "全国", en: "Nationwide")
    static let posted = LocalizedText(zh: "发布时间", en: "Posted")
    static let withdraw = LocalizedText(zh: "撤回", en: "Withdraw")
    static let noticePosted = LocalizedText(zh: "通知公告已发布。", en: "The notice was posted.")
    static let noticeWithdrawn = LocalizedText(zh: "通知公告已撤回。", en: "The notice was withdrawn.")
    static let noticesRefused = LocalizedText(zh: "只有省级主管部门和自然资源部可以发布通知公告。",
                                              en: "Only a province and the ministry post notices.")
    static let dashboard = LocalizedText(zh: "全国统计", en: "National dashboard")
    static let province = LocalizedText(zh: "省份", en: "Province")
    static let sum = LocalizedText(zh: "合计", en: "Total")
    static let unknownProvince = LocalizedText(zh: "未填写", en: "Not given")
    static let chart = LocalizedText(zh: "各省记录数（按状态）", en: "Records per province, by state")
    static let dashboardRefused = LocalizedText(zh: "全国统计和评价指标体系仅供自然资源部使用。",
                                                en: "The national dashboard and the catalogues are the ministry's.")
    static let catalogues = LocalizedText(zh: "评价指标体系", en: "Catalogues")
    static let noCatalogues = LocalizedText(zh: "尚未导入评价指标体系。", en: "No catalogue has been imported.")
    static let catalogueName = LocalizedText(zh: "名称", en: "Name")
    static let catalogueItems = LocalizedText(zh: "三级指标数", en: "Items")
    static let importedAt = LocalizedText(zh: "导入时间", en: "Imported")
    static let inForce = LocalizedText(zh: "现行", en: "In force")
    static let sample = LocalizedText(zh: "示例（非正式）", en: "sample (not official)")
    static let directory = LocalizedText(zh: "全国绿色矿山名录", en: "National green mine directory")
    static let directorySearch = LocalizedText(zh: "矿山名称", en: "Mine name")
    static let mineral = LocalizedText(zh: "开采主矿种", en: "Main mineral")
    static let noListedMines = LocalizedText(zh: "没有符合条件的矿山。", en: "No listed mine matches.")
    static let exportCSV = LocalizedText(zh: "导出 CSV", en: "Export CSV")
}
