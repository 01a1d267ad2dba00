import Foundation
import GreenMineShared

/// What the licence registry said about a number, and where the answer came from.
public enum LicenceLookup: Sendable, Hashable {
    /// The server's registry answered now.
    case online(LicenceInfo)
    /// No answer online; this device's cache knew it.
    case cached(LicenceInfo)
    /// The registry (online) does not know the number.
    case unknown
    /// No answer online and nothing cached: the number is unverified.
    case unavailable

    /// The registry entry, if any.
    public var info: LicenceInfo? {
        switch self {
        case .online(let info), .cached(let info): info
        case .unknown, .unavailable: nil
        }
    }

    /// Findings that tell the user how far the number could be checked, and how it fits.
    func findings(region: String?, orgId: String?) -> [Finding] {
        switch self {
        case .unknown:
            return [Finding(.warning, FormSchema.licencePath, RuleViolation(
                code: "licence_unknown",
                zh: "矿业权统一配号系统中没有该采矿许可证号，请核对；提交时服务器会再次校验",
                en: "the licence registry does not know this licence number; check it (the server checks it again on submission)"))]
        case .unavailable:
            return [Finding(.warning, FormSchema.licencePath, RuleViolation(
                code: "licence_unverified",
                zh: "当前无法连接矿业权统一配号系统，本机也没有该许可证的缓存：许可证号未经核验，相关信息需同步后补全",
                en: "the licence registry cannot be reached and this device has no copy of the entry: the number is unverified and registry fields stay empty until a later look-up"))]
        case .online(let info), .cached(let info):
            var findings: [Finding] = []
            if let region, region != info.region {
                findings.append(Finding(.warning, "basic.region", RuleViolation(
                    code: "licence_region_mismatch",
                    zh: "配号系统登记的行政区为 \(info.region)（\(RegionTable.standard.displayPath(of: info.region))），与填写的 \(region) 不同",
                    en: "the registry places this licence in \(info.region) (\(RegionTable.standard.displayPath(of: info.region))), not \(region)")))
            }
            if let orgId, orgId != info.creditCode {
                findings.append(Finding(.warning, FormSchema.licencePath, RuleViolation(
                    code: "licence_other_holder",
                    zh: "该许可证登记的采矿权人为“\(info.holder)”（\(info.creditCode)），不是本单位",
                    en: "the registry lists \(info.holder) (\(info.creditCode)) as holder of this licence, not your organisation")))
            }
            return findings
        }
    }
}
