import Foundation
import GreenMineShared
import Testing
@testable import GreenMineServer

/// Imported indicator catalogues: published to every device as a `catalogue` record, fixed on an
/// application when it is assigned, and the one its approval and certificate score against.
struct CatalogueTests {
    /// The sample with another id and a stricter pass mark (950 of 1000), so that a mine at 90 %
    /// passes the sample but not this one.
    static func strict(_ id: String) -> Catalogue {
        var catalogue = Catalogue.sample
        catalogue.id = id
        catalogue.version = "2024.1"
        catalogue.name = LocalizedText(zh: "河北省绿色矿山评价指标（测试）", en: "Hebei green mine indicators (test)")
        catalogue.isSample = false
        catalogue.notice = nil
        catalogue.passRules.minTotal = 950
        return catalogue
    }

    @Test func anImportIsPublishedToEveryRoleOnceAndADifferentContentUnderTheSameIdIsRefused() async throws {
        let harness = try await Harness()
        let admin = AdminService(services: harness.services)
        _ = try await admin.importCatalogue(json: try Self.strict("hebei-2024").encodedJSON())
        let published = try await harness.withAPI { api -> GreenMineShared.Record? in
            var published: GreenMineShared.Record?
            for user in ["demo-ent1", "demo-county", "demo-province", "demo-assessor", "demo-ministry"] {
                let records = try await api.pullAll(try await harness.token(user)).records.values
                let found = try #require(records.first { $0.kind == .catalogue }, "\(user) sees no catalogue")
                #expect(found.text(CatalogueRecord.idPath) == "hebei-2024")
                #expect(CatalogueRecord.catalogue(in: found) == Self.strict("hebei-2024"))
                #expect(CatalogueRecord.inForceId(among: Array(records)) == "hebei-2024")
                published = found
            }
            return published
        }
        let record = try #require(published)
        #expect(try await harness.auditCount(record.id) == 1)
        // The same catalogue again changes nothing; another content under the same id is refused.
        let counts = try await harness.counts()
        _ = try await admin.importCatalogue(json: try Self.strict("hebei-2024").encodedJSON())
        #expect(try await harness.counts() == counts)
        var revised = Self.strict("hebei-2024")
        revised.passRules.minTotal = 900
        do {
            _ = try await admin.importCatalogue(json: try revised.encodedJSON())
            Issue.record("a different catalogue under an imported id was accepted")
        } catch let error as ServiceError {
            #expect(error.detail.code == "catalogue_exists")
        }
        #expect(try await harness.stored(record.id)?.version == 1)
        #expect(try await harness.counts() == counts)
    }

    /// SQLite's own migration (a PostgreSQL database never held catalogues without records).
    @Test(.enabled(if: TestBackend.harness == .sqlite))
    func catalogueImportedBeforePublicationArePublishedByTheMigration() async throws {
        let harness = try await Harness()
        // As an older server left it: a row in `catalogues`, no record.
        let body = String(decoding: try WireCoding.encode(Self.strict("legacy-2023")), as: UTF8.self)
        try await #require(harness.sqlite).write { db in
            try db.execute(sql: "INSERT INTO catalogues (id, version, body, imported_at) VALUES (?, ?, ?, ?)",
                           arguments: ["legacy-2023", "2023.1", body, 1_700_000_000.0])
            try CatalogueMigration.publishUnpublished(db)
            try CatalogueMigration.publishUnpublished(db)
        }
        let token = try await harness.token("demo-assessor")
        try await harness.withAPI { api in
            let catalogues = try await api.pullAll(token).records.values.filter { $0.kind == .catalogue }
            #expect(catalogues.count == 1, "published once")
            #expect(catalogues.first.flatMap(CatalogueRecord.catalogue(in:))?.id == "legacy-2023")
        }
    }

    /// An application of demo enterprise 1 assigned after `hebei-2024` was imported, scored with
    /// `share` of every item's maximum (the assessment naming the sample) and submitted.
    static func assessed(_ api: API, _ harness: Harness, share: Double,
                         afterAssignment: @escaping () async throws -> Void = {}) async throws -> GreenMineShared.Record {
        _ = try await AdminService(services: harness.services).importCatalogue(json: try strict("hebei-2024").encodedJSON())
        return try await api.assessedApplication(harness, share: share) { assigned in
            #expect(assigned.text(WorkflowFields.catalogue) == "hebei-2024")
            try await afterAssignment()
        }
    }

    @Test func approvalScoresAgainstTheCatalogueInForceWhenTheApplicationWasAssigned() async throws {
        let harness = try await Harness()
        let province = try await harness.token("demo-province")
        try await harness.withAPI { api in
            // 90 % everywhere: 900 points pass the sample and hebei-2025 (imported after the
            // assignment) but not hebei-2024's 950.
            let assessed = try await Self.assessed(api, harness, share: 0.9) {
                var later = Self.strict("hebei-2025")
                later.passRules.minTotal = 800
                _ = try await AdminService(services: harness.services).importCatalogue(json: try later.encodedJSON())
            }
            var prov = Device()
            let refused = try await api.push1(province, prov, prov.transition(assessed, .approve))
            #expect(refused.status == .rejected)
            #expect(refused.error?.code == "assessment_failed", "\(String(describing: refused.error))")
            #expect(refused.error?.message.contains("950") == true, "\(String(describing: refused.error?.message))")
        }
    }

    @Test func theCertificateNamesTheApplicationsCatalogue() async throws {
        let harness = try await Harness()
        let province = try await harness.token("demo-province")
        let enterprise = try await harness.token("demo-ent1")
        try await harness.withAPI { api in
            let assessed = try await Self.assessed(api, harness, share: 1)
            var prov = Device()
            let approved = try await api.apply(province, prov, prov.transition(assessed, .approve))
            #expect(approved.state == .approved)
            let records = try await api.pullAll(enterprise).records.values
            let certificate = try #require(records.compactMap { CertificateRecordText.signed($0) }.first)
            #expect(certificate.body.catalogueId == "hebei-2024")
            #expect(certificate.body.catalogueName == "河北省绿色矿山评价指标（测试）")
            #expect(certificate.body.score == 1000)
        }
    }
}

/// The signed certificate a certificate record carries.
enum CertificateRecordText {
    static func signed(_ record: GreenMineShared.Record) -> SignedCertificate? {
        guard record.kind == .certificate, let text = record.text(SignedCertificate.fieldPath) else { return nil }
        return try? WireCoding.decode(SignedCertificate.self, from: Data(text.utf8))
    }
}
