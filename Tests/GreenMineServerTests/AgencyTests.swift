import Foundation
import GRDB
import GreenMineShared
import Testing
@testable import GreenMineServer

/// Assessment agencies are entities the server keeps: assignments name one that exists, the province
/// may give an application in `assessing` to another agency, and the old agency loses it (issue 11).
struct AgencyTests {
    static let password = "Str0ng-enough"

    /// An accepted application of demo enterprise 1 (its pre-application approved).
    static func acceptedApplication(_ api: API, enterprise: String, province: String, ent: inout Device,
                                    prov: inout Device) async throws -> GreenMineShared.Record {
        let pre = try await api.submittedPreApplication(enterprise, &ent)
        _ = try await api.approvedByProvince(pre, province: province, &prov)
        let application = try await api.submittedApplication(enterprise, &ent)
        return try await api.apply(province, prov, prov.transition(application, .accept))
    }

    @Test func anAssignmentNamingNoAgencyIsRefusedAndTheApplicationStaysWithTheProvince() async throws {
        let harness = try await Harness()
        let enterprise = try await harness.token("demo-ent1")
        let province = try await harness.token("demo-province")
        try await harness.withAPI { api in
            var ent = Device()
            var prov = Device()
            let accepted = try await Self.acceptedApplication(api, enterprise: enterprise, province: province,
                                                              ent: &ent, prov: &prov)
            let refused = try await api.expectRejected(province, prov, prov.transition(accepted, .assign, agency: "不存在的机构"),
                                                       "agency_unknown")
            #expect(refused.error?.messageZh?.contains("不存在的机构") == true)
            #expect(try await harness.stored(accepted.id)?.state == .underReview)
            // By code (any case): stored under the agency's name.
            let code = try #require(try await harness.services.registry.agencies().first { $0.name == DemoData.agency }?.code)
            let assigned = try await api.apply(province, prov, prov.transition(accepted, .assign, agency: code.lowercased()))
            #expect(assigned.state == .assessing)
            #expect(assigned.fields[WorkflowFields.agency] == .string(DemoData.agency))
        }
    }

    @Test func anAgencyOfAnotherProvinceIsRefused() async throws {
        let harness = try await Harness()
        _ = try await AdminService(services: harness.services).addAgency(name: "北京某评估公司", provinces: ["110000"])
        let enterprise = try await harness.token("demo-ent1")
        let province = try await harness.token("demo-province")
        try await harness.withAPI { api in
            var ent = Device()
            var prov = Device()
            let accepted = try await Self.acceptedApplication(api, enterprise: enterprise, province: province,
                                                              ent: &ent, prov: &prov)
            try await api.expectRejected(province, prov, prov.transition(accepted, .assign, agency: "北京某评估公司"),
                                         "agency_out_of_province")
        }
    }

    @Test func theProvinceReassignsAndTheOldAgencyLosesTheApplication() async throws {
        let harness = try await Harness()
        let admin = AdminService(services: harness.services)
        _ = try await admin.addUser(NewUser(username: "other-assessor", role: .assessor, agency: Harness.otherAgency),
                                    password: Self.password)
        let enterprise = try await harness.token("demo-ent1")
        let province = try await harness.token("demo-province")
        let ministry = try await harness.token("demo-ministry")
        let oldAssessor = try await harness.token("demo-assessor")
        let newAssessor = try await harness.services.auth.login(username: "other-assessor", password: Self.password,
                                                                address: "t").token
        try await harness.withAPI { api in
            var ent = Device()
            var prov = Device()
            var old = Device()
            var new = Device()
            let accepted = try await Self.acceptedApplication(api, enterprise: enterprise, province: province,
                                                              ent: &ent, prov: &prov)
            let first = try await api.apply(province, prov, prov.transition(accepted, .assign, agency: DemoData.agency))
            let evidence = try await api.apply(enterprise, ent, ent.create(
                .evidence, set: ["evidence.indicator": .string("1.1.1")], parent: first.id))
            // The old agency scores everything, but does not submit.
            let draft = try await api.apply(oldAssessor, old, old.create(
                .assessment, set: WorkflowPathTests.assessmentFields(share: 0.9), parent: first.id))
            #expect(draft.fields[WorkflowFields.agency] == .string(DemoData.agency))
            let before = try await api.pullAll(oldAssessor)
            #expect(Set(before.records.keys) == [first.id, evidence.id, draft.id])

            let second = try await api.apply(province, prov, prov.transition(first, .assign, agency: Harness.otherAgency))
            #expect(second.state == .assessing)
            #expect(second.fields[WorkflowFields.agency] == .string(Harness.otherAgency))
            #expect(second.fields[WorkflowFields.catalogue] == first.fields[WorkflowFields.catalogue])

            // The old agency's next pull forgets all three; it can no longer act on them.
            let after = try await api.pullAll(oldAssessor, after: before.cursor)
            #expect(after.records.isEmpty)
            #expect(after.gone == [first.id, evidence.id, draft.id])
            try await api.expectRejected(oldAssessor, old, old.patch(draft, set: [:]), "not_found")
            try await api.expectRejected(oldAssessor, old, old.transition(first, .completeAssessment), "not_found")
            // The new agency sees the application and its evidence, not the other agency's scores,
            // which do not count for it.
            #expect(Set(try await api.pullAll(newAssessor).records.keys) == [second.id, evidence.id])
            try await api.expectRejected(newAssessor, new, new.transition(second, .completeAssessment),
                                         "assessment_missing")
            // The authorities keep seeing the old assessment (process monitoring).
            #expect(try await api.visibleIds(province).contains(draft.id))
            #expect(try await api.visibleIds(ministry).contains(draft.id))
            // The new agency assesses; the province approves on its assessment.
            try await harness.shareSampleBlobs()  // the report's PDF, as the new agency's assessor uploaded it
            let own = try await api.scoredWithReport(newAssessor, &new, application: second.id, share: 0.9)
            #expect(own.fields[WorkflowFields.agency] == .string(Harness.otherAgency))
            let assessed = try await api.apply(newAssessor, new, new.transition(second, .completeAssessment))
            let approved = try await api.apply(province, prov, prov.transition(assessed, .approve))
            #expect(approved.state == .approved)
        }
    }

    @Test func agenciesAreAddedCheckedAndListedPerRole() async throws {
        let harness = try await Harness()
        let admin = AdminService(services: harness.services)
        await AdminServiceTests.expectRefusal("agency_exists") { _ = try await admin.addAgency(name: DemoData.agency) }
        await AdminServiceTests.expectRefusal("agency_exists") {
            _ = try await admin.addAgency(name: "新机构", code: "ag0001")
        }
        await AdminServiceTests.expectRefusal("agency_name") { _ = try await admin.addAgency(name: "  ") }
        await AdminServiceTests.expectRefusal("agency_code") { _ = try await admin.addAgency(name: "新机构", code: "a b") }
        await AdminServiceTests.expectRefusal("region_level") {
            _ = try await admin.addAgency(name: "新机构", provinces: [DemoData.city])
        }
        let beijing = try await admin.addAgency(name: "北京某评估公司", code: "BJ-1", provinces: ["110000"])
        #expect(beijing == Agency(code: "BJ-1", name: "北京某评估公司", provinces: ["110000"]))
        let next = try await admin.addAgency(name: "  全国某评估公司 ")
        #expect(next.name == "全国某评估公司")
        #expect(next.code == "AG0003")
        #expect(try await harness.services.registry.agencies().map(\.code) == ["AG0001", "AG0002", "AG0003", "BJ-1"])

        // An assessor account names an agency that exists, by name or code; it carries the name.
        await AdminServiceTests.expectRefusal("agency_unknown") {
            _ = try await admin.addUser(NewUser(username: "assessor-x", role: .assessor, agency: "不存在的机构"),
                                        password: Self.password)
        }
        let byCode = try await admin.addUser(NewUser(username: "assessor-bj", role: .assessor, agency: "bj-1"),
                                             password: Self.password)
        #expect(byCode.agency == "北京某评估公司")

        try await harness.withAPI { api in
            func listed(_ token: String) async throws -> [String] {
                let response = try await api.send(.get, "/v1/agencies", token: token)
                #expect(response.status == .ok)
                return try API.decode(AgenciesResponse.self, response).agencies.map(\.name)
            }
            let province = try await harness.token("demo-province")
            #expect(try await listed(province) == [DemoData.agency, Harness.otherAgency, "全国某评估公司"])
            #expect(try await listed(try await harness.token("demo-ministry")).count == 4)
            #expect(try await listed(try await harness.token("demo-assessor")) == [DemoData.agency])
            #expect(try await listed(try await harness.token("demo-ent1")).isEmpty)
            let unauthorised = try await api.send(.get, "/v1/agencies")
            #expect(unauthorised.status == .unauthorized)
        }
    }

    @Test func theAdminCommandAddsAndListsAgencies() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("greenmine-agencies-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = ["--data", directory.path]
        let add = try AgenciesCommand.AddAgency.parse(["河北某评估中心", "--code", "HB-7", "--province", "130000"] + data)
        try await add.run()
        let again = try AgenciesCommand.AddAgency.parse(["河北某评估中心"] + data)
        do {
            try await again.run()
            Issue.record("a second agency of the same name was added")
        } catch {
            #expect("\(error)".contains("agency_exists"))
            #expect("\(error)".contains("已存在"))
        }
        let list = try AgenciesCommand.ListAgencies.parse(data + ["--json"])
        try await list.run()
        let services = try await DataOptions.parse(data).services()
        #expect(try await services.registry.agencies() == [Agency(code: "HB-7", name: "河北某评估中心", provinces: ["130000"])])
    }

    @Test func theMigrationMakesAnAgencyOfEveryNameInUse() async throws {
        let queue = try DatabaseQueue()
        let migrator = ServerSchema.migrator
        try migrator.migrate(queue, upTo: "v7-record-files")
        let application = UUID()
        let assessment = UUID()
        try await queue.write { db in
            try db.execute(sql: """
                INSERT INTO users (id, username, role, agency, password_hash, password_salt, kdf, created_at)
                VALUES ('u1', 'a1', 'assessor', '乙评估机构', x'00', x'00', 'scrypt', 0),
                       ('u2', 'a2', 'assessor', '甲评估机构', x'00', x'00', 'scrypt', 0);
                INSERT INTO records (id, kind, version, state, agency, review_visible, change_seq, body)
                VALUES (?, 'application', 5, 'assessing', '丙评估机构', 1, 1, '{"fields":{"review.agency":"丙评估机构"}}'),
                       (?, 'assessment', 2, 'draft', '丙评估机构', 1, 2, '{"fields":{"scores.1":3}}');
                INSERT INTO record_versions (record_id, version, user_id, changed_paths, body, created_at)
                VALUES (?, 2, 'u3', '[]', '{"fields":{"scores.1":3}}', 0);
                """, arguments: [application.uuidString, assessment.uuidString, assessment.uuidString])
        }
        try migrator.migrate(queue)
        let (agencies, body, snapshot) = try await queue.read { db in
            (try AgencyRows.all(db),
             try String.fetchOne(db, sql: "SELECT body FROM records WHERE id = ?", arguments: [assessment.uuidString]),
             try String.fetchOne(db, sql: "SELECT body FROM record_versions WHERE record_id = ?",
                                 arguments: [assessment.uuidString]))
        }
        // One agency per name in use, coded in order of name, serving every province.
        let names = ["甲评估机构", "乙评估机构", "丙评估机构"].sorted()
        #expect(agencies == names.enumerated().map { Agency(code: String(format: "AG%04d", $0.offset + 1), name: $0.element) })
        #expect(Set(agencies.map(\.name)) == ["甲评估机构", "乙评估机构", "丙评估机构"])
        #expect(body?.contains("\"review.agency\":\"丙评估机构\"") == true)
        #expect(snapshot == body)
    }
}
