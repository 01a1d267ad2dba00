import Foundation
import GreenMineShared
import Testing
@testable import GreenMineServer

/// `PortalStore` on each backend (`TestBackend.available`): contacts replaced per province, downloads
/// numbered, withdrawn once, and seen only by their province's readers (and the ministry's by all).
struct PortalStoreTests {
    static func open(_ backend: TestBackend) async throws -> (store: any PortalStore, close: @Sendable () async -> Void) {
        let opened = try await backend.open()
        let stores = opened.stores(sqlite: { SQLitePortalStore(writer: $0) as any PortalStore },
                                   postgres: { PostgresPortalStore(database: $0) })
        return (try #require(stores.first), opened.close)
    }

    @Test(arguments: TestBackend.available)
    func contactsAndDownloadsByProvince(_ backend: TestBackend) async throws {
        let (store, close) = try await Self.open(backend)
        let at = Date(timeIntervalSince1970: 1_796_113_800)
        try await store.setSupport(SupportContact(province: nil, name: "信息中心", phone: "010-1", email: nil, hours: nil,
                                                  updatedAt: at))
        try await store.setSupport(SupportContact(province: "130000", name: "河北", phone: nil, email: nil, hours: nil,
                                                  updatedAt: at))
        try await store.setSupport(SupportContact(province: "130000", name: "河北厅", phone: "0311", email: nil,
                                                  hours: "9-17", updatedAt: at + 60))
        let contacts = try await store.supportContacts()
        #expect(contacts.map(\.province) == [nil, "130000"])
        #expect(contacts.last?.name == "河北厅")
        let sha = String(repeating: "a", count: 64)
        let national = try await store.publish(title: "指标", name: "a.pdf",
                                               blob: BlobInfo(sha256: sha, size: 10, mime: "application/pdf"),
                                               province: nil, at: at)
        let hebei = try await store.publish(title: "河北通知", name: "b.pdf",
                                            blob: BlobInfo(sha256: String(repeating: "b", count: 64), size: 20,
                                                           mime: "application/pdf"), province: "130000", at: at + 1)
        #expect(hebei.id > national.id)
        #expect(try await store.downloads(provinces: ["410000"], withdrawn: false).map(\.download.id) == [national.id])
        #expect(try await store.downloads(provinces: nil, withdrawn: false).map(\.download.id) == [hebei.id, national.id])
        #expect(try await store.publishedBlob(sha, provinces: ["410000"])?.size == 10)
        #expect(try await store.publishedBlob(hebei.sha256, provinces: ["410000"]) == nil)
        #expect(try await store.withdraw(national.id, at: at + 2))
        #expect(try await !store.withdraw(national.id, at: at + 3))
        #expect(try await store.publishedBlob(sha, provinces: nil) == nil)
        let all = try await store.downloads(provinces: nil, withdrawn: true)
        #expect(all.map(\.download.id) == [hebei.id, national.id])
        #expect(all.last?.withdrawnAt == at + 2)
        await close()
    }
}
