import Foundation
import GreenMineShared
import Hummingbird
import HummingbirdTesting
import Testing
@testable import GreenMineServer

/// The authorization matrix over every role: who pulls what, whose history answers, whose records a
/// push may touch.
struct VisibilityTests {
    /// Records spread over regions and states, and every demo account's token.
    struct World: Sendable {
        var tokens: [String: String] = [:]
        /// Enterprise 1, 130102, draft.
        var draft: UUID
        /// Enterprise 1, 130102 (county 1), submitted.
        var county1: UUID
        /// Enterprise 2, 130104 (county 2, same city), submitted.
        var county2: UUID
        /// Enterprise 1, region chosen only down to the city (130100), submitted.
        var cityLevel: UUID
        /// Enterprise 1, 130202 (a county of another city of the province), submitted.
        var otherCity: UUID
        /// Enterprise 1, 110101 (another province), submitted.
        var otherProvince: UUID

        var all: Set<UUID> { [draft, county1, county2, cityLevel, otherCity, otherProvince] }
    }

    /// A registry entry for demo licence `n`.
    static func licence(_ n: Int, holder: String, region: String) -> LicenceInfo {
        LicenceInfo(number: DemoData.licence(n), holder: "矿业\(n)", creditCode: holder, mineName: "矿山\(n)",
                    mainMineral: "石灰岩", miningMethod: "openPit", scale: 10, area: 1, region: region,
                    validFrom: "2021-01-01", validTo: "2031-12-31")
    }

    /// An enterprise in 北京市东城区 with a licence there; returns its token.
    static func beijingEnterprise(_ harness: Harness) async throws -> String {
        let admin = AdminService(services: harness.services)
        try await admin.addOrganisation(Organisation(creditCode: DemoData.creditCode(5), name: "北京东城矿业", region: "110101"))
        _ = try await admin.addUser(NewUser(username: "bj-ent", role: .enterprise, orgId: DemoData.creditCode(5)),
                                    password: "Beijing-pass1")
        try await harness.services.registry.upsertLicences([licence(5, holder: DemoData.creditCode(5), region: "110101")])
        try await harness.shareSampleBlobs()
        return try await harness.services.auth.login(username: "bj-ent", password: "Beijing-pass1", address: "setup").token
    }

    static func world(_ harness: Harness, _ api: API) async throws -> World {
        var tokens: [String: String] = [:]
        for name in ["demo-ent1", "demo-ent2", "demo-county", "demo-city", "demo-province", "demo-assessor",
                     "demo-ministry"] {
            tokens[name] = try await harness.token(name)
        }
        let ent1 = try #require(tokens["demo-ent1"])
        let ent2 = try #require(tokens["demo-ent2"])
        var one = Device()
        var two = Device()
        // The registry places enterprise 1's other mines in 石家庄市 as a whole and in 唐山市路南区;
        // a Beijing enterprise has a mine in 东城区 (a record may lie only where its licence does).
        let beijing = try await Self.beijingEnterprise(harness)
        try await harness.services.registry.upsertLicences([
            Self.licence(3, holder: DemoData.creditCode(1), region: DemoData.city),
            Self.licence(4, holder: DemoData.creditCode(1), region: "130202"),
        ])
        tokens["bj-ent"] = beijing
        var three = Device()
        let draft = try await api.draftPreApplication(ent1, &one)
        let county1 = try await api.submittedPreApplication(ent1, &one)
        let county2 = try await api.submittedPreApplication(ent2, &two, region: DemoData.counties[1],
                                                            licence: DemoData.licence(2))
        let cityLevel = try await api.submittedPreApplication(ent1, &one, region: DemoData.city,
                                                              licence: DemoData.licence(3))
        let otherCity = try await api.submittedPreApplication(ent1, &one, region: "130202", licence: DemoData.licence(4))
        let otherProvince = try await api.submittedPreApplication(beijing, &three, region: "110101",
                                                                  licence: DemoData.licence(5))
        return World(tokens: tokens, draft: draft.id, county1: county1.id, county2: county2.id,
                     cityLevel: cityLevel.id, otherCity: otherCity.id, otherProvince: otherProvince.id)
    }

    @Test func eachRolePullsExactlyWhatItMaySee() async throws {
        let harness = try await Harness()
        try await harness.withAPI { api in
            let w = try await Self.world(harness, api)
            let expected: [String: Set<UUID>] = [
                "demo-ent1": [w.draft, w.county1, w.cityLevel, w.otherCity],
                "bj-ent": [w.otherProvince],
                "demo-ent2": [w.county2],
                "demo-county": [w.county1],
                "demo-city": [w.county1, w.county2],
                "demo-province": [w.county1, w.county2, w.cityLevel, w.otherCity],
                "demo-assessor": [],
                "demo-ministry": [w.county1, w.county2, w.cityLevel, w.otherCity, w.otherProvince],
            ]
            for (name, ids) in expected {
                let token = try #require(w.tokens[name])
                #expect(try await api.visibleIds(token) == ids, "\(name)")
                // Paging one record at a time gives the same set.
                #expect(Set(try await api.pullAll(token, limit: 1).records.keys) == ids, "\(name), paged")
                // History answers exactly for the same records; 404 for the rest, never 403.
                for id in w.all {
                    let response = try await api.history(token, id)
                    if ids.contains(id) {
                        #expect(response.status == .ok, "\(name) history of a visible record")
                    } else {
                        try API.expectError(response, .notFound, "not_found")
                    }
                }
            }
        }
    }

    @Test func nobodyTouchesRecordsTheyMayNotSee() async throws {
        let harness = try await Harness()
        try await harness.withAPI { api in
            let w = try await Self.world(harness, api)
            let ent2 = try #require(w.tokens["demo-ent2"])
            let county = try #require(w.tokens["demo-county"])
            let city = try #require(w.tokens["demo-city"])
            let assessor = try #require(w.tokens["demo-assessor"])
            let counts = try await harness.counts()
            var device = Device()
            // Enterprise 2 cannot patch, delete, submit or attach to enterprise 1's records.
            for id in [w.draft, w.county1] {
                try await api.expectRejected(ent2, device, device.patch(id, .preApplication, base: 1,
                                                                        set: ["remarks.text": .string("入侵")]),
                                             "not_found")
                try await api.expectRejected(ent2, device, device.transition(id, .preApplication, base: 3, .submit),
                                             "not_found")
                try await api.expectRejected(ent2, device, device.delete(GreenMineShared.Record(
                    id: id, kind: .preApplication, version: 1)), "not_found")
                try await api.expectRejected(ent2, device, device.attach(GreenMineShared.Record(
                    id: id, kind: .preApplication, version: 1), slot: "pre.image", sha256: Sample.imageSHA),
                                             "not_found")
                // Nor hang children on them.
                try await api.expectRejected(ent2, device, device.create(.appeal, set: [:], parent: id),
                                             "parent_not_found")
            }
            // Reviewers outside the record's reach cannot act on it.
            var reviewer = Device()
            for id in [w.county2, w.cityLevel, w.otherCity] {
                try await api.expectRejected(county, reviewer, reviewer.transition(
                    id, .preApplication, base: 3, .opinion, comment: "越权"), "not_found")
            }
            var cityDevice = Device()
            try await api.expectRejected(city, cityDevice, cityDevice.transition(
                w.cityLevel, .preApplication, base: 3, .opinion, comment: "越权"), "not_found")
            var agency = Device()
            try await api.expectRejected(assessor, agency, agency.create(.assessment, set: [:], parent: w.county1),
                                         "parent_not_found")
            #expect(try await harness.counts().writes == counts.writes)
        }
    }

    @Test func aWithdrawalIsGoneForReviewersAndBackOnResubmission() async throws {
        let harness = try await Harness()
        let enterprise = try await harness.token("demo-ent1")
        let county = try await harness.token("demo-county")
        let city = try await harness.token("demo-city")
        let province = try await harness.token("demo-province")
        let ministry = try await harness.token("demo-ministry")
        try await harness.withAPI { api in
            var ent = Device()
            let submitted = try await api.submittedPreApplication(enterprise, &ent)
            var cursors: [String: String] = [:]
            for (name, token) in [("county", county), ("city", city), ("province", province), ("ministry", ministry)] {
                let first = try await api.pullAll(token)
                #expect(first.records[submitted.id]?.state == .submitted, "\(name)")
                cursors[name] = first.cursor
            }
            let withdrawn = try await api.apply(enterprise, ent, ent.transition(submitted, .withdraw))
            #expect(withdrawn.state == .draft)
            for (name, token) in [("county", county), ("city", city), ("province", province), ("ministry", ministry)] {
                let next = try await api.pullAll(token, after: cursors[name])
                #expect(next.gone == [submitted.id], "\(name)")
                #expect(next.records.isEmpty, "\(name)")
                cursors[name] = next.cursor
                try API.expectError(try await api.history(token, submitted.id), .notFound, "not_found")
            }
            // A reviewer acting on the withdrawn record is told why.
            var reviewer = Device()
            try await api.expectRejected(province, reviewer, reviewer.transition(submitted, .accept), "withdrawn")
            // A draft never submitted is not known to exist: not_found, as for an id nobody has.
            let neverSubmitted = try await api.draftPreApplication(enterprise, &ent)
            try await api.expectRejected(province, reviewer, reviewer.transition(neverSubmitted, .accept), "not_found")
            // The enterprise still has it, as a draft.
            #expect(try await api.pullAll(enterprise).records[submitted.id]?.state == .draft)
            // Submitted again, it comes back.
            _ = try await api.apply(enterprise, ent, ent.transition(withdrawn, .submit))
            for (name, token) in [("county", county), ("city", city), ("province", province), ("ministry", ministry)] {
                let next = try await api.pullAll(token, after: cursors[name])
                #expect(next.records[submitted.id]?.state == .submitted, "\(name)")
                #expect(next.gone.isEmpty, "\(name)")
            }
        }
    }

    @Test func aRecordMovedToAnotherCountyIsGoneForTheOldCountyOnce() async throws {
        let harness = try await Harness()
        let enterprise = try await harness.token("demo-ent1")
        let county = try await harness.token("demo-county")
        let city = try await harness.token("demo-city")
        let province = try await harness.token("demo-province")
        try await harness.withAPI { api in
            var ent = Device()
            var prov = Device()
            let submitted = try await api.submittedPreApplication(enterprise, &ent)
            let countyFirst = try await api.pullAll(county)
            let cityFirst = try await api.pullAll(city)
            let provinceFirst = try await api.pullAll(province)
            #expect(countyFirst.records[submitted.id] != nil && cityFirst.records[submitted.id] != nil)
            let accepted = try await api.apply(province, prov, prov.transition(submitted, .accept))
            let returned = try await api.apply(province, prov, prov.transition(accepted, .sendBack, comment: "所在行政区有误"))
            // The enterprise corrects the county: 长安区 → 桥西区, both in 石家庄市.
            let moved = try await api.apply(enterprise, ent, ent.patch(returned, set: [
                "basic.region": .string(DemoData.counties[1])]))
            #expect(moved.region == DemoData.counties[1])

            let countyNext = try await api.pullAll(county, after: countyFirst.cursor)
            #expect(countyNext.gone == [submitted.id], "the old county is told it is gone")
            #expect(countyNext.records[submitted.id] == nil)
            // Asked as `greenmine` asks, naming its client: the same page and exits, with the client's last
            // seq beside them (0 for a client the server has not seen; PostgreSQL answers all in one statement).
            let countyNamed = try await api.pull(county, after: countyFirst.cursor, clientId: Device().clientId)
            #expect(countyNamed.gone == [submitted.id] && countyNamed.lastSeq == 0)
            let provinceNamed = try await api.pull(province, after: provinceFirst.cursor, clientId: prov.clientId)
            #expect(provinceNamed.records.map(\.id) == [submitted.id] && provinceNamed.lastSeq == 2)
            let countyAgain = try await api.pullAll(county, after: countyNext.cursor)
            #expect(countyAgain.gone.isEmpty && countyAgain.records.isEmpty, "and only once")
            try API.expectError(try await api.history(county, submitted.id), .notFound, "not_found")

            let cityNext = try await api.pullAll(city, after: cityFirst.cursor)
            #expect(cityNext.records[submitted.id]?.region == DemoData.counties[1], "the city still sees it")
            #expect(cityNext.gone.isEmpty)
        }
    }

    @Test func draftsOfOthersNeverReachReviewersEvenAsGone() async throws {
        let harness = try await Harness()
        let enterprise = try await harness.token("demo-ent1")
        let county = try await harness.token("demo-county")
        let province = try await harness.token("demo-province")
        try await harness.withAPI { api in
            var ent = Device()
            _ = try await api.submittedPreApplication(enterprise, &ent)
            let countyStart = try await api.pullAll(county)
            let provinceStart = try await api.pullAll(province)
            #expect(countyStart.records.count == 1)
            // New drafts, edited and deleted, in the reviewers' region.
            let draft = try await api.draftPreApplication(enterprise, &ent)
            let edited = try await api.apply(enterprise, ent, ent.patch(draft, set: ["remarks.text": .string("草稿")]))
            let scrap = try await api.apply(enterprise, ent, ent.create(.preApplication, set: Sample.preApplicationFields()))
            _ = try await api.apply(enterprise, ent, ent.delete(scrap))
            #expect(edited.state == .draft)
            for (token, start) in [(county, countyStart), (province, provinceStart)] {
                let next = try await api.pullAll(token, after: start.cursor)
                #expect(next.records.isEmpty)
                #expect(next.gone.isEmpty, "a reviewer learns nothing of drafts, not even their ids")
            }
        }
    }

    @Test func theAssessorSeesOnlyItsAgencysAssignments() async throws {
        let harness = try await Harness()
        let enterprise = try await harness.token("demo-ent1")
        let province = try await harness.token("demo-province")
        let assessor = try await harness.token("demo-assessor")
        try await harness.withAPI { api in
            var ent = Device()
            var prov = Device()
            let pre = try await api.submittedPreApplication(enterprise, &ent)
            _ = try await api.approvedByProvince(pre, province: province, &prov)
            let first = try await api.submittedApplication(enterprise, &ent)
            let second = try await api.submittedApplication(enterprise, &ent)
            let third = try await api.submittedApplication(enterprise, &ent)
            let a1 = try await api.apply(province, prov, prov.transition(first, .accept))
            _ = try await api.apply(province, prov, prov.transition(a1, .assign, agency: DemoData.agency))
            let a2 = try await api.apply(province, prov, prov.transition(second, .accept))
            _ = try await api.apply(province, prov, prov.transition(a2, .assign, agency: "另一家评估机构"))
            _ = try await api.apply(province, prov, prov.transition(third, .accept))
            // Evidence added to the assigned application reaches the assessor with it.
            let evidence = try await api.apply(enterprise, ent, ent.create(
                .evidence, set: ["evidence.indicator": .string("1.1.1")], parent: first.id))
            let seen = try await api.pullAll(assessor).records
            #expect(Set(seen.keys) == [first.id, evidence.id])
            try API.expectError(try await api.history(assessor, second.id), .notFound, "not_found")
            try API.expectError(try await api.history(assessor, pre.id), .notFound, "not_found")
            #expect(try await api.history(assessor, first.id).status == .ok)
            var agency = Device()
            try await api.expectRejected(assessor, agency, agency.create(.assessment, set: [:], parent: second.id),
                                         "parent_not_found")
        }
    }

    @Test func profilesAreTheirOwnersOnly() async throws {
        let harness = try await Harness()
        let ent1 = try await harness.token("demo-ent1")
        let ent2 = try await harness.token("demo-ent2")
        let ministry = try await harness.token("demo-ministry")
        try await harness.withAPI { api in
            var one = Device()
            var two = Device()
            let profile = try await api.apply(ent1, one, one.create(.profile, set: ["profile.name": .string("张三")]))
            #expect(Set(try await api.pullAll(ent1).records.keys) == [profile.id])
            #expect(try await api.pullAll(ent2).records.isEmpty)
            #expect(try await api.pullAll(ministry).records.isEmpty)
            try await api.expectRejected(ent2, two, two.patch(profile, set: ["profile.name": .string("李四")]),
                                         "not_found")
            try API.expectError(try await api.history(ent2, profile.id), .notFound, "not_found")
        }
    }
}
