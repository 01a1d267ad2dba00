import Foundation

/// The rules about assessment agencies, for client and server alike: an assignment names an agency
/// that exists and serves the application's province; an assessment counts only for the agency that
/// made it.
public enum AgencyRules {
    /// The agency `text` names: by exact name first, else by code (any case).
    public static func resolve(_ text: String, among agencies: [Agency]) -> Agency? {
        let wanted = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return agencies.first { $0.name == wanted }
            ?? agencies.first { $0.code.caseInsensitiveCompare(wanted) == .orderedSame }
    }

    /// Why `text` cannot be assigned an application in `region` (nil when it can): `agency_unknown`
    /// when no agency of the list has that name or code, `agency_out_of_province` when it does not
    /// serve the application's province.
    public static func assignViolation(_ text: String, among agencies: [Agency], region: String?,
                                       regions: RegionTable = .standard) -> RuleViolation? {
        let wanted = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let agency = resolve(wanted, among: agencies) else {
            return unknown(wanted)
        }
        if agency.serves(region: region, regions: regions) { return nil }
        return RuleViolation(code: "agency_out_of_province",
                             zh: "第三方评估机构“\(agency.name)”不承担该申请所在省份的评估",
                             en: "the assessment agency '\(agency.name)' does not serve this application's province")
    }

    /// The refusal of a name or code that names no agency.
    public static func unknown(_ text: String) -> RuleViolation {
        RuleViolation(code: "agency_unknown",
                      zh: "没有名称或代码为“\(text)”的第三方评估机构（由服务器管理员登记）",
                      en: "there is no assessment agency named or coded '\(text)' (agencies are registered by the server's administrator)")
    }

    /// Whether `assessment` counts for `application` now: it was made for the agency the application
    /// is assigned to (an assessment that names no agency is the current one's, as before agencies
    /// were kept). An assessment left by an agency the application was taken from counts for nobody.
    public static func counts(_ assessment: Record, for application: Record) -> Bool {
        guard let own = assessment.fields[WorkflowFields.agency]?.string else { return true }
        return own == application.fields[WorkflowFields.agency]?.string
    }
}
