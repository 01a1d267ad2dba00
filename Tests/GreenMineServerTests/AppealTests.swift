import Foundation
import GreenMineShared
import Testing
@testable import GreenMineServer

/// 在线申诉: what the province's answer to an appeal does to the record appealed.
struct AppealTests {
    /// Files an appeal on `record` as demo enterprise 1 and has the province accept it.
    static func acceptedAppeal(on record: GreenMineShared.Record, _ api: API, _ harness: Harness,
                               ent: inout Device, prov: inout Device) async throws -> GreenMineShared.Record {
        let enterprise = try await harness.token("demo-ent1")
        let province = try await harness.token("demo-province")
        let draft = try await api.apply(enterprise, ent, ent.create(
            .appeal, set: ["appeal.reason": .string("已完成整改，请求重新审核")], parent: record.id))
        let submitted = try await api.apply(enterprise, ent, ent.transition(draft, .submit))
        return try await api.apply(province, prov, prov.transition(submitted, .accept))
    }

    /// A pre-application of demo enterprise 1, submitted, accepted and rejected by the province.
    static func rejectedPreApplication(_ api: API, _ harness: Harness, ent: inout Device, prov: inout Device)
        async throws -> GreenMineShared.Record {
        let pre = try await api.submittedPreApplication(try await harness.token("demo-ent1"), &ent)
        let province = try await harness.token("demo-province")
        let accepted = try await api.apply(province, prov, prov.transition(pre, .accept))
        return try await api.apply(province, prov, prov.transition(accepted, .reject, comment: "材料不实"))
    }

    @Test func upholdingAnAppealOnARejectedRecordReturnsItToTheEnterprise() async throws {
        let harness = try await Harness()
        let enterprise = try await harness.token("demo-ent1")
        let province = try await harness.token("demo-province")
        try await harness.withAPI { api in
            var ent = Device()
            var prov = Device()
            let rejected = try await Self.rejectedPreApplication(api, harness, ent: &ent, prov: &prov)
            #expect(rejected.state == .rejected)
            let appeal = try await Self.acceptedAppeal(on: rejected, api, harness, ent: &ent, prov: &prov)
            let upheld = try await api.apply(province, prov, prov.transition(appeal, .approve, comment: "申诉成立"))
            #expect(upheld.state == .approved)

            let reopened = try #require(try await harness.stored(rejected.id))
            #expect(reopened.state == .returned)
            #expect(reopened.version == rejected.version + 1)
            // The enterprise sees it at its next pull, corrects it and submits it again.
            let pulled = try #require(try await api.pullAll(enterprise).records[rejected.id])
            #expect(pulled.state == .returned)
            let edited = try await api.apply(enterprise, ent, ent.patch(pulled, set: ["remarks.text": .string("已补充材料")]))
            let again = try await api.apply(enterprise, ent, ent.transition(edited, .submit))
            #expect(again.state == .submitted)
            let history = try API.decode(HistoryResponse.self,
                                         try await api.send(.get, "/v1/records/\(rejected.id)/history", token: enterprise))
            let step = try #require(history.events.first { $0.action == "upholdAppeal" })
            #expect(step.fromState == .rejected && step.toState == .returned && step.role == .province)
        }
    }

    @Test func upholdingAnAppealOnARemovedApplicationListsItAgainWithANewCertificate() async throws {
        let harness = try await Harness()
        let enterprise = try await harness.token("demo-ent1")
        let province = try await harness.token("demo-province")
        try await harness.withAPI { api in
            var ent = Device()
            var prov = Device()
            let approved = try await CertificateTests.approvedApplication(api, harness: harness)
            let removed = try await api.apply(province, prov, prov.transition(approved, .remove, comment: "抽查发现问题"))
            let appeal = try await Self.acceptedAppeal(on: removed, api, harness, ent: &ent, prov: &prov)
            _ = try await api.apply(province, prov, prov.transition(appeal, .approve, comment: "整改到位"))

            #expect(try await harness.stored(approved.id)?.state == .approved)
            let certificates = try await api.pullAll(enterprise).records.values
                .compactMap { CertificateRecordText.signed($0) }.sorted { $0.body.number < $1.body.number }
            #expect(certificates.map(\.status) == [.revoked, .valid], "the old one stays revoked; a new one is issued")
            #expect(Set(certificates.map(\.body.number)).count == 2)
        }
    }

    @Test func aRecordHasOneOpenAppealAtATime() async throws {
        let harness = try await Harness()
        let enterprise = try await harness.token("demo-ent1")
        let province = try await harness.token("demo-province")
        try await harness.withAPI { api in
            var ent = Device()
            var prov = Device()
            var other = Device()
            let rejected = try await Self.rejectedPreApplication(api, harness, ent: &ent, prov: &prov)
            let first = try await Self.acceptedAppeal(on: rejected, api, harness, ent: &ent, prov: &prov)
            let returned = try await api.apply(province, prov, prov.transition(first, .sendBack, comment: "请补充整改材料"))
            #expect(returned.state == .returned)
            // Another device of the enterprise files a second appeal while the first is returned: refused.
            try await api.expectRejected(enterprise, other, other.create(
                .appeal, set: ["appeal.reason": .string("再次申诉")], parent: rejected.id), "appeal_open")
            // The first one, corrected and submitted again, can still be upheld.
            let edited = try await api.apply(enterprise, ent, ent.patch(returned, set: ["appeal.reason": .string("已补充整改材料")]))
            let again = try await api.apply(enterprise, ent, ent.transition(edited, .submit))
            let reaccepted = try await api.apply(province, prov, prov.transition(again, .accept))
            _ = try await api.apply(province, prov, prov.transition(reaccepted, .approve))
            #expect(try await harness.stored(rejected.id)?.state == .returned)
        }
    }

    @Test func anAppealReturnedOrRejectedChangesNothing() async throws {
        let harness = try await Harness()
        let province = try await harness.token("demo-province")
        try await harness.withAPI { api in
            var ent = Device()
            var prov = Device()
            let rejected = try await Self.rejectedPreApplication(api, harness, ent: &ent, prov: &prov)
            let appeal = try await Self.acceptedAppeal(on: rejected, api, harness, ent: &ent, prov: &prov)
            _ = try await api.apply(province, prov, prov.transition(appeal, .reject, comment: "理由不成立"))
            let after = try #require(try await harness.stored(rejected.id))
            #expect(after.state == .rejected && after.version == rejected.version)
        }
    }
}
