import Foundation
import GreenMineShared
import Hummingbird
import HummingbirdTesting
import Testing
@testable import GreenMineServer

/// Issue 11, the licence is the key: at submit the registry decides whether the licence exists, who
/// holds it, whether it is valid, where the mine may be, and what its registry-backed fields say.
struct LicenceRuleTests {
    private func submit(_ api: API, _ token: String, _ device: inout Device, region: String, licence: String,
                        _ code: String) async throws {
        let draft = try await api.draftPreApplication(token, &device, region: region, licence: licence)
        try await api.expectRejected(token, device, device.transition(draft, .submit), code)
    }

    @Test func anotherOrganisationsUnknownOrExpiredLicenceIsRefused() async throws {
        let harness = try await Harness()
        try await harness.services.registry.upsertLicences([
            VisibilityTests.licence(6, holder: DemoData.creditCode(1), region: Sample.region).expiring("2020-12-31"),
        ])
        let ent1 = try await harness.token("demo-ent1")
        let ent2 = try await harness.token("demo-ent2")
        try await harness.withAPI { api in
            var one = Device()
            var two = Device()
            // Enterprise 2 on enterprise 1's licence, in enterprise 1's county.
            try await submit(api, ent2, &two, region: Sample.region, licence: DemoData.licence(1), "licence_not_yours")
            // A well-formed number the registry does not know.
            try await submit(api, ent1, &one, region: Sample.region, licence: DemoData.licence(9), "licence_unknown")
            // Enterprise 1's own licence, expired.
            try await submit(api, ent1, &one, region: Sample.region, licence: DemoData.licence(6), "licence_expired")
        }
    }

    @Test func theMineLiesWhereTheRegistryAndTheOrganisationSay() async throws {
        let harness = try await Harness()
        // A (made-up) licence of enterprise 1 registered for the whole of Beijing.
        try await harness.services.registry.upsertLicences([
            VisibilityTests.licence(7, holder: DemoData.creditCode(1), region: "110000"),
        ])
        let ent1 = try await harness.token("demo-ent1")
        let province = try await harness.token("demo-province")
        try await harness.withAPI { api in
            var one = Device()
            // The other county of 石家庄, and a county of 山西: not where licence 1 lies.
            try await submit(api, ent1, &one, region: DemoData.counties[1], licence: DemoData.licence(1),
                             "region_outside_licence")
            try await submit(api, ent1, &one, region: "140105", licence: DemoData.licence(1), "region_outside_licence")
            // Inside the licence's region, but outside the Hebei enterprise's province.
            try await submit(api, ent1, &one, region: "110101", licence: DemoData.licence(7), "region_outside_province")
            // Nothing of it reached the Hebei province.
            #expect(try await api.visibleIds(province).isEmpty)
        }
    }

    @Test func registryFieldsAreTheRegistrysWhateverWasTyped() async throws {
        let harness = try await Harness()
        let ent1 = try await harness.token("demo-ent1")
        let province = try await harness.token("demo-province")
        try await harness.withAPI { api in
            var ent = Device()
            var prov = Device()
            let pre = try await api.submittedPreApplication(ent1, &ent)
            _ = try await api.approvedByProvince(pre, province: province, &prov)
            var fields = Sample.applicationFields()
            fields["basic.mineName"] = .string("随便写的矿山")
            fields["basic.holder"] = .string("别人家的公司")
            fields["basic.area"] = .double(999)
            let application = try await api.apply(ent1, ent, ent.create(.application, set: fields))
            let submitted = try await api.apply(ent1, ent, ent.transition(application, .submit))
            #expect(submitted.state == .submitted)
            #expect(submitted.fields["basic.mineName"] == .string("长安区绿源石灰岩矿"))
            #expect(submitted.fields["basic.holder"] == .string("石家庄长安绿源矿业有限公司"))
            #expect(submitted.fields["basic.area"] == .double(1.2))
        }
    }

    @Test func validityIsACalendarDayInChina() {
        let info = VisibilityTests.licence(1, holder: "X", region: "130102").expiring("2026-12-06")
        // 2026-12-06 23:30 in Beijing is still the 6th: valid; 16:30 UTC is 00:30 on the 7th there.
        let lateOnTheSixth = Date(timeIntervalSince1970: 1_796_571_000) // 2026-12-06T15:30:00Z
        let earlyOnTheSeventh = Date(timeIntervalSince1970: 1_796_574_600) // 2026-12-06T16:30:00Z
        #expect(LicenceRules.submitViolation(number: info.number, licence: info, orgId: "X", today: lateOnTheSixth) == nil)
        #expect(LicenceRules.submitViolation(number: info.number, licence: info, orgId: "X",
                                             today: earlyOnTheSeventh)?.code == "licence_expired")
    }
}

extension LicenceInfo {
    /// The same entry, valid until `day`.
    func expiring(_ day: String) -> LicenceInfo {
        var copy = self
        copy.validTo = day
        return copy
    }
}
