import Foundation
import GreenMineShared
import Testing
@testable import GreenMineServer

/// Issue 14 item 1: every transition adds its step, with the reviewer's comment, to the record's
/// `review.trail`, so the enterprise's pull brings the reason of a return.
struct ProcessTrailRouteTests {
    @Test func aReturnsCommentComesWithThePull() async throws {
        let harness = try await Harness()
        let enterprise = try await harness.token("demo-ent1")
        let province = try await harness.token("demo-province")
        try await harness.withAPI { api in
            var ent = Device()
            var prov = Device()
            let pre = try await api.submittedPreApplication(enterprise, &ent)
            let accepted = try await api.apply(province, prov, prov.transition(pre, .accept))
            let returned = try await api.apply(province, prov, prov.transition(accepted, .sendBack,
                                                                               comment: "联系人电话请补充固定电话"))
            #expect(returned.state == .returned)
            let pulled = try #require(try await api.pullAll(enterprise).records[pre.id])
            let steps = ProcessTrail.events(of: pulled)
            #expect(steps.map(\.action) == ["submit", "accept", "return"])
            let latest = try #require(ProcessTrail.comments(of: pulled).first)
            #expect(latest.comment == "联系人电话请补充固定电话")
            #expect(latest.actorName == "demo-province")
            #expect(latest.role == .province)
            #expect(latest.toState == .returned)
            // Clients cannot write it.
            try await api.expectRejected(enterprise, ent, ent.patch(pulled, set: [ProcessTrail.path: .array([])]),
                                         "field_server_managed")
        }
    }
}
