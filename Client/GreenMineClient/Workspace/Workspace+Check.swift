import Foundation
import GreenMineShared

extension Workspace {
    /// 数据检查 of a record's working copy.
    public func check(_ prefix: String, kinds: [RecordKind]) throws -> (record: LocalRecord, findings: [Finding]) {
        let local = try record(prefix, kinds: kinds)
        let context = checkContext()
        let registry = try store.read { try RegistryFindings.of($0, local.working, orgId: user.orgId, now: context.now) }
        return (local, DataCheck.run(local.working, context: context) + registry)
    }
}
