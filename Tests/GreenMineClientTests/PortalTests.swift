import Foundation
import GRDB
import GreenMineShared
import Testing
@testable import GreenMineClient

/// Issue 14 item 7: the home page's support contact and downloads, published by the server, fetched at
/// the end of each sync into the store, shown by `status` (offline as last synced), fetched by
/// `downloads get`.
struct PortalTests {
    @Test func statusShowsTheSupportContactAndTheDownloadsForTheUsersProvinceOfflineToo() async throws {
        let server = try await LiveServer.start()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("portal-\(UUID().uuidString)")
        let files = SampleFiles(root: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        try await server.setSupport(name: "自然资源部信息中心", phone: "010-66558888", email: "support@example.cn")
        try await server.setSupport(province: "130000", name: "河北省自然资源厅", phone: "0311-86868686")
        let catalogue = try await server.publish(try files.pdf("指标目录.pdf", size: 200_003, seed: 7),
                                                 title: "绿色矿山评价指标目录（2026年版）")
        let hebei = try await server.publish(try files.pdf("河北通知.pdf", seed: 8), title: "河北省遴选工作安排",
                                             province: "130102")
        let henan = try await server.publish(try files.pdf("河南通知.pdf", seed: 9), title: "河南省遴选工作安排",
                                             province: "410000")
        #expect(hebei.province == "130000")
        let (home, network) = await TestHome.live(server, chunkSize: 64 * 1024)
        // Fetched at login and at every sync.
        #expect(await home.run(["sync"]).status == 0)
        #expect(network.count("GET", "/v1/portal") == 2)
        let status = await home.run(["status"])
        #expect(status.status == 0, "\(status.stderr)")
        // The province's contact, not the ministry's; the ministry's downloads and the province's, not another's.
        #expect(status.stdout.contains("Technical support: 河北省自然资源厅, phone 0311-86868686"), "\(status.stdout)")
        #expect(status.stdout.contains("Downloads (2; greenmine downloads get NO. --out DIR):"))
        #expect(status.stdout.contains("绿色矿山评价指标目录（2026年版）"))
        #expect(status.stdout.contains("河北省遴选工作安排"))
        #expect(!status.stdout.contains("河南省"))
        #expect(status.stdout.contains("the ministry"))
        home.language = "zh_CN.UTF-8"
        let chinese = await home.run(["status"])
        #expect(chinese.stdout.contains("技术支持：河北省自然资源厅，电话 0311-86868686"), "\(chinese.stdout)")
        #expect(chinese.stdout.contains("资料下载（2 项"))
        #expect(chinese.stdout.contains("自然资源部"))
        home.language = "en_US.UTF-8"
        // A download comes from the server into a folder under its own name, checked; then offline, the
        // status still shows what was last synced.
        let out = home.root.appendingPathComponent("downloads")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let get = await home.run(["downloads", "get", "\(catalogue.id)", "--out", out.path])
        #expect(get.status == 0, "\(get.stderr)")
        #expect(try SampleFiles.sha256(out.appendingPathComponent("指标目录.pdf")) == catalogue.sha256)
        // A path ending in "/" is a folder, made when missing, not a file of that name.
        let fresh = home.root.appendingPathComponent("new-folder")
        let intoFresh = await home.run(["downloads", "get", "\(catalogue.id)", "--out", fresh.path + "/"])
        #expect(intoFresh.status == 0, "\(intoFresh.stderr)")
        #expect(try SampleFiles.sha256(fresh.appendingPathComponent("指标目录.pdf")) == catalogue.sha256)
        // Another province's file is not readable by this account, by number or by hash.
        let other = await home.run(["downloads", "get", "\(henan.id)", "--out", out.path])
        #expect(other.status == 1)
        #expect(other.stderr.contains("no download numbered \(henan.id)"))
        network.rule = { _, _ in .cut }
        let offline = await home.run(["status"])
        #expect(offline.stdout.contains("Technical support: 河北省自然资源厅"))
        #expect(offline.stdout.contains("河北省遴选工作安排"))
        let failed = await home.run(["sync"])
        #expect(failed.status != 0)
        #expect(try home.store().read { try PortalCache.load($0) }?.portal.downloads.count == 2)
        // A withdrawn download is gone after the next sync.
        network.rule = nil
        try await server.withdraw(hebei.id)
        #expect(await home.run(["sync"]).status == 0)
        let after = await home.run(["downloads"])
        #expect(after.stdout.contains("绿色矿山评价指标目录"), "\(after.stdout)")
        #expect(!after.stdout.contains("河北省遴选工作安排"))
    }

    @Test func theStoreKeepsOneRowWhatWasLastFetchedAndNothingBeforeTheFirstSync() async throws {
        let home = await TestHome.loggedIn()
        let store = try home.store()
        #expect(try store.read { try PortalCache.load($0) } == nil)
        // The table comes with the migration after v6-record-counts.
        let applied = try store.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations") }
        let counts = try #require(applied.firstIndex(of: "v6-record-counts"))
        #expect(applied.dropFirst(counts + 1).first == "v7-portal")
        let first = PortalResponse(support: SupportContact(province: nil, name: "信息中心", phone: "010-1", email: nil,
                                                           hours: "工作日", updatedAt: Date(timeIntervalSince1970: 1_800_000_000)),
                                   downloads: [PortalDownload(id: 3, title: "目录", name: "目录.pdf",
                                                              sha256: String(repeating: "a", count: 64), size: 10,
                                                              mime: "application/pdf", province: "130000",
                                                              publishedAt: Date(timeIntervalSince1970: 1_800_000_100))])
        let fetched = Date(timeIntervalSince1970: 1_800_000_200)
        try store.write { try PortalCache.replace($0, with: first, at: fetched) }
        let second = PortalResponse(support: nil, downloads: [])
        try store.write { try PortalCache.replace($0, with: second, at: fetched.addingTimeInterval(60)) }
        // A store opened again from the file reads what was written last.
        let reopened = try home.store()
        let loaded = try #require(try reopened.read { try PortalCache.load($0) })
        #expect(loaded.portal == second)
        #expect(loaded.fetchedAt == fetched.addingTimeInterval(60))
        #expect(try reopened.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM portal") } == 1)
        try store.write { try PortalCache.replace($0, with: first, at: fetched) }
        #expect(try reopened.read { try PortalCache.download($0, id: 3) }.title == "目录")
        #expect(throws: ClientError.self) { try reopened.read { try PortalCache.download($0, id: 4) } }
        // Status before any portal was fetched says so; with one, it lists it.
        let status = await home.run(["status"])
        #expect(status.stdout.contains("Technical support: 信息中心, phone 010-1, 工作日"), "\(status.stdout)")
        #expect(status.stdout.contains("目录.pdf"))
    }
}
