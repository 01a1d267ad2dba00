import Foundation
import GreenMineShared
import Testing
@testable import GreenMineServer

/// A mutation refused after it has written something leaves nothing behind; the rest of its batch
/// (and its transaction) goes on.
struct SavepointTests {
    static func notice(_ id: UUID) -> StoredRecord {
        StoredRecord(record: Record(id: id, kind: .notice, version: 1, state: .approved, region: "130000",
                                    fields: ["notice.title": .string("测试")]), creatorClient: nil)
    }

    @Test func writesOfARefusedMutationAreUndoneAndTheBatchGoesOn() async throws {
        let harness = try await Harness()
        let before = try await harness.counts()
        let refusedId = UUID()
        let keptId = UUID()
        let outcome = try await harness.services.records.write { tx -> (refused: Bool, kept: Bool) in
            do {
                _ = try await tx.undoingOnError { () -> Int in
                    try await tx.save(Self.notice(refusedId), parent: nil, changedPaths: ["@created"], userId: "test",
                                clientId: nil, at: Date())
                    throw Refusal(code: "late_refusal", en: "refused after a write", zh: "写入后拒绝")
                }
            } catch is Refusal {}
            let kept = try await tx.undoingOnError { () -> Bool in
                try await tx.save(Self.notice(keptId), parent: nil, changedPaths: ["@created"], userId: "test",
                            clientId: nil, at: Date())
                return true
            }
            return (try await tx.exists(refusedId), kept)
        }
        #expect(!outcome.refused, "the refused mutation's record was undone")
        #expect(outcome.kept)
        #expect(try await harness.stored(refusedId) == nil)
        #expect(try await harness.stored(keptId) != nil)
        let after = try await harness.counts()
        #expect(after.records == before.records + 1 && after.versions == before.versions + 1
                && after.changes == before.changes + 1, "\(before) → \(after)")
    }
}
