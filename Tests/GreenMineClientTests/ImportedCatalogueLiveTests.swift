import Foundation
import GreenMineShared
import Testing
@testable import GreenMineClient

/// An indicator catalogue imported on the server reaches the assessor's device at sync; the
/// application assigned under it is scored against it there, offline, and its pass mark decides.
struct ImportedCatalogueLiveTests {
    /// The sample under another id, with a stricter pass mark (950 of 1000).
    static var strict: Catalogue {
        var catalogue = Catalogue.sample
        catalogue.id = "hebei-2024"
        catalogue.version = "2024.1"
        catalogue.name = LocalizedText(zh: "河北省绿色矿山评价指标（测试）", en: "Hebei green mine indicators (test)")
        catalogue.isSample = false
        catalogue.notice = nil
        catalogue.passRules.minTotal = 950
        return catalogue
    }

    @Test func theAssessorScoresAgainstTheImportedCatalogueOffline() async throws {
        let server = try await LiveServer.start()
        try await server.importCatalogue(Self.strict)
        let enterprise = await TestHome.live(server, as: "demo-ent1", salt: 31)
        let province = await TestHome.live(server, as: "demo-province", salt: 32)
        let assessor = await TestHome.live(server, as: "demo-assessor", salt: 33)

        let pre = await enterprise.readyPre(licence: LiveServer.licence(1))
        await enterprise.ok(["pre", "attach", pre, try enterprise.files.jpeg("矿区全景.jpg").path])
        await enterprise.ok(["pre", "submit", pre])
        await enterprise.ok(["sync"])
        await province.ok(["sync"])
        await province.ok(["review", "accept", String(pre.prefix(8))])
        await province.ok(["review", "approve", String(pre.prefix(8))])
        await province.ok(["sync"])
        await enterprise.ok(["sync"])
        let app = try #require(TestHome.firstId(await enterprise.ok(["app", "new", "--from", String(pre.prefix(8))])))
        let short = String(app.prefix(8))
        await enterprise.ok(["app", "set", app] + Fixtures.applicationAnswers)
        await enterprise.ok(["app", "submit", app])
        await enterprise.ok(["sync"])
        await province.ok(["sync"])
        await province.ok(["review", "accept", short])
        await province.ok(["review", "assign", short, "--agency", FakeServer.agency])
        await province.ok(["sync"])

        // The assessor's device now holds the catalogue and scores against it with no network.
        await assessor.ok(["sync"])
        assessor.transport = { _ in OfflineTransport() }
        let sheet = await assessor.ok(["assess", "show", short])
        #expect(sheet.stdout.contains("Hebei green mine indicators (test) (hebei-2024)"), "\(sheet.stdout)")
        #expect(!sheet.stdout.contains("SAMPLE"))
        let items = Self.strict.allItems.map { "\($0.code)=\(Points.text($0.maxPoints * 0.9))" }
        let scored = await assessor.ok(["assess", "score", short, "--prerequisite", "P1=yes", "P2=yes", "P3=yes",
                                        "P4=yes", "P5=yes", "--item"] + items)
        #expect(scored.stdout.contains("Total: 900 of 1000 (pass mark 950"), "\(scored.stdout)")
        #expect(scored.stdout.contains("does not pass"))
        let appId = try #require(UUID(uuidString: app))
        let stored = try #require(try assessor.store().read { db in try RecordChildren.assessment(db, of: appId)?.working })
        #expect(stored.text("assessment.catalogueId") == "hebei-2024")
    }
}
