import Foundation
import GreenMineShared
import Testing
@testable import GreenMineServer

/// `AccountStore` on each backend (`TestBackend.available`): the same calls, the same answers; and on
/// a shared database a revocation through one instance holds on another.
struct AccountStoreTests {
    /// `count` account stores on one new database (on PostgreSQL each with a pool of its own).
    static func open(_ backend: TestBackend, count: Int = 1) async throws -> (stores: [any AccountStore],
                                                                           close: @Sendable () async -> Void) {
        let opened = try await backend.open(instances: count)
        return (opened.stores(sqlite: { SQLiteAccountStore(writer: $0) as any AccountStore },
                              postgres: { PostgresAccountStore(database: $0) }), opened.close)
    }

    static let start = Date(timeIntervalSince1970: 1_796_113_800)
    static func hash(_ byte: UInt8) -> PasswordHash {
        PasswordHash(kdf: "scrypt$16$8$1", salt: Array(repeating: byte, count: 16), hash: Array(repeating: byte &+ 1, count: 32))
    }

    @Test(arguments: TestBackend.available)
    func accountsAndOrganisations(_ backend: TestBackend) async throws {
        let (stores, close) = try await Self.open(backend)
        let store = try #require(stores.first)
        let code = DemoData.creditCode(1)
        try await store.addOrganisation(Organisation(creditCode: code, name: "企业一", region: "130102"), at: Self.start)
        await #expect(throws: ServiceError.self) {
            try await store.addOrganisation(Organisation(creditCode: code, name: "又一个", region: "130102"), at: Self.start)
        }
        #expect(try await store.organisation(code)?.name == "企业一")
        let added = try await store.addUser(id: "u1", NewUser(username: "Zhang-San", role: .enterprise, orgId: code),
                                            password: Self.hash(1), at: Self.start)
        #expect(added.orgName == "企业一")
        // User names are one whatever their case.
        await #expect(throws: ServiceError.self) {
            _ = try await store.addUser(id: "u2", NewUser(username: "zhang-san", role: .province, region: "130000"),
                                        password: Self.hash(2), at: Self.start)
        }
        _ = try await store.addUser(id: "u3", NewUser(username: "li_si%", role: .province, region: "130000",
                                                      mustChangePassword: true), password: Self.hash(3), at: Self.start)
        let (info, stored) = try #require(try await store.credentials(username: "ZHANG-SAN"))
        #expect(info.id == "u1")
        #expect(stored == Self.hash(1))
        #expect(try await store.user(id: "u3")?.mustChangePassword == true)
        #expect(try await store.users().map(\.username) == ["li_si%", "Zhang-San"])
        // The console's list: a search takes % and _ literally; pages by name.
        let found = try await store.accounts(in: .everyone, search: "_si%", after: nil, limit: 10, regions: .standard)
        #expect(found.users.map(\.id) == ["u3"])
        let first = try await store.accounts(in: .everyone, search: nil, after: nil, limit: 1, regions: .standard)
        #expect(first.users.map(\.id) == ["u3"])
        let second = try await store.accounts(in: .everyone, search: nil, after: first.next, limit: 1, regions: .standard)
        #expect(second.users.map(\.id) == ["u1"])
        #expect(second.next == nil)
        let hebei = try await store.accounts(in: .enterprisesIn(province: "130000"), search: nil, after: nil, limit: 10,
                                             regions: .standard)
        #expect(hebei.users.map(\.id) == ["u1"])
        await close()
    }

    @Test(arguments: TestBackend.available)
    func tokensLapseAndAreRevoked(_ backend: TestBackend) async throws {
        let (stores, close) = try await Self.open(backend, count: 2)
        let (one, other) = (stores[0], stores[1])
        _ = try await one.addUser(id: "u1", NewUser(username: "county", role: .county, region: "130102"),
                                  password: Self.hash(1), at: Self.start)
        let api: [UInt8] = Array(repeating: 7, count: 32)
        let session: [UInt8] = Array(repeating: 8, count: 32)
        try await one.addToken(hash: api, userId: "u1", at: Self.start, expiresAt: Self.start + 3600, idleLimit: nil)
        try await one.addToken(hash: session, userId: "u1", at: Self.start, expiresAt: Self.start + 3600, idleLimit: 600)
        #expect(try await other.user(tokenHash: api, now: Self.start + 10)?.user.info.id == "u1")
        #expect(try await other.user(tokenHash: api, now: Self.start + 3600) == nil)
        // A console session lapses once idle past its limit; a use moves that on.
        #expect(try await other.user(tokenHash: session, now: Self.start + 601) == nil)
        try await one.touchToken(hash: session, at: Self.start + 500)
        #expect(try await other.user(tokenHash: session, now: Self.start + 601)?.lastUsedAt == Self.start + 500)
        // Revoked through one instance: refused through the other.
        try await one.revokeToken(hash: api, at: Self.start + 20)
        #expect(try await other.user(tokenHash: api, now: Self.start + 21) == nil)
        // A new password revokes every token of the user and can require a change; an upgrade keeps them.
        let third: [UInt8] = Array(repeating: 9, count: 32)
        try await one.addToken(hash: third, userId: "u1", at: Self.start, expiresAt: Self.start + 3600, idleLimit: nil)
        try await other.upgradeHash(userId: "u1", Self.hash(4))
        #expect(try await one.user(tokenHash: third, now: Self.start + 30) != nil)
        try await other.setPassword(userId: "u1", Self.hash(5), mustChange: true, at: Self.start + 40)
        #expect(try await one.user(tokenHash: third, now: Self.start + 41) == nil)
        #expect(try await one.credentials(username: "county")?.1 == Self.hash(5))
        #expect(try await one.user(id: "u1")?.mustChangePassword == true)
        await #expect(throws: ServiceError.self) {
            try await one.setPassword(userId: "nobody", Self.hash(6), mustChange: false, at: Self.start)
        }
        await close()
    }
}
