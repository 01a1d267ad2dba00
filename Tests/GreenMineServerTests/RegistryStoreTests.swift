import Foundation
import GreenMineShared
import Testing
@testable import GreenMineServer

/// `RegistryStore` on each backend (`TestBackend.available`): licences replaced whole, agencies with
/// unique names and codes, numbered in turn even when two instances add at once.
struct RegistryStoreTests {
    static func open(_ backend: TestBackend, count: Int = 1) async throws -> (stores: [any RegistryStore],
                                                                           close: @Sendable () async -> Void) {
        let opened = try await backend.open(instances: count)
        return (opened.stores(sqlite: { SQLiteRegistryStore(writer: $0) as any RegistryStore },
                              postgres: { PostgresRegistryStore(database: $0) }), opened.close)
    }

    static func licence(_ number: String, holder: String = "企业一", scale: Double? = 30) -> LicenceInfo {
        LicenceInfo(number: number, holder: holder, creditCode: DemoData.creditCode(1), mineName: "一号矿",
                    mainMineral: "石灰岩", miningMethod: "露天开采", scale: scale, area: nil, region: "130102",
                    validFrom: "2020-01-01", validTo: "2030-12-31")
    }

    @Test(arguments: TestBackend.available)
    func licencesAreReplacedWhole(_ backend: TestBackend) async throws {
        let (stores, close) = try await Self.open(backend)
        let store = try #require(stores.first)
        try await store.upsertLicences([Self.licence("C2"), Self.licence("C1")])
        try await store.upsertLicences([Self.licence("C1", holder: "改名后的企业", scale: nil)])
        #expect(try await store.licence("C1") == Self.licence("C1", holder: "改名后的企业", scale: nil))
        #expect(try await store.licences(creditCode: DemoData.creditCode(1)).map(\.number) == ["C1", "C2"])
        #expect(try await store.licence("C9") == nil)
        #expect(try await store.catalogues().isEmpty)
        await close()
    }

    @Test(arguments: TestBackend.available)
    func agenciesTakeTheNextFreeCodeOnEveryInstance(_ backend: TestBackend) async throws {
        let (stores, close) = try await Self.open(backend, count: 3)
        let first = try await stores[0].addAgency(code: nil, name: "甲评估", provinces: ["130000"], at: Date())
        #expect(first == Agency(code: "AG0001", name: "甲评估", provinces: ["130000"]))
        await #expect(throws: ServiceError.self) {
            _ = try await stores[1].addAgency(code: "ag0001", name: "乙评估", provinces: [], at: Date())
        }
        await #expect(throws: ServiceError.self) {
            _ = try await stores[2].addAgency(code: nil, name: "甲评估", provinces: [], at: Date())
        }
        // Twelve added at once through three instances: twelve codes, none twice.
        let added = try await withThrowingTaskGroup(of: Agency.self) { group in
            for index in 0..<12 {
                group.addTask { try await stores[index % 3].addAgency(code: nil, name: "机构\(index)", provinces: [], at: Date()) }
            }
            return try await group.reduce(into: [Agency]()) { $0.append($1) }
        }
        #expect(Set(added.map(\.code)).count == 12)
        #expect(try await stores[1].agencies().map(\.code) == (1...13).map { String(format: "AG%04d", $0) })
        await close()
    }
}
