import Foundation
import GreenMineShared
import Testing
@testable import GreenMineServer

/// 通知公告: a province posts within its province, the ministry anywhere; enterprises see them.
struct NoticeTests {
    @Test func provinceNoticesStayInTheProvinceAndReachItsEnterprises() async throws {
        let harness = try await Harness()
        let province = try await harness.token("demo-province")
        let ministry = try await harness.token("demo-ministry")
        let enterprise = try await harness.token("demo-ent1")
        try await harness.withAPI { api in
            var prov = Device()
            var admin = Device()
            let posted = try await api.apply(province, prov, prov.create(.notice, set: [
                "notice.title": .string("关于开展绿色矿山遴选的通知"), "notice.body": .string("请各企业按时申报。"),
            ]))
            #expect(posted.region == DemoData.province)
            #expect(posted.state == .approved)
            try await api.expectRejected(province, prov, prov.create(.notice, set: [
                "notice.title": .string("越界"), "notice.body": .string("x"), "notice.region": .string("410000"),
            ]), "out_of_region")
            let national = try await api.apply(ministry, admin, admin.create(.notice, set: [
                "notice.title": .string("全国通知"), "notice.body": .string("全国范围"),
            ]))
            #expect(national.region == nil)
            let seen = try await api.pullAll(enterprise).records
            #expect(seen[posted.id] != nil)
            #expect(seen[national.id] != nil)
        }
    }
}
