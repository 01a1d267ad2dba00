import Foundation

extension Catalogue {
    /// A SAMPLE catalogue for demonstration and testing; it is not the official catalogue.
    ///
    /// Built from DOMAIN.md: the five real prerequisites of the 2020 national version; its six
    /// primary indicators weighted like the Shaanxi variant (12 / 28 / 18 / 12 / 15 / 15) scaled
    /// ×10 to 1000 points; the 2020 pass rules (total ≥ 800, each primary ≥ 75% of its maximum).
    /// Secondary names are the known ones where they fit; the rest, and every item, are generic
    /// placeholders. Official catalogues are imported by an administrator.
    public static let sample = Catalogue(
        id: "sample-2020",
        version: "1.0",
        name: LocalizedText(
            zh: "绿色矿山评价指标体系（示例，非官方）",
            en: "Green mine evaluation indicators (SAMPLE, not official)"),
        isSample: true,
        notice: LocalizedText(
            zh: "本指标体系是示例，仅用于演示和测试，不是官方发布的绿色矿山评价指标体系。"
                + "一级指标名称和先决条件取自2020年全国版本，权重参照陕西省版本（12/28/18/12/15/15）按1000分折算，"
                + "通过规则为总分不低于800分且各一级指标不低于其满分的75%；二级指标和评分项为示意。"
                + "正式评审请由管理员导入官方指标体系。",
            en: "This catalogue is a SAMPLE for demonstration and testing; it is not the official "
                + "green mine evaluation catalogue. Prerequisites and primary indicator names follow the "
                + "2020 national version, weights follow the Shaanxi variant (12/28/18/12/15/15) scaled to "
                + "1000 points, and a mine passes with at least 800 points and at least 75% of every primary's "
                + "maximum; secondaries and items are illustrative. For real reviews an administrator "
                + "imports the official catalogue."),
        prerequisites: samplePrerequisites,
        primaries: samplePrimaries,
        passRules: PassRules(minTotal: 800, minPrimaryShare: 0.75))

    /// The five prerequisites of the 2020 national version.
    private static let samplePrerequisites: [Prerequisite] = [
        Prerequisite(code: "P1", name: LocalizedText(
            zh: "营业执照、采矿许可证、安全生产许可证均在有效期内",
            en: "Business licence, mining licence and safety production licence are all valid")),
        Prerequisite(code: "P2", name: LocalizedText(
            zh: "近三年内未受到行政处罚或已整改到位，且未发生重大安全、环境事故",
            en: "No administrative penalty in the last 3 years (or fully rectified) "
                + "and no major safety or environmental accident")),
        Prerequisite(code: "P3", name: LocalizedText(
            zh: "已按规定进行信息公示，且未被列入异常名录",
            en: "Public disclosure made as required and not on the abnormal operations list")),
        Prerequisite(code: "P4", name: LocalizedText(
            zh: "矿山正常生产，剩余保有资源储量可开采年限不少于3年",
            en: "Mine operating normally with at least 3 years of reserves left")),
        Prerequisite(code: "P5", name: LocalizedText(
            zh: "矿区范围不在任何自然保护地内",
            en: "Mining area lies outside every nature-protection area")),
    ]

    /// The six primaries, 120 / 280 / 180 / 120 / 150 / 150 points.
    private static let samplePrimaries: [Primary] = [
        Primary(code: "1", name: LocalizedText(zh: "矿区环境", en: "Mine-site environment"), maxPoints: 120, secondaries: [
            Secondary(code: "1.1", name: LocalizedText(zh: "矿容矿貌", en: "Mine appearance"), items: [
                sampleItem("1.1.1", "功能分区与布局合理", "Sound functional zoning and layout", 20),
                sampleItem("1.1.2", "道路与运输设施整洁", "Tidy roads and haulage facilities", 20),
                sampleItem("1.1.3", "标识标牌规范", "Proper signs and signboards", 20),
            ]),
            Secondary(code: "1.2", name: LocalizedText(zh: "矿区绿化", en: "Mine-site greening"), items: [
                sampleItem("1.2.1", "可绿化区域绿化覆盖", "Greening of the areas that can be greened", 40),
                sampleItem("1.2.2", "绿化养护与管理", "Upkeep of the greenery", 20),
            ]),
        ]),
        Primary(code: "2", name: LocalizedText(zh: "资源开发方式", en: "Development mode"), maxPoints: 280, secondaries: [
            Secondary(code: "2.1", name: LocalizedText(zh: "资源开采", en: "Resource extraction"), items: [
                sampleItem("2.1.1", "开采方式与工艺", "Mining method and technology", 40),
                sampleItem("2.1.2", "开采回采率", "Mining recovery rate", 40),
            ]),
            Secondary(code: "2.2", name: LocalizedText(zh: "选矿加工", en: "Ore processing"), items: [
                sampleItem("2.2.1", "选矿工艺与设备", "Processing technology and equipment", 30),
                sampleItem("2.2.2", "选矿回收率", "Processing recovery rate", 30),
            ]),
            Secondary(code: "2.3", name: LocalizedText(
                zh: "矿山环境恢复治理与土地复垦", en: "Environmental restoration and land reclamation"), items: [
                sampleItem("2.3.1", "恢复治理方案与实施", "Restoration plan and its implementation", 40),
                sampleItem("2.3.2", "土地复垦率", "Land reclamation rate", 40),
            ]),
            Secondary(code: "2.4", name: LocalizedText(
                zh: "环境管理与监测", en: "Environmental management and monitoring"), items: [
                sampleItem("2.4.1", "环境管理制度", "Environmental management rules", 30),
                sampleItem("2.4.2", "环境监测与预警", "Environmental monitoring and early warning", 30),
            ]),
        ]),
        Primary(code: "3", name: LocalizedText(zh: "资源综合利用", en: "Comprehensive utilisation"), maxPoints: 180, secondaries: [
            Secondary(code: "3.1", name: LocalizedText(zh: "综合利用", en: "Comprehensive utilisation"), items: [
                sampleItem("3.1.1", "共伴生资源综合利用", "Use of associated minerals", 30),
                sampleItem("3.1.2", "综合利用率", "Comprehensive utilisation rate", 30),
            ]),
            Secondary(code: "3.2", name: LocalizedText(
                zh: "固废处置与综合利用", en: "Solid waste disposal and utilisation"), items: [
                sampleItem("3.2.1", "固体废物规范处置", "Proper disposal of solid waste", 30),
                sampleItem("3.2.2", "固废综合利用率", "Solid waste utilisation rate", 30),
            ]),
            Secondary(code: "3.3", name: LocalizedText(
                zh: "废水处置与综合利用", en: "Waste water treatment and reuse"), items: [
                sampleItem("3.3.1", "废水规范处置", "Proper treatment of waste water", 30),
                sampleItem("3.3.2", "废水（矿井水）利用率", "Waste water (mine water) reuse rate", 30),
            ]),
        ]),
        Primary(code: "4", name: LocalizedText(zh: "节能减排", en: "Energy saving and emissions"), maxPoints: 120, secondaries: [
            Secondary(code: "4.1", name: LocalizedText(zh: "节能降耗", en: "Energy saving"), items: [
                sampleItem("4.1.1", "能耗管理制度", "Energy management rules", 20),
                sampleItem("4.1.2", "单位产品能耗", "Energy use per unit of product", 20),
                sampleItem("4.1.3", "节能技术与设备", "Energy-saving technology and equipment", 20),
            ]),
            Secondary(code: "4.2", name: LocalizedText(zh: "污染物排放", en: "Pollutant emissions"), items: [
                sampleItem("4.2.1", "废气与粉尘排放达标", "Air and dust emissions within limits", 30),
                sampleItem("4.2.2", "噪声控制", "Noise control", 30),
            ]),
        ]),
        Primary(code: "5", name: LocalizedText(
            zh: "科技创新与智能矿山", en: "Innovation and smart mine"), maxPoints: 150, secondaries: [
            Secondary(code: "5.1", name: LocalizedText(zh: "科技创新", en: "Technological innovation"), items: [
                sampleItem("5.1.1", "研发投入", "Research and development spending", 40),
                sampleItem("5.1.2", "科技成果应用", "Research results put to use", 35),
            ]),
            Secondary(code: "5.2", name: LocalizedText(zh: "智能矿山", en: "Smart mine"), items: [
                sampleItem("5.2.1", "信息化管理系统", "Information management systems", 40),
                sampleItem("5.2.2", "自动化与智能化装备", "Automated and intelligent equipment", 35),
            ]),
        ]),
        Primary(code: "6", name: LocalizedText(
            zh: "企业管理与企业形象", en: "Management and image"), maxPoints: 150, secondaries: [
            Secondary(code: "6.1", name: LocalizedText(zh: "企业管理", en: "Enterprise management"), items: [
                sampleItem("6.1.1", "绿色矿山管理体系", "Green mine management system", 40),
                sampleItem("6.1.2", "安全生产与职业健康", "Work safety and occupational health", 35),
            ]),
            Secondary(code: "6.2", name: LocalizedText(zh: "企业形象", en: "Enterprise image"), items: [
                sampleItem("6.2.1", "企业文化建设", "Corporate culture", 25),
                sampleItem("6.2.2", "社区和谐与信息公开", "Community relations and public disclosure", 50),
            ]),
        ]),
    ]

    /// One sample item.
    private static func sampleItem(_ code: String, _ zh: String, _ en: String, _ points: Double) -> Item {
        Item(code: code, name: LocalizedText(zh: zh, en: en), maxPoints: points)
    }
}
