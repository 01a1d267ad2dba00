import Foundation
import GreenMineShared
import Testing
@testable import GreenMineServer

/// Administration: accounts and organisations, the licence registry import, catalogue import.
struct AdminServiceTests {
    /// A credit code whose check character is wrong.
    static var badCreditCode: String {
        let good = DemoData.creditCode(1)
        return String(good.dropLast()) + (good.last == "0" ? "1" : "0")
    }

    static func code(of error: any Error) -> String? {
        (error as? ServiceError)?.detail.code
    }

    /// Runs `body`, expecting a `ServiceError` with this code.
    static func expectRefusal(_ code: String, sourceLocation: SourceLocation = #_sourceLocation,
                              _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("expected \(code), nothing was thrown", sourceLocation: sourceLocation)
        } catch {
            #expect(Self.code(of: error) == code, "\(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func addUserChecksRoleScopeAndPassword() async throws {
        let harness = try await Harness()
        let admin = AdminService(services: harness.services)
        let password = "Str0ng-enough"
        let before = try await harness.services.accounts.users().count
        await Self.expectRefusal("region_level") {
            _ = try await admin.addUser(NewUser(username: "county-x", role: .county, region: DemoData.city), password: password)
        }
        await Self.expectRefusal("region_level") {
            _ = try await admin.addUser(NewUser(username: "county-y", role: .county), password: password)
        }
        await Self.expectRefusal("region_level") {
            _ = try await admin.addUser(NewUser(username: "city-x", role: .city, region: "130102"), password: password)
        }
        await Self.expectRefusal("region_level") {
            _ = try await admin.addUser(NewUser(username: "prov-x", role: .province, region: DemoData.city), password: password)
        }
        await Self.expectRefusal("region_level") {
            _ = try await admin.addUser(NewUser(username: "prov-y", role: .province, region: "999999"), password: password)
        }
        await Self.expectRefusal("org_unknown") {
            _ = try await admin.addUser(NewUser(username: "ent-x", role: .enterprise), password: password)
        }
        await Self.expectRefusal("org_unknown") {
            _ = try await admin.addUser(NewUser(username: "ent-y", role: .enterprise, orgId: DemoData.creditCode(9)),
                                        password: password)
        }
        await Self.expectRefusal("agency_required") {
            _ = try await admin.addUser(NewUser(username: "assessor-x", role: .assessor, agency: "  "), password: password)
        }
        for weak in ["short1", "lettersonly", "1234567890", "Weak-user-9"] {
            await Self.expectRefusal("weak_password") {
                _ = try await admin.addUser(NewUser(username: "weak-user-9", role: .ministry), password: weak)
            }
        }
        // "café" decomposed (e + U+0301): logins look names up in NFC, so this account could never log in.
        for name in ["ab", " padded", "has space", String(repeating: "x", count: 65), "cafe\u{301}"] {
            await Self.expectRefusal("bad_username") {
                _ = try await admin.addUser(NewUser(username: name, role: .ministry), password: password)
            }
        }
        await Self.expectRefusal("user_exists") {
            _ = try await admin.addUser(NewUser(username: "DEMO-ENT1", role: .enterprise, orgId: DemoData.creditCode(1)),
                                        password: password)
        }
        #expect(try await harness.services.accounts.users().count == before)

        // Valid accounts of every role.
        let county = try await admin.addUser(NewUser(username: "county-2", role: .county, region: "130104"),
                                             password: password)
        #expect(county.region == "130104")
        #expect(county.role == .county)
        let city = try await admin.addUser(NewUser(username: "city-2", role: .city, region: "130200"), password: password)
        #expect(city.region == "130200")
        let enterprise = try await admin.addUser(NewUser(username: "ent-2b", role: .enterprise,
                                                         orgId: DemoData.creditCode(2)), password: password)
        #expect(enterprise.orgId == DemoData.creditCode(2))
        #expect(enterprise.orgName == "石家庄桥西恒石建材有限公司")
        _ = try await admin.addUser(NewUser(username: "assessor-2", role: .assessor, agency: "另一家评估机构"),
                                    password: password)
        #expect(try await harness.services.accounts.users().count == before + 4)
        // The new account logs in, and its scope is what was given.
        let login = try await harness.services.auth.login(username: "county-2", password: password, address: "t")
        #expect(login.user == county)
    }

    @Test func addOrganisationChecksItsFields() async throws {
        let harness = try await Harness()
        let admin = AdminService(services: harness.services)
        await Self.expectRefusal("org_exists") {
            try await admin.addOrganisation(Organisation(creditCode: DemoData.creditCode(1), name: "重复", region: "130102"))
        }
        await Self.expectRefusal("name_required") {
            try await admin.addOrganisation(Organisation(creditCode: DemoData.creditCode(3), name: "  ", region: "130102"))
        }
        do {
            try await admin.addOrganisation(Organisation(creditCode: Self.badCreditCode, name: "坏代码", region: "130102"))
            Issue.record("an invalid credit code was accepted")
        } catch {
            #expect(Self.code(of: error)?.hasPrefix("credit_code") == true, "\(error)")
        }
        do {
            try await admin.addOrganisation(Organisation(creditCode: DemoData.creditCode(3), name: "新公司", region: "999999"))
            Issue.record("an unknown region was accepted")
        } catch {
            #expect(Self.code(of: error) != nil, "\(error)")
        }
        try await admin.addOrganisation(Organisation(creditCode: DemoData.creditCode(3), name: "新公司", region: "130105"))
        #expect(try await harness.services.accounts.organisation(DemoData.creditCode(3))?.name == "新公司")
    }

    @Test func licenceImportKeepsGoodRowsAndReportsBadOnesByLine() async throws {
        let harness = try await Harness()
        let admin = AdminService(services: harness.services)
        let good1 = "C1301002020127130000501"
        let good2 = "C1301002020127130000502"
        let csv = """
            number,holder,credit_code,mine_name,main_mineral,mining_method,scale,area,region,valid_from,valid_to
            \(good1),"石家庄""新""矿业有限公司",\(DemoData.creditCode(1)),新矿,水泥用灰岩,露天开采,50,1.5,130102,2022-01-01,2032-01-01
            c130100,坏证号,\(DemoData.creditCode(1)),坏矿,石灰岩,openPit,1,1,130102,2022-01-01,2032-01-01
            C1301002020127130000503,坏代码,\(Self.badCreditCode),矿,石灰岩,openPit,1,1,130102,2022-01-01,2032-01-01
            C1301002020127130000504,坏日期,\(DemoData.creditCode(1)),矿,石灰岩,openPit,1,1,130102,2022-02-30,2032-01-01
            C1301002020127130000505,倒序,\(DemoData.creditCode(1)),矿,石灰岩,openPit,1,1,130102,2032-01-01,2022-01-01
            C1301002020127130000506,少一列,\(DemoData.creditCode(1)),矿,石灰岩,openPit,1,1,130102,2022-01-01

            \(good2),石家庄二号矿业,\(DemoData.creditCode(2)),二号矿,铁矿,underground,,,130104,2020-01-01,2030-01-01
            \(good1),重复,\(DemoData.creditCode(1)),新矿,水泥用灰岩,openPit,50,1.5,130102,2022-01-01,2032-01-01
            C1301002020127130000507,坏方式,\(DemoData.creditCode(1)),矿,石灰岩,飞行开采,1,1,130102,2022-01-01,2032-01-01
            C1301002020127130000508,负规模,\(DemoData.creditCode(1)),矿,石灰岩,openPit,-5,1,130102,2022-01-01,2032-01-01
            C1301002020127130000509,,\(DemoData.creditCode(1)),矿,石灰岩,openPit,1,1,130102,2022-01-01,2032-01-01
            C1301002020127130000510,坏区划,\(DemoData.creditCode(1)),矿,石灰岩,openPit,1,1,999999,2022-01-01,2032-01-01
            """
        let report = try await admin.importLicences(csv: csv)
        #expect(report.licences.map(\.number) == [good1, good2])
        #expect(report.errors.map(\.line) == [3, 4, 5, 6, 7, 10, 11, 12, 13, 14])
        #expect(report.errors.allSatisfy { !$0.message.zh.isEmpty && !$0.message.en.isEmpty })
        let stored = try #require(try await harness.services.registry.licence(good1))
        #expect(stored.holder == "石家庄\"新\"矿业有限公司")
        #expect(stored.miningMethod == "openPit")
        #expect(stored.scale == 50)
        let second = try #require(try await harness.services.registry.licence(good2))
        #expect(second.scale == nil)
        #expect(second.miningMethod == "underground")
        #expect(try await harness.services.registry.licence("C1301002020127130000503") == nil)
        // The demo licences are untouched.
        #expect(try await harness.services.registry.licence(DemoData.licence(1)) != nil)
    }

    @Test func licenceImportNeedsTheHeader() async throws {
        let harness = try await Harness()
        let admin = AdminService(services: harness.services)
        let report = try await admin.importLicences(csv: """
            C1301002020127130000501,石家庄新矿业,\(DemoData.creditCode(1)),新矿,水泥用灰岩,openPit,50,1.5,130102,2022-01-01,2032-01-01
            """)
        #expect(report.licences.isEmpty)
        #expect(report.errors.map(\.line) == [1])
        #expect(try await harness.services.registry.licence("C1301002020127130000501") == nil)
        let windows = try await admin.importLicences(csv: "number,holder,credit_code,mine_name,main_mineral,mining_method,scale,area,region,valid_from,valid_to\r\n"
            + "C1301002020127130000601,甲,\(DemoData.creditCode(1)),矿,灰岩,combined,1,1,130102,2022-01-01,2032-01-01\r\n")
        #expect(windows.licences.map(\.number) == ["C1301002020127130000601"])
        #expect(windows.errors.isEmpty)
    }

    @Test func catalogueImportRoundTripsTheSampleAndRefusesInvalidOnes() async throws {
        let harness = try await Harness()
        let admin = AdminService(services: harness.services)
        var sample = Catalogue.sample
        sample.id = "hebei-2024"
        sample.version = "2024.1"
        let imported = try await admin.importCatalogue(json: try sample.encodedJSON())
        #expect(imported == sample)
        #expect(try await harness.services.registry.catalogues().map(\.id) == ["hebei-2024"])
        // What is stored reads back as the same catalogue.
        let stored = try await harness.services.records.write { tx in try await tx.catalogue("hebei-2024") }
        #expect(stored == sample)

        await Self.expectRefusal("catalogue_invalid") {
            _ = try await admin.importCatalogue(json: Data("not json".utf8))
        }
        await Self.expectRefusal("catalogue_invalid") {
            _ = try await admin.importCatalogue(json: Data(#"{"id":"x"}"#.utf8))
        }
        var empty = sample
        empty.id = "empty"
        empty.primaries = []
        await Self.expectRefusal("catalogue_invalid") {
            _ = try await admin.importCatalogue(json: try empty.encodedJSON())
        }
        var unbalanced = sample
        unbalanced.id = "unbalanced"
        unbalanced.primaries[0].maxPoints += 1
        await Self.expectRefusal("catalogue_invalid") {
            _ = try await admin.importCatalogue(json: try unbalanced.encodedJSON())
        }
        #expect(try await harness.services.registry.catalogues().map(\.id) == ["hebei-2024"])
    }

    @Test func seedingTwiceIsRefused() async throws {
        let harness = try await Harness()
        let accounts = try await harness.services.accounts.users()
        #expect(accounts.count == 7)
        #expect(Set(accounts.map(\.role)) == Set(Role.allCases))
        do {
            _ = try await DemoData.seed(AdminService(services: harness.services), services: harness.services)
            Issue.record("seeding twice succeeded")
        } catch {
            #expect(Self.code(of: error) == "org_exists", "\(error)")
        }
        #expect(try await harness.services.accounts.users().count == 7)
    }
}
