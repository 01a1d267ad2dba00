import Foundation

/// 新设申请: the four forms of DOMAIN.md "Typical fields".
enum ApplicationForm {
    static let economicTypes = [
        FieldOption("stateOwned", zh: "国有", en: "state-owned"),
        FieldOption("collective", zh: "集体", en: "collective"),
        FieldOption("private", zh: "私营", en: "private"),
        FieldOption("limitedLiability", zh: "有限责任公司", en: "limited liability company"),
        FieldOption("jointStock", zh: "股份有限公司", en: "joint-stock company"),
        FieldOption("foreign", zh: "外商投资", en: "foreign-invested"),
        FieldOption("hkMacaoTaiwan", zh: "港澳台投资", en: "Hong Kong, Macao or Taiwan-invested"),
        FieldOption("other", zh: "其他", en: "other"),
    ]

    static let miningMethods = [
        FieldOption("underground", zh: "地下开采", en: "underground"),
        FieldOption("openPit", zh: "露天开采", en: "open pit"),
        FieldOption("combined", zh: "露天-地下联合", en: "combined open pit and underground"),
    ]

    static let basic = FormSection("basic", zh: "矿山企业基本信息", en: "Basic information", fields: [
        FormField("basic.holder", zh: "采矿权人", en: "Mining-rights holder", .text, fromRegistry: true),
        FormField("basic.mineName", zh: "矿山名称", en: "Mine name", .text, fromRegistry: true),
        FormField("basic.creditCode", zh: "统一社会信用代码", en: "Unified social credit code", .creditCode,
                  fromRegistry: true),
        FormField("basic.economicType", zh: "经济类型", en: "Economic type", .enumeration,
                  options: economicTypes),
        FormField("basic.address", zh: "地址", en: "Address", .text),
        FormField("basic.region", zh: "所在行政区", en: "Administrative region", .region, fromRegistry: true),
        FormField("basic.licenceNumber", zh: "采矿许可证号", en: "Mining licence number", .licence,
                  fromRegistry: true),
        FormField("basic.licenceValidFrom", zh: "许可证有效期起", en: "Licence valid from", .date,
                  fromRegistry: true),
        FormField("basic.licenceValidTo", zh: "许可证有效期止", en: "Licence valid to", .date,
                  fromRegistry: true),
        FormField("basic.mainMineral", zh: "开采主矿种", en: "Main mineral", .text, fromRegistry: true),
        FormField("basic.associatedMinerals", zh: "共伴生矿种", en: "Associated minerals", .text,
                  required: false),
        FormField("basic.miningMethod", zh: "开采方式", en: "Mining method", .enumeration,
                  options: miningMethods, fromRegistry: true),
        FormField("basic.productionScale", zh: "生产规模", en: "Production scale", .decimal, unit: "万吨/年",
                  min: 0, max: 100_000, fromRegistry: true),
        FormField("basic.designScale", zh: "设计规模", en: "Design scale", .decimal, unit: "万吨/年",
                  min: 0, max: 100_000),
        FormField("basic.area", zh: "矿区面积", en: "Mining area", .decimal, unit: "km²", min: 0.0001,
                  max: 100_000, fromRegistry: true),
        FormField("basic.designServiceLife", zh: "设计服务年限", en: "Design service life", .integer,
                  unit: "年", min: 1, max: 200),
        FormField("basic.legalRepresentative", zh: "法定代表人", en: "Legal representative", .text),
    ])

    static let contact = FormSection("contact", zh: "矿山企业联系方式", en: "Contacts", fields: [
        FormField("contact.person", zh: "联系人", en: "Contact person", .text),
        FormField("contact.position", zh: "职务", en: "Position", .text, required: false),
        FormField("contact.mobile", zh: "手机", en: "Mobile phone", .mobile),
        FormField("contact.phone", zh: "固定电话", en: "Fixed phone", .phone, required: false),
        FormField("contact.email", zh: "电子邮箱", en: "E-mail", .email),
        FormField("contact.address", zh: "通讯地址", en: "Mailing address", .text),
        FormField("contact.postalCode", zh: "邮政编码", en: "Postal code", .postalCode),
    ])

    static let indicators = FormSection("indicators", zh: "绿色矿山建设指标", en: "Construction indicators",
                                        fields: [
        FormField("indicators.miningRecoveryRate", zh: "开采回采率", en: "Mining recovery rate", .percent,
                  unit: "%", min: 0, max: 100),
        FormField("indicators.processingRecoveryRate", zh: "选矿回收率", en: "Processing recovery rate",
                  .percent, unit: "%", required: false, min: 0, max: 100),
        FormField("indicators.comprehensiveUtilizationRate", zh: "综合利用率",
                  en: "Comprehensive utilisation rate", .percent, unit: "%", min: 0, max: 100),
        FormField("indicators.greeningCoverageRate", zh: "矿区绿化覆盖率", en: "Green coverage of the mine site",
                  .percent, unit: "%", min: 0, max: 100),
        FormField("indicators.solidWasteUtilizationRate", zh: "固废综合利用率",
                  en: "Solid waste utilisation rate", .percent, unit: "%", min: 0, max: 100),
        FormField("indicators.wastewaterUtilizationRate", zh: "废水(矿井水)利用率",
                  en: "Wastewater (mine water) utilisation rate", .percent, unit: "%", min: 0, max: 100),
        FormField("indicators.landReclamationRate", zh: "土地复垦率", en: "Land reclamation rate", .percent,
                  unit: "%", min: 0, max: 100),
        FormField("indicators.annualOutputValue", zh: "年产值", en: "Annual output value", .decimal,
                  unit: "万元", min: 0, max: 100_000_000),
        FormField("indicators.annualTaxProfit", zh: "利税", en: "Profit and tax", .decimal, unit: "万元",
                  min: -100_000_000, max: 100_000_000),
        FormField("indicators.employees", zh: "职工人数", en: "Employees", .integer, unit: "人", min: 0,
                  max: 1_000_000),
    ])

    static let status = FormSection("status", zh: "绿色矿山建设情况", en: "Construction status", fields: [
        FormField("status.environment", zh: "矿区环境", en: "Mine-site environment", .text, maxLength: 5000),
        FormField("status.developmentMode", zh: "资源开发方式", en: "Development mode", .text, maxLength: 5000),
        FormField("status.comprehensiveUtilization", zh: "资源综合利用", en: "Comprehensive utilisation", .text,
                  maxLength: 5000),
        FormField("status.energySaving", zh: "节能减排", en: "Energy saving and emissions", .text,
                  maxLength: 5000),
        FormField("status.innovation", zh: "科技创新与智能矿山", en: "Innovation and smart mine", .text,
                  maxLength: 5000),
        FormField("status.management", zh: "企业管理与企业形象", en: "Management and image", .text,
                  maxLength: 5000),
    ])

    static let sections = [basic, contact, indicators, status]
}
