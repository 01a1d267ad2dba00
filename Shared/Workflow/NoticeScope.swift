import Foundation

/// Where a notice may be posted: a province within its own province (by default the whole
/// province), the ministry anywhere (by default nationwide). The server and the client apply it alike.
public enum NoticeScope {
    /// The region a notice by `actor` asked for `requested` is posted to, or the refusal
    /// (`out_of_region`) when a province asks for a region outside its own. A province reviewer
    /// without a region of its own is left as asked (the workflow decides about it).
    public static func region(_ requested: String?, by actor: Actor,
                              regions: RegionTable) -> Result<String?, RuleViolation> {
        guard actor.role == .province, let province = actor.region else { return .success(requested) }
        guard let requested else { return .success(province) }
        guard regions.contains(province, requested) else {
            return .failure(outsideProvince(requested, province: province, regions: regions))
        }
        return .success(requested)
    }

    /// Scopes a notice record made by `actor`: its region (and its `notice.region` field, when the
    /// province's own region is filled in) as `region(_:by:regions:)` decides, or the refusal.
    public static func scope(_ notice: inout Record, by actor: Actor, regions: RegionTable) -> RuleViolation? {
        switch region(notice.region, by: actor, regions: regions) {
        case .failure(let violation):
            return violation
        case .success(let scoped):
            if scoped != notice.region {
                notice.region = scoped
                notice.fields[fieldPath] = scoped.map { .string($0) }
            }
            return nil
        }
    }

    /// The notice's region field.
    public static let fieldPath = "notice.region"

    static func outsideProvince(_ region: String, province: String, regions: RegionTable) -> RuleViolation {
        let name = regions.displayPath(of: province)
        return RuleViolation(
            code: "out_of_region",
            zh: "省级主管部门只能在本省范围内发布通知公告：\(region) 不在 \(name) 内",
            en: "a province posts notices within its own province only: \(region) is outside \(name)")
    }
}
