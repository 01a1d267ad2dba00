import GreenMineShared

/// The record page's, the scoresheet's, the report upload's and the queue's date and order words.
extension ConsoleText {
    // Work queue: dates and order.
    static let updatedFrom = LocalizedText(zh: "更新日期自", en: "Updated from")
    static let updatedTo = LocalizedText(zh: "更新日期至", en: "Updated to")
    static let sortBy = LocalizedText(zh: "排序", en: "Order")
    static let sortNewest = LocalizedText(zh: "最近更新在前", en: "Recently updated first")
    static let sortOldest = LocalizedText(zh: "最早更新在前", en: "Least recently updated first")
    static let sortName = LocalizedText(zh: "按矿山名称", en: "By mine name")

    // Record page.
    static let contents = LocalizedText(zh: "目录", en: "Contents")
    static let linkedRecords = LocalizedText(zh: "关联记录", en: "Linked records")
    static let relation = LocalizedText(zh: "关系", en: "Relation")
    static let parentRecord = LocalizedText(zh: "上级记录", en: "Parent")
    static let childRecord = LocalizedText(zh: "下级记录", en: "Child")
    static let about = LocalizedText(zh: "摘要", en: "About")
    static let close = LocalizedText(zh: "关闭", en: "Close")
    static let opensInBrowser = LocalizedText(zh: "在浏览器中打开", en: "opens in the browser")
    static let evidence = LocalizedText(zh: "评价指标佐证材料", en: "Evidence by indicator")
    static let noEvidence = LocalizedText(zh: "暂无佐证材料。", en: "No evidence yet.")
    static let indicator = LocalizedText(zh: "指标项", en: "Indicator")
    static let noIndicator = LocalizedText(zh: "未指定指标项", en: "No indicator named")
    static let otherEvidence = LocalizedText(zh: "不在本指标体系中的佐证材料", en: "Evidence for items outside this catalogue")
    static let evidenceCount = LocalizedText(zh: "佐证", en: "evidence")

    // Scoresheet.
    static let scoresheet = LocalizedText(zh: "评价指标体系评分表", en: "Assessment scoresheet")
    static let catalogue = LocalizedText(zh: "评价指标体系", en: "Catalogue")
    static let catalogueMissing = LocalizedText(
        zh: "服务器没有该申请使用的评价指标体系，无法显示评分表。", en: "The server lacks the catalogue this application is scored against.")
    static let noAssessment = LocalizedText(zh: "第三方评估机构尚未评分。", en: "The assessment agency has not scored yet.")
    static let code = LocalizedText(zh: "编号", en: "Code")
    static let indicatorItem = LocalizedText(zh: "指标 / 评分项", en: "Indicator / item")
    static let maxPoints = LocalizedText(zh: "满分", en: "Max")
    static let pointsGiven = LocalizedText(zh: "得分", en: "Points")
    static let prerequisites = LocalizedText(zh: "先决条件（一票否决）", en: "Prerequisites (any one failed vetoes the mine)")
    static let prerequisite = LocalizedText(zh: "先决条件", en: "Prerequisite")
    static let total = LocalizedText(zh: "总分", en: "Total")
    static let met = LocalizedText(zh: "满足", en: "met")
    static let notMet = LocalizedText(zh: "不满足", en: "not met")
    static let unstated = LocalizedText(zh: "未填写", en: "not stated")
    static let passRules = LocalizedText(zh: "通过规则", en: "Pass rules")
    static let totalRule = LocalizedText(zh: "总分不低于通过线：", en: "Total at least the pass mark:")
    static let ruleMet = LocalizedText(zh: "达到", en: "met")
    static let ruleNotMet = LocalizedText(zh: "未达到", en: "not met")
    static let passes = LocalizedText(zh: "结论：达到通过条件（按服务器的计算）", en: "Verdict: passes (as the server computes it)")
    static let doesNotPass = LocalizedText(zh: "结论：未达到通过条件（按服务器的计算）", en: "Verdict: does not pass (as the server computes it)")
    static let conclusion = LocalizedText(zh: "评估结论", en: "Conclusion")
    static let preview = LocalizedText(zh: "预览得分", en: "Preview the score")
    static let saveScores = LocalizedText(zh: "保存评分", en: "Save the scores")
    static let previewShown = LocalizedText(
        zh: "以下为按所填分数计算的预览结果，尚未保存。", en: "This is a preview computed from what you typed; nothing was saved.")
    static let scoresSaved = LocalizedText(zh: "评分已保存。", en: "The scores were saved.")
    static let nothingChanged = LocalizedText(zh: "评分没有变化。", en: "No score changed.")
    static let scoresConflict = LocalizedText(
        zh: "他人同时修改了以下评分，已保留服务器上的值：", en: "Someone else changed these values meanwhile; the server's were kept: ")
    static let cannotScore = LocalizedText(
        zh: "只有被指派的第三方评估机构可以在评估中对该申请评分和上传报告。",
        en: "Only the assigned assessment agency may score this application and upload its report, while it is being assessed.")

    // Report upload.
    static let reports = LocalizedText(zh: "评估报告", en: "Assessment reports")
    static let noReports = LocalizedText(zh: "尚未上传评估报告。", en: "No report uploaded yet.")
    static let reportUpload = LocalizedText(zh: "上传评估报告（PDF）", en: "Upload the assessment report (PDF)")
    static let reportLimit = LocalizedText(zh: "仅限 PDF 文件，不超过 50 MB，按文件内容校验。",
                                           en: "PDF only, at most 50 MB, checked by its content.")
    static let upload = LocalizedText(zh: "上传", en: "Upload")
    static let reportSaved = LocalizedText(zh: "评估报告已上传。", en: "The report was uploaded.")
    static let chooseReport = LocalizedText(zh: "请选择要上传的 PDF 文件。", en: "Choose a PDF file to upload.")
    static let reportTruncated = LocalizedText(
        zh: "该 PDF 文件不完整（缺少文件结尾），未保存。", en: "The PDF is cut short (its end is missing); nothing was kept.")
    static let reportTooLargeTitle = LocalizedText(zh: "文件过大", en: "File too large")
}
