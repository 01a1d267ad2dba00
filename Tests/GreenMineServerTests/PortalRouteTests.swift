import Foundation
import GreenMineShared
import HTTPTypes
import Testing
@testable import GreenMineServer

/// Issue 14 item 7: `GET /v1/portal` gives each user the support contact and the downloads published
/// to it (the ministry's to everyone, a province's to that province); the files are read through
/// `GET /v1/blobs/{sha256}` by those users only, and no longer once withdrawn.
struct PortalRouteTests {
    /// A PDF of `size` bytes in the harness's folder.
    static func pdf(_ harness: Harness, _ name: String, size: Int = 3000, fill: UInt8) throws -> URL {
        let url = harness.directory.appendingPathComponent(name)
        try Data(Array("%PDF-1.7\n".utf8) + [UInt8](repeating: fill, count: size) + Array("\n%%EOF\n".utf8)).write(to: url)
        return url
    }

    @Test func eachUserGetsTheMinistrysItemsAndItsProvincesOnly() async throws {
        let harness = try await Harness()
        let portal = harness.services.portal
        let empty = try await portal.portal(for: try await harness.services.auth.authenticate(
            token: try await harness.token("demo-ent1")))
        #expect(empty == PortalResponse(support: nil, downloads: []))
        _ = try await portal.setSupport(province: nil, name: "自然资源部信息中心", phone: "010-66558888", email: nil, hours: "工作日")
        _ = try await portal.setSupport(province: "130102", name: "河北省自然资源厅", phone: "0311-86868686", email: nil,
                                        hours: nil)
        let national = try await portal.publish(path: try Self.pdf(harness, "目录.pdf", fill: 1).path,
                                                title: "绿色矿山评价指标目录", province: nil)
        let hebei = try await portal.publish(path: try Self.pdf(harness, "河北.pdf", fill: 2).path,
                                             title: "河北省工作安排", province: "130000")
        let henan = try await portal.publish(path: try Self.pdf(harness, "河南.pdf", fill: 3).path,
                                             title: "河南省工作安排", province: "410102")
        #expect(henan.province == "410000")
        #expect(national.mime == "application/pdf")
        let enterprise = try await harness.token("demo-ent1")
        let county = try await harness.token("demo-county")
        let ministry = try await harness.token("demo-ministry")
        let assessor = try await harness.token("demo-assessor")
        try await harness.withAPI { api in
            // An enterprise of Hebei and a Hebei county: Hebei's contact, the ministry's and Hebei's files, newest first.
            for token in [enterprise, county] {
                let seen = try API.decode(PortalResponse.self, try await api.send(.get, "/v1/portal", token: token))
                #expect(seen.support?.name == "河北省自然资源厅")
                #expect(seen.downloads.map(\.id) == [hebei.id, national.id])
            }
            // The ministry: its own contact, every download; an assessor (no region): the ministry's only.
            let all = try API.decode(PortalResponse.self, try await api.send(.get, "/v1/portal", token: ministry))
            #expect(all.support?.name == "自然资源部信息中心")
            #expect(all.downloads.map(\.id) == [henan.id, hebei.id, national.id])
            let agency = try API.decode(PortalResponse.self, try await api.send(.get, "/v1/portal", token: assessor))
            #expect(agency.downloads.map(\.id) == [national.id])
            #expect(agency.support?.phone == "010-66558888")
            // The files through the blob route, ranges too, for those they are published to.
            let whole = try await api.send(.get, "/v1/blobs/\(hebei.sha256)", token: enterprise)
            #expect(whole.status == .ok)
            #expect(Data(whole.body.readableBytesView) == (try Data(contentsOf: harness.directory.appendingPathComponent("河北.pdf"))))
            var range = API.headers(enterprise)
            range[.range] = "bytes=0-8"
            let head = try await api.send(.get, "/v1/blobs/\(national.sha256)", headers: range)
            #expect(head.status == .partialContent)
            #expect(String(buffer: head.body) == "%PDF-1.7\n")
            try API.expectError(try await api.send(.get, "/v1/blobs/\(henan.sha256)", token: enterprise),
                                .notFound, "blob_not_found")
            #expect(try await api.send(.head, "/v1/blobs/\(henan.sha256)", token: ministry).status == .ok)
            // Unauthenticated: refused.
            #expect(try await api.send(.get, "/v1/portal").status == .unauthorized)
        }
        // Withdrawn: off the list and unreadable; a second withdrawal is refused.
        try await portal.withdraw(hebei.id)
        await #expect(throws: ServiceError.self) { try await portal.withdraw(hebei.id) }
        try await harness.withAPI { api in
            let seen = try API.decode(PortalResponse.self, try await api.send(.get, "/v1/portal", token: enterprise))
            #expect(seen.downloads.map(\.id) == [national.id])
            try API.expectError(try await api.send(.get, "/v1/blobs/\(hebei.sha256)", token: enterprise),
                                .notFound, "blob_not_found")
        }
        #expect(try await portal.allDownloads().filter { $0.withdrawnAt != nil }.map(\.download.id) == [hebei.id])
    }

    @Test func publishingRefusesWhatIsNotADocumentAndUnknownProvinces() async throws {
        let harness = try await Harness()
        let portal = harness.services.portal
        let script = harness.directory.appendingPathComponent("目录.pdf")
        try Data("#!/bin/sh\necho hi\n".utf8).write(to: script)
        await #expect(throws: ServiceError.self) { try await portal.publish(path: script.path, title: "目录", province: nil) }
        let pdf = try Self.pdf(harness, "ok.pdf", fill: 4)
        await #expect(throws: ServiceError.self) { try await portal.publish(path: pdf.path, title: "目录", province: "999999") }
        await #expect(throws: ServiceError.self) { try await portal.publish(path: pdf.path, title: "  ", province: nil) }
        await #expect(throws: ServiceError.self) {
            try await portal.setSupport(province: nil, name: "只有名字", phone: " ", email: nil, hours: nil)
        }
        #expect(try await portal.allDownloads().isEmpty)
        // Nothing was left in the blob folder's upload area.
        let uploads = harness.directory.appendingPathComponent("blobs/uploads")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: uploads.path)) ?? []).isEmpty)
    }
}
