import Foundation
import GRDB
import GreenMineShared

/// A record just made, with what the user should know about it.
public struct CreatedRecord: Sendable {
    public var record: LocalRecord
    /// Warnings found while making it (region level, licence registry).
    public var findings: [Finding]
}

extension Workspace {
    /// 预申报: a new pre-application for a region and licence number, filled from the registry.
    public func createPreApplication(region: String, licence: String, lookup: LicenceLookup) throws -> CreatedRecord {
        let region = region.trimmingCharacters(in: .whitespaces)
        let licence = licence.trimmingCharacters(in: .whitespaces)
        if let violation = RegionCode.validate(region, requireCountyLevel: false) { throw ClientError(violation) }
        if let violation = LicenceNumber.validate(licence) { throw ClientError(violation) }
        let now = now()
        let id = makeUUID()
        return try store.write { db in
            try requireCanCreate(.preApplication, region: region)
            if let existing = try openRecord(db, kind: .preApplication, licence: licence,
                                             states: [.draft, .submitted, .underReview, .returned, .approved]) {
                throw ClientError(code: "duplicate_pre_application",
                                  zh: "该采矿许可证号已有预申报 \(existing.id.lowercased)（\(existing.working.state.label.zh)）",
                                  en: "licence \(licence) already has the pre-application \(existing.id.lowercased) (\(existing.working.state.label.en))")
            }
            var fields: [String: JSONValue] = ["basic.region": .string(region), "basic.licenceNumber": .string(licence)]
            if let info = lookup.info {
                fields["basic.mineName"] = .string(info.mineName)
            }
            try cache(db, lookup, now: now)
            let record = try MutationQueue.create(db, id: id, kind: .preApplication, orgId: user.orgId, parentId: nil,
                                                  fields: fields, now: now)
            var findings = lookup.findings(region: region, orgId: user.orgId)
            if let violation = RegionCode.validate(region, requireCountyLevel: true) {
                findings.insert(Finding(.warning, "basic.region", violation), at: 0)
            }
            return CreatedRecord(record: record, findings: findings)
        }
    }

    /// 新设: a new application from an approved pre-application, filled from it and the registry.
    public func createApplication(from pre: LocalRecord, lookup: LicenceLookup) throws -> CreatedRecord {
        let now = now()
        let id = makeUUID()
        return try store.write { db in
            guard let current = try LocalRecord.find(db, pre.id), !current.working.deleted else {
                throw ClientError(code: "unknown_id", zh: "预申报 \(pre.id.lowercased) 已不存在",
                                  en: "the pre-application \(pre.id.lowercased) no longer exists")
            }
            guard current.working.state == .approved else {
                throw ClientError(
                    code: "pre_application_not_approved",
                    zh: "只能从审核通过的预申报新设申请；预申报 \(pre.id.lowercased) 当前为“\(current.working.state.label.zh)”",
                    en: "an application can only be made from an approved pre-application; \(pre.id.lowercased) is \(current.working.state.label.en)")
            }
            guard let licence = current.working.text(FormSchema.licencePath) else {
                throw ClientError(code: "licence_missing", zh: "该预申报没有采矿许可证号",
                                  en: "the pre-application has no licence number")
            }
            let region = current.working.text("basic.region")
            try requireCanCreate(.application, region: region)
            if let existing = try openRecord(db, kind: .application, licence: licence,
                                             states: RecordState.allCases.filter { ![.rejected, .removed].contains($0) }) {
                throw ClientError(code: "duplicate_application",
                                  zh: "该采矿许可证号已有新设申请 \(existing.id.lowercased)（\(existing.working.state.label.zh)）",
                                  en: "licence \(licence) already has the application \(existing.id.lowercased) (\(existing.working.state.label.en))")
            }
            var fields = lookup.info?.formFields ?? [:]
            fields[FormSchema.licencePath] = .string(licence)
            if let region { fields["basic.region"] = .string(region) }
            if fields["basic.mineName"] == nil, let name = current.working.fields["basic.mineName"] {
                fields["basic.mineName"] = name
            }
            if fields["basic.holder"] == nil, let name = user.orgName { fields["basic.holder"] = .string(name) }
            if fields["basic.creditCode"] == nil, let org = user.orgId { fields["basic.creditCode"] = .string(org) }
            try cache(db, lookup, now: now)
            let record = try MutationQueue.create(db, id: id, kind: .application, orgId: user.orgId, parentId: nil,
                                                  fields: fields, now: now)
            return CreatedRecord(record: record, findings: lookup.findings(region: region, orgId: user.orgId))
        }
    }

    /// Refuses when the user's role may not make records of this kind (only enterprises apply).
    private func requireCanCreate(_ kind: RecordKind, region: String?) throws {
        try requireCreatable(kind)
        let subject = WorkflowSubject(kind: kind, state: .draft, orgId: user.orgId, region: region)
        if let violation = Workflow.editViolation(by: actor, on: subject) { throw ClientError(violation) }
    }

    /// Refuses offline, as the server would (`CreationRules`), a kind the user's role may not create.
    func requireCreatable(_ kind: RecordKind) throws {
        if let violation = CreationRules.violation(creating: kind, role: actor.role) { throw ClientError(violation) }
    }

    /// A record of the kind for the same licence number in one of the states, if any.
    func openRecord(_ db: Database, kind: RecordKind, licence: String, states: [RecordState]) throws -> LocalRecord? {
        try LocalRecord.all(db, kind: kind).first {
            $0.working.text(FormSchema.licencePath) == licence && states.contains($0.working.state)
        }
    }

    private func cache(_ db: Database, _ lookup: LicenceLookup, now: Date) throws {
        if case .online(let info) = lookup { try LicenceCache.save(db, info, at: now) }
    }
}
