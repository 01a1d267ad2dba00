import Foundation
import GRDB
import GreenMineShared

extension Workspace {
    /// 发布通知公告: a province posts within its province (its whole province when no region is
    /// given), the ministry anywhere (nationwide when no region is given). Queued like any record.
    public func postNotice(title: String, body: String, region: String?) throws -> LocalRecord {
        try requireCreatable(.notice)
        let title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        let body = body.trimmingCharacters(in: .whitespacesAndNewlines)
        let scope = try noticeRegion(Self.trimmed(region))
        var fields: [String: JSONValue] = ["notice.title": .string(title), "notice.body": .string(body)]
        if let scope { fields["notice.region"] = .string(scope) }
        for field in FormSchema.fields(for: .notice) {
            let value = fields[field.path] ?? .null
            if value.isBlank {
                guard !field.required else {
                    throw ClientError(code: "required", zh: "“\(field.label.zh)”为必填项",
                                      en: "\(field.label.en) is required")
                }
                continue
            }
            if let violation = FieldRules.violation(of: value, for: field) { throw ClientError(violation) }
        }
        let draft = WorkflowSubject(kind: .notice, state: .draft, region: scope, ownerUserId: user.id)
        if let violation = Workflow.editViolation(by: actor, on: draft) { throw ClientError(violation) }
        let now = now()
        let id = makeUUID()
        return try store.write { db in
            try MutationQueue.create(db, id: id, kind: .notice, orgId: nil, parentId: nil, fields: fields, now: now)
        }
    }

    /// The region a notice is posted to: checked, and within a province's own province.
    private func noticeRegion(_ region: String?) throws -> String? {
        if let region, let violation = RegionCode.validate(region, requireCountyLevel: false) {
            throw ClientError(violation)
        }
        guard actor.role == .province else { return region }
        guard let own = user.region else {
            throw ClientError(code: "no_region", zh: "您的账户没有所属行政区，不能发布通知公告",
                              en: "your account has no region, so it cannot post notices")
        }
        var scoped = actor
        scoped.region = own
        switch NoticeScope.region(region, by: scoped, regions: .standard) {
        case .success(let region): return region
        case .failure(let violation): throw ClientError(violation)
        }
    }
}
