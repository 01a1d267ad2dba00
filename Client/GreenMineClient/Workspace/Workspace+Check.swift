import Foundation
import GreenMineShared

extension Workspace {
    /// 数据检查 of a record's working copy.
    public func check(_ prefix: String, kinds: [RecordKind]) throws -> (record: LocalRecord, findings: [Finding]) {
        let local = try record(prefix, kinds: kinds)
        return (local, DataCheck.run(local.working, context: checkContext()))
    }
}
