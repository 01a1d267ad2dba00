import Foundation

extension Catalogue {
    /// Checks the catalogue's own consistency; empty when it can be used.
    ///
    /// Rules: id and version are set; there is at least one primary; every code is non-blank and
    /// unique across prerequisites, primaries, secondaries and items; every maximum is a positive
    /// number; every secondary has items; the items' maxima of a primary add up to its maximum;
    /// `minPrimaryShare` lies in 0...1 and `minTotal` in 0...maxTotal.
    public func validate() -> [RuleViolation] {
        var violations: [RuleViolation] = []
        let ref = "“\(id)”"
        if Catalogue.isBlank(id) || Catalogue.isBlank(version) {
            violations.append(RuleViolation(
                code: "catalogue_id_blank",
                zh: "指标体系\(ref)缺少标识或版本号（id 与 version 均为必填）",
                en: "Catalogue \(ref) lacks an id or a version (both are required)"))
        }
        if primaries.isEmpty {
            violations.append(RuleViolation(
                code: "catalogue_no_primaries",
                zh: "指标体系\(ref)没有一级指标（至少需要一个）",
                en: "Catalogue \(ref) has no primary indicator (at least one is required)"))
        }
        violations += codeViolations(ref: ref)
        violations += pointViolations(ref: ref)
        violations += passRuleViolations(ref: ref)
        return violations
    }

    /// Blank and duplicate codes, each duplicate reported once.
    private func codeViolations(ref: String) -> [RuleViolation] {
        var codes = prerequisites.map(\.code)
        for primary in primaries {
            codes.append(primary.code)
            for secondary in primary.secondaries {
                codes.append(secondary.code)
                codes += secondary.items.map(\.code)
            }
        }
        var violations: [RuleViolation] = []
        let blanks = codes.filter(Catalogue.isBlank).count
        if blanks > 0 {
            violations.append(RuleViolation(
                code: "catalogue_code_blank",
                zh: "指标体系\(ref)中有 \(blanks) 个条目的编码为空（每个先决条件、指标和评分项都需要编码）",
                en: "Catalogue \(ref) has \(blanks) entries with a blank code "
                    + "(every prerequisite, indicator and item needs a code)"))
        }
        var seen: Set<String> = []
        var reported: Set<String> = []
        for code in codes where !Catalogue.isBlank(code) {
            if !seen.insert(code).inserted, reported.insert(code).inserted {
                violations.append(RuleViolation(
                    code: "catalogue_duplicate_code",
                    zh: "指标体系\(ref)中编码“\(code)”重复出现（编码在整个指标体系中必须唯一）",
                    en: "Catalogue \(ref) uses the code “\(code)” more than once "
                        + "(codes must be unique across the whole catalogue)"))
            }
        }
        return violations
    }

    /// Non-positive maxima, empty secondaries and primaries whose items do not add up.
    private func pointViolations(ref: String) -> [RuleViolation] {
        var violations: [RuleViolation] = []
        for primary in primaries {
            let primaryName = "\(primary.code) \(primary.name.zh)"
            let primaryNameEn = "\(primary.code) \(primary.name.en)"
            if !(primary.maxPoints.isFinite && primary.maxPoints > 0) {
                violations.append(RuleViolation(
                    code: "catalogue_points_invalid",
                    zh: "指标体系\(ref)的一级指标“\(primaryName)”满分为 \(PointsFormat.text(primary.maxPoints))，必须是正数",
                    en: "Catalogue \(ref): primary “\(primaryNameEn)” has maximum "
                        + "\(PointsFormat.text(primary.maxPoints)); it must be a positive number"))
            }
            for secondary in primary.secondaries where secondary.items.isEmpty {
                violations.append(RuleViolation(
                    code: "catalogue_secondary_empty",
                    zh: "指标体系\(ref)的二级指标“\(secondary.code) \(secondary.name.zh)”没有评分项（至少需要一个）",
                    en: "Catalogue \(ref): secondary “\(secondary.code) \(secondary.name.en)” has no items "
                        + "(at least one is required)"))
            }
            for item in primary.items where !(item.maxPoints.isFinite && item.maxPoints > 0) {
                violations.append(RuleViolation(
                    code: "catalogue_points_invalid",
                    zh: "指标体系\(ref)的评分项“\(item.code) \(item.name.zh)”满分为 \(PointsFormat.text(item.maxPoints))，必须是正数",
                    en: "Catalogue \(ref): item “\(item.code) \(item.name.en)” has maximum "
                        + "\(PointsFormat.text(item.maxPoints)); it must be a positive number"))
            }
            let sum = primary.items.reduce(0) { $0 + $1.maxPoints }
            if primary.maxPoints.isFinite, sum.isFinite,
               abs(sum - primary.maxPoints) > Catalogue.pointsTolerance * max(1, abs(primary.maxPoints)) {
                violations.append(RuleViolation(
                    code: "catalogue_points_mismatch",
                    zh: "指标体系\(ref)的一级指标“\(primaryName)”满分为 \(PointsFormat.text(primary.maxPoints))，"
                        + "但其评分项满分合计为 \(PointsFormat.text(sum))（两者必须相等）",
                    en: "Catalogue \(ref): primary “\(primaryNameEn)” has maximum "
                        + "\(PointsFormat.text(primary.maxPoints)) but its items add up to "
                        + "\(PointsFormat.text(sum)) (they must be equal)"))
            }
        }
        return violations
    }

    /// Pass rules outside their ranges.
    private func passRuleViolations(ref: String) -> [RuleViolation] {
        var violations: [RuleViolation] = []
        let share = passRules.minPrimaryShare
        if !(share.isFinite && share >= 0 && share <= 1) {
            violations.append(RuleViolation(
                code: "catalogue_share_range",
                zh: "指标体系\(ref)的一级指标最低得分比例为 \(PointsFormat.text(share))，必须在 0 到 1 之间",
                en: "Catalogue \(ref): the minimum primary share is \(PointsFormat.text(share)); "
                    + "it must lie between 0 and 1"))
        }
        let minTotal = passRules.minTotal
        let maxTotal = maxTotal
        let limit = maxTotal.isFinite ? maxTotal * (1 + Catalogue.pointsTolerance) : Double.infinity
        if !(minTotal.isFinite && minTotal >= 0 && minTotal <= limit) {
            violations.append(RuleViolation(
                code: "catalogue_threshold_range",
                zh: "指标体系\(ref)的总分通过线为 \(PointsFormat.text(minTotal))，必须在 0 到满分 \(PointsFormat.text(maxTotal)) 之间",
                en: "Catalogue \(ref): the pass mark is \(PointsFormat.text(minTotal)); "
                    + "it must lie between 0 and the maximum \(PointsFormat.text(maxTotal))"))
        }
        return violations
    }

    /// Relative tolerance for comparing sums of points (floating-point rounding only).
    static let pointsTolerance = 1e-9

    /// True when the text is empty or only white space.
    private static func isBlank(_ text: String) -> Bool {
        text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }
}
