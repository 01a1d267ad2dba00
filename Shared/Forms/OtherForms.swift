import Foundation

/// The small forms: evidence, profile, appeal, notice, assessment.
enum OtherForms {
    /// 评价指标体系材料: one indicator item's supporting material.
    static let evidence = FormSection("evidence", zh: "评价指标佐证材料", en: "Evidence", fields: [
        FormField("evidence.indicator", zh: "评价指标项", en: "Indicator item", .text, maxLength: 32),
        FormField("evidence.note", zh: "说明", en: "Note", .text, required: false, maxLength: 2000),
    ])

    /// 个人资料: the account's own details.
    static let profile = FormSection("profile", zh: "个人资料", en: "Profile", fields: [
        FormField("profile.name", zh: "姓名", en: "Name", .text, maxLength: 50),
        FormField("profile.position", zh: "职务", en: "Position", .text, required: false),
        FormField("profile.mobile", zh: "手机", en: "Mobile phone", .mobile),
        FormField("profile.phone", zh: "固定电话", en: "Fixed phone", .phone, required: false),
        FormField("profile.email", zh: "电子邮箱", en: "E-mail", .email),
        FormField("profile.address", zh: "通讯地址", en: "Mailing address", .text, required: false),
        FormField("profile.postalCode", zh: "邮政编码", en: "Postal code", .postalCode, required: false),
    ])

    /// 在线申诉.
    static let appeal = FormSection("appeal", zh: "在线申诉", en: "Appeal", fields: [
        FormField("appeal.reason", zh: "申诉理由", en: "Reason", .text, maxLength: 5000),
    ])

    /// 通知公告.
    static let notice = FormSection("notice", zh: "通知公告", en: "Notice", fields: [
        FormField("notice.title", zh: "标题", en: "Title", .text, maxLength: 200),
        FormField("notice.body", zh: "正文", en: "Body", .text, maxLength: 20_000),
        FormField("notice.region", zh: "发布范围", en: "Region", .region, required: false),
    ])

    /// 第三方评估: the assessor's conclusion (scores are kept under `scores.` and `prerequisites.`).
    static let assessment = FormSection("assessment", zh: "第三方评估", en: "Assessment", fields: [
        FormField("assessment.catalogueId", zh: "评价指标体系", en: "Catalogue", .text, maxLength: 64),
        FormField("assessment.summary", zh: "评估结论", en: "Conclusion", .text, maxLength: 5000),
    ])
}
