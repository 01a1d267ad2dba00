import Foundation
import GRDB
import GreenMineShared

/// The registry's verdict on a record's licence and region, offline, from the licences this device
/// cached (`LicenceRules`, the rule the server applies at submit): the data check shows it, and a
/// submit the server would refuse is refused here first.
enum RegistryFindings {
    static func of(_ db: Database, _ record: Record, orgId: String?, now: Date) throws -> [Finding] {
        guard [.preApplication, .application].contains(record.kind),
              let number = record.text(FormSchema.licencePath), !number.isEmpty else { return [] }
        guard let licence = try LicenceCache.find(db, number: number) else {
            return [Finding(.warning, FormSchema.licencePath, RuleViolation(
                code: "licence_unverified",
                zh: "本机没有该许可证的配号系统记录，无法离线核验；提交后由服务器核验",
                en: "this device has no registry entry for the licence, so it cannot be checked offline; the server checks it at submission"))]
        }
        var findings: [Finding] = []
        if let violation = LicenceRules.submitViolation(number: number, licence: licence, orgId: orgId, today: now) {
            findings.append(Finding(.error, FormSchema.licencePath, violation))
        }
        if let region = record.text("basic.region"),
           let violation = LicenceRules.regionViolation(region: region, licence: licence, orgRegion: nil) {
            findings.append(Finding(.error, "basic.region", violation))
        }
        return findings
    }
}
