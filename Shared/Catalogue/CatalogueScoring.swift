import Foundation

extension Catalogue {
    /// Scores a mine and lists every reason it fails.
    ///
    /// Rules: every prerequisite must be stated and met (`prerequisite_missing`,
    /// `prerequisite_failed`; either vetoes the mine); every scored code must be an item of this
    /// catalogue (`item_unknown`) with points in 0...max (`item_out_of_range`; such points count
    /// as 0); the total must reach `passRules.minTotal` (`total_below_threshold`); each primary must
    /// reach `passRules.minPrimaryShare` of its maximum (`primary_below_share`). Unscored items
    /// count as 0. Unknown prerequisite codes are reported too (`prerequisite_unknown`).
    public func score(_ sheet: Scoresheet) -> ScoreResult {
        var reasons = prerequisiteReasons(sheet)
        var valid: [String: Double] = [:]
        for code in sheet.items.keys.sorted() {
            guard let points = sheet.items[code] else { continue }
            guard let item = item(code: code) else {
                reasons.append(RuleViolation(
                    code: "item_unknown",
                    zh: "评分项“\(code)”不在指标体系“\(id)”中",
                    en: "Item “\(code)” is not in catalogue “\(id)”"))
                continue
            }
            guard points.isFinite, points >= 0, points <= item.maxPoints else {
                reasons.append(RuleViolation(
                    code: "item_out_of_range",
                    zh: "评分项“\(code) \(item.name.zh)”得分 \(PointsFormat.text(points)) 超出范围"
                        + "（应在 0 到 \(PointsFormat.text(item.maxPoints)) 分之间），按 0 分计",
                    en: "Item “\(code) \(item.name.en)” has \(PointsFormat.text(points)) points, outside "
                        + "0 to \(PointsFormat.text(item.maxPoints)); it counts as 0"))
                continue
            }
            valid[code] = points
        }
        let scores = primaries.map { primary in
            let points = primary.items.reduce(0) { $0 + (valid[$1.code] ?? 0) }
            let share = primary.maxPoints > 0 ? points / primary.maxPoints : 0
            return PrimaryScore(
                code: primary.code, name: primary.name, points: points, maxPoints: primary.maxPoints, share: share)
        }
        let total = scores.reduce(0) { $0 + $1.points }
        if !meetsTotal(total) {
            reasons.append(RuleViolation(
                code: "total_below_threshold",
                zh: "总分 \(PointsFormat.text(total)) 分，低于通过线 \(PointsFormat.text(passRules.minTotal)) 分"
                    + "（满分 \(PointsFormat.text(maxTotal)) 分）",
                en: "Total \(PointsFormat.text(total)) points is below the pass mark of "
                    + "\(PointsFormat.text(passRules.minTotal)) (of \(PointsFormat.text(maxTotal)))"))
        }
        for score in scores {
            let minimum = passRules.minPrimaryShare * score.maxPoints
            if !meetsShare(score) {
                reasons.append(RuleViolation(
                    code: "primary_below_share",
                    zh: "一级指标“\(score.code) \(score.name.zh)”得分 \(PointsFormat.text(score.points)) 分，"
                        + "低于其满分 \(PointsFormat.text(score.maxPoints)) 分的 "
                        + "\(PointsFormat.percent(passRules.minPrimaryShare))（\(PointsFormat.text(minimum)) 分）",
                    en: "Primary “\(score.code) \(score.name.en)” has \(PointsFormat.text(score.points)) points, "
                        + "below \(PointsFormat.percent(passRules.minPrimaryShare)) of its maximum "
                        + "\(PointsFormat.text(score.maxPoints)) (\(PointsFormat.text(minimum)) points)"))
            }
        }
        return ScoreResult(
            total: total, maxTotal: maxTotal, primaries: scores, passed: reasons.isEmpty, reasons: reasons)
    }

    /// The total pass rule: `total` reaches `passRules.minTotal` (within rounding).
    public func meetsTotal(_ total: Double) -> Bool {
        total + Catalogue.pointsTolerance * max(1, maxTotal) >= passRules.minTotal
    }

    /// The per-primary pass rule: the primary reaches `passRules.minPrimaryShare` of its maximum.
    public func meetsShare(_ score: PrimaryScore) -> Bool {
        score.points + Catalogue.pointsTolerance * max(1, maxTotal) >= passRules.minPrimaryShare * score.maxPoints
    }

    /// Prerequisites not stated, not met, or not in the catalogue.
    private func prerequisiteReasons(_ sheet: Scoresheet) -> [RuleViolation] {
        var reasons: [RuleViolation] = []
        for prerequisite in prerequisites {
            switch sheet.prerequisites[prerequisite.code] {
            case .some(true):
                continue
            case .some(false):
                reasons.append(RuleViolation(
                    code: "prerequisite_failed",
                    zh: "先决条件“\(prerequisite.code) \(prerequisite.name.zh)”不满足，一票否决",
                    en: "Prerequisite “\(prerequisite.code) \(prerequisite.name.en)” is not met; "
                        + "this vetoes the mine"))
            case .none:
                reasons.append(RuleViolation(
                    code: "prerequisite_missing",
                    zh: "先决条件“\(prerequisite.code) \(prerequisite.name.zh)”未填写是否满足，一票否决",
                    en: "Prerequisite “\(prerequisite.code) \(prerequisite.name.en)” is not stated; "
                        + "this vetoes the mine"))
            }
        }
        let known = Set(prerequisites.map(\.code))
        for code in sheet.prerequisites.keys.sorted() where !known.contains(code) {
            reasons.append(RuleViolation(
                code: "prerequisite_unknown",
                zh: "先决条件“\(code)”不在指标体系“\(id)”中",
                en: "Prerequisite “\(code)” is not in catalogue “\(id)”"))
        }
        return reasons
    }
}
