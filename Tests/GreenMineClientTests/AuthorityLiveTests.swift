import Foundation
import GreenMineShared
import Testing
@testable import GreenMineClient

/// Every role through the `greenmine` commands against the real server: pre-application, review,
/// assignment, scoring, approval, the certificate verified offline, removal, revocation, appeal.
struct AuthorityLiveTests {
    @Test func theWholeWorkflowForEveryRole() async throws {
        let server = try await LiveServer.start()
        let enterprise = await TestHome.live(server, as: "demo-ent1", salt: 11)
        let province = await TestHome.live(server, as: "demo-province", salt: 12)
        let county = await TestHome.live(server, as: "demo-county", salt: 13)
        let assessor = await TestHome.live(server, as: "demo-assessor", salt: 14)
        let ministry = await TestHome.live(server, as: "demo-ministry", salt: 15)

        // The enterprise pre-applies with a photo; the province accepts and approves.
        let pre = await enterprise.readyPre(licence: LiveServer.licence(1))
        let photo = try enterprise.files.jpeg("矿区全景.jpg")
        await enterprise.ok(["pre", "attach", pre, photo.path])
        await enterprise.ok(["pre", "submit", pre])
        await enterprise.ok(["sync"])
        await province.ok(["sync"])
        let short = String(pre.prefix(8))
        await province.ok(["review", "accept", short])
        await province.ok(["review", "approve", short])
        await province.ok(["sync"])

        // The application goes in; the county gives its opinion; the province accepts and assigns.
        await enterprise.ok(["sync"])
        let created = await enterprise.ok(["app", "new", "--from", short])
        let app = try #require(TestHome.firstId(created))
        let appShort = String(app.prefix(8))
        await enterprise.ok(["app", "set", app] + Fixtures.applicationAnswers)
        await enterprise.ok(["app", "submit", app])
        await enterprise.ok(["sync"])
        await county.ok(["sync"])
        let refused = await county.run(["review", "approve", appShort])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("only a province reviewer may approve"))
        await county.ok(["review", "opinion", appShort, "--comment", "材料齐全，同意上报"])
        await county.ok(["sync"])
        await province.ok(["sync"])
        await province.ok(["review", "accept", appShort])
        await province.ok(["review", "assign", appShort, "--agency", FakeServer.agency])
        let early = await province.run(["review", "approve", appShort])
        #expect(early.stderr.contains("it must be assessed"))
        await province.ok(["sync"])

        // Accepted: the enterprise can no longer withdraw.
        await enterprise.ok(["sync"])
        let withdraw = await enterprise.run(["app", "withdraw", app])
        #expect(withdraw.status == 1)
        #expect(withdraw.stderr.contains("can be withdrawn"))

        // The assessor scores everything, attaches the report and submits.
        await assessor.ok(["sync"])
        let list = await assessor.ok(["assess", "list"])
        #expect(list.stdout.contains(appShort))
        let items = Catalogue.sample.allItems.map { "\($0.code)=\(Points.text($0.maxPoints * 0.9))" }
        await assessor.ok(["assess", "score", appShort, "--prerequisite", "P1=yes", "P2=yes", "P3=yes", "P4=yes",
                           "P5=yes", "--item"] + items + ["--summary", "现场核查完成"])
        let report = try assessor.files.pdf("评估报告.pdf")
        await assessor.ok(["assess", "report", appShort, report.path])
        await assessor.ok(["assess", "submit", appShort])
        let pushed = await assessor.ok(["sync"])
        #expect(!pushed.stdout.contains("✗"), "\(pushed.stdout)")

        // The province sees the score and approves; the server issues the certificate.
        await province.ok(["sync"])
        let show = await province.ok(["review", "show", appShort])
        #expect(show.stdout.contains("Total: 900 of 1000"))
        #expect(show.stdout.contains("材料齐全，同意上报"))
        #expect(show.stdout.contains("评估报告.pdf"))
        await province.ok(["review", "approve", appShort])
        let approved = await province.ok(["sync"])
        #expect(!approved.stdout.contains("✗"), "\(approved.stdout)")

        // The enterprise downloads the certificate and verifies it offline.
        await enterprise.ok(["sync"])
        let out = enterprise.root.appendingPathComponent("certificate")
        let download = await enterprise.ok(["cert", "download", appShort, "--out", out.path])
        #expect(download.stdout.contains("GM130000-"))
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        let json = try #require(files.first { $0.hasSuffix(".json") })
        let file = out.appendingPathComponent(json).path
        enterprise.transport = { _ in OfflineTransport() }
        let valid = await enterprise.run(["cert", "verify", file])
        #expect(valid.status == 0, "\(valid.stdout)\(valid.stderr)")

        // The ministry removes the mine; once synced, the same file verifies as revoked.
        await ministry.ok(["sync"])
        await ministry.ok(["review", "remove", appShort, "--reason", "抽查发现问题"])
        await ministry.ok(["sync"])
        enterprise.transport = { _ in HTTPClientTransport(baseURL: server.base) }
        await enterprise.ok(["sync"])
        let revoked = await enterprise.run(["cert", "verify", file])
        #expect(revoked.status == 2)
        #expect(revoked.stdout.contains("revoked on"))

        // The enterprise appeals the removal; the province accepts the appeal.
        await enterprise.ok(["appeal", "new", appShort, "--reason", "已完成整改，请求恢复"])
        let appealed = await enterprise.ok(["sync"])
        #expect(!appealed.stdout.contains("✗"), "\(appealed.stdout)")
        await province.ok(["sync"])
        let appeals = await province.ok(["review", "list", "--state", "submitted", "--json"])
        let appeal = try #require(try WireCoding.decode([ReviewListItem].self, from: Data(appeals.stdout.utf8))
            .first { $0.kind == .appeal })
        await province.ok(["review", "accept", String(appeal.id.uuidString.lowercased().prefix(8))])
        let answered = await province.ok(["sync"])
        #expect(!answered.stdout.contains("✗"), "\(answered.stdout)")

        // The process history shows every role's step.
        let history = await enterprise.ok(["history", app])
        for step in ["submit", "accept", "opinion", "assign", "complete assessment", "approve", "certificate issued",
                     "remove", "certificate revoked"] {
            #expect(history.stdout.contains(step), "history lacks \(step)")
        }
    }
}

/// A network that is never there.
struct OfflineTransport: APITransport {
    func send(_ request: APIRequest) async throws -> APIResponse {
        throw TransportError(reason: "network is unreachable")
    }
}
