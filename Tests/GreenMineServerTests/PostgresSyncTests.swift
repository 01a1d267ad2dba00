import Foundation
import GreenMineShared
import Testing
@testable import GreenMineServer

/// The sync path on each backend (`TestBackend.available`): `SyncService` over a `SyncRecordStore`,
/// and the pull cursor under several writers (issue 13).
struct PostgresSyncTests {
    static let province = AuthenticatedUser(
        info: UserInfo(id: "u-province", username: "province", role: .province, region: DemoData.province),
        orgRegion: nil, tokenHash: [])
    static let ministry = AuthenticatedUser(
        info: UserInfo(id: "u-ministry", username: "ministry", role: .ministry), orgRegion: nil, tokenHash: [])

    /// A store of the backend on a database of its own, and how to let it go.
    struct Opened: Sendable {
        var stores: [any SyncRecordStore]
        var backend: OpenedBackend
        var close: @Sendable () async -> Void { backend.close }

        /// Account rows for users (the clients table refers to them).
        func addUsers(_ users: [AuthenticatedUser]) async throws {
            for user in users {
                try await backend.execute("""
                    INSERT INTO users (id, username, role, region, password_hash, password_salt, kdf, created_at)
                    VALUES (?, ?, ?, ?, CAST(? AS BYTEA), CAST(? AS BYTEA), 'none', 0)
                    """, [.text(user.info.id), .text(user.info.username), .text(user.info.role.rawValue),
                          .text(user.info.region), .text("x"), .text("x")])
            }
        }
    }

    /// `count` stores on one new database: on PostgreSQL each with a pool of its own, as separate
    /// server instances have.
    static func open(_ backend: TestBackend, count: Int = 1) async throws -> Opened {
        let opened = try await backend.open(instances: count)
        return Opened(stores: opened.stores(sqlite: { SQLiteRecordStore(writer: $0) as any SyncRecordStore },
                                            postgres: { PostgresRecordStore(database: $0) }), backend: opened)
    }

    static func service(_ store: any SyncRecordStore) -> SyncService {
        let clock = TestClock(Harness.start)
        let entropy = TestEntropy(seed: 7)
        return SyncService(store: store,
                           environment: ServerEnvironment(now: { clock.now }, newId: { entropy.id() },
                                                          randomBytes: { entropy.bytes($0) }),
                           signer: CertificateSigner(key: .init()))
    }

    @Test(arguments: TestBackend.available)
    func aPushIsAppliedOnceAndPulledWithItsHistory(_ backend: TestBackend) async throws {
        let opened = try await Self.open(backend)
        let sync = Self.service(try #require(opened.stores.first))
        try await opened.addUsers([Self.province, Self.ministry])
        do {
        var device = Device()
        let create = device.create(.notice, set: ["notice.title": .string("通知"), "notice.body": .string("正文")])
        let first = try await sync.push(device.request([create]), user: Self.province)
        #expect(first.results.map(\.status) == [.applied])
        let notice = try #require(first.results.first?.record)
        // The same seq again is a replay: the stored result, nothing applied twice.
        let replay = try await sync.push(device.request([create]), user: Self.province)
        #expect(replay.results.first?.record?.version == notice.version)
        let patch = device.patch(notice, set: ["notice.body": .string("改过的正文")])
        _ = try await sync.push(device.request([patch]), user: Self.province)
        // A gap is refused with the last seq applied.
        let gap = device.raw(seq: 9, notice.id, .notice, .patch, base: 2, set: ["notice.body": .string("x")])
        await #expect(throws: ServiceError.self) { try await sync.push(device.request([gap]), user: Self.province) }
        let pulled = try await sync.pull(user: Self.ministry, after: nil, limit: 100, clientId: nil)
        let bodies = try pulled.records.map { try WireCoding.decodeFast(GreenMineShared.Record.self, from: Data($0.utf8)) }
        #expect(bodies.map(\.id) == [notice.id])
        #expect(bodies.first?.version == 2)
        #expect(bodies.first?.fields["notice.body"]?.string == "改过的正文")
        let store = try #require(opened.stores.first)
        #expect(try await store.lastSeq(client: device.clientId, user: Self.province) == 2)
        let history = try #require(try await store.history(of: notice.id, user: Self.province))
        #expect(history.map(\.version) == [1, 2])
        } catch { Issue.record("\(String(reflecting: error))") }
        await opened.close()
    }

    /// Two devices patch one record at once through two instances, on the version both saw: one is
    /// applied, the other meets the first's version (a conflict on the field both changed, a merge on
    /// the other), never a storage error, and every version is kept. Rounds of 20.
    @Test(arguments: TestBackend.available)
    func concurrentPatchesOnTwoInstancesMeetEachOther(_ backend: TestBackend) async throws {
        let opened = try await Self.open(backend, count: 2)
        try await opened.addUsers([Self.province, Self.ministry])
        let (one, other) = (Self.service(opened.stores[0]), Self.service(opened.stores[1]))
        var poster = Device()
        let created = try await one.push(poster.request([poster.create(.notice, set: [
            "notice.title": .string("通知"), "notice.body": .string("正文")])]), user: Self.province)
        var notice = try #require(created.results.first?.record)
        for round in 0..<20 {
            var first = Device()
            var second = Device()
            let a = first.patch(notice, set: ["notice.body": .string("甲\(round)")])
            let b = second.patch(notice, set: ["notice.body": .string("乙\(round)"), "notice.title": .string("题\(round)")])
            async let left = one.push(first.request([a]), user: Self.province)
            async let right = other.push(second.request([b]), user: Self.province)
            let results = try await [left, right].compactMap(\.results.first)
            #expect(results.map(\.status).sorted { $0.rawValue < $1.rawValue } == [.applied, .conflict],
                    "round \(round): \(results.map(\.status))")
            let pulled = try await one.pull(user: Self.ministry, after: nil, limit: 10, clientId: nil)
            let before = notice.version
            notice = try WireCoding.decodeFast(GreenMineShared.Record.self, from: Data(try #require(pulled.records.first).utf8))
            // The pull has the newer of the two answers' versions, one or two past the round's start (a
            // conflict that kept nothing of its patch makes no version).
            #expect(notice.version == results.compactMap(\.record?.version).max())
            #expect((before + 1...before + 2).contains(notice.version))
        }
        await opened.close()
    }

    /// The pull cursor never skips a change: writers on three instances commit new versions of shared
    /// records, each transaction lingering a little after it took its change number, while a reader
    /// pulls page after page. After every round the reader, pulling on to the end, holds every record's
    /// last version; 1,000 rounds. (With numbers from a plain sequence, a reader passes numbers whose
    /// transactions commit later and misses their records; docs/DECISIONS.md.)
    @Test(arguments: TestBackend.available)
    func theReaderEndsEveryRoundWithEveryRecordsLastVersion(_ backend: TestBackend) async throws {
        let opened = try await Self.open(backend, count: 4)
        let writers = Array(opened.stores.prefix(3))
        let reader = opened.stores[3]
        let ids = (0..<12).map { _ in UUID() }
        let truth = Versions()
        var cursor: Int64 = 0
        var seen: [UUID: Int] = [:]
        let rounds = 1000
        for round in 0..<rounds {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, store) in writers.enumerated() {
                    group.addTask {
                        // Each writer takes its own records this round (never two writers on one record).
                        let mine = ids.enumerated().filter { ($0.offset + round) % writers.count == index }.map(\.element)
                        try await store.write { tx in
                            for id in mine.prefix(2) {
                                let version = await truth.next(id)
                                try await tx.save(Self.notice(id, version: version), parent: nil,
                                                  changedPaths: ["notice.body"], userId: "writer", clientId: nil,
                                                  at: Harness.start)
                                try await Task.sleep(for: .microseconds(200 * (index + 1)))
                            }
                        }
                    }
                }
                // The reader pulls while the writers are in flight.
                for _ in 0..<3 {
                    let page = try await reader.pull(user: Self.ministry, after: cursor, limit: 5)
                    Self.take(page, into: &seen)
                    cursor = page.cursor
                    await Task.yield()
                }
                try await group.waitForAll()
            }
            var more = true
            while more {
                let page = try await reader.pull(user: Self.ministry, after: cursor, limit: 5)
                Self.take(page, into: &seen)
                cursor = page.cursor
                more = page.more
            }
            let expected = await truth.all()
            if seen.filter({ expected[$0.key] != nil }) != expected {
                Issue.record("round \(round): the reader holds \(seen) but the records are at \(expected)")
                break
            }
        }
        await opened.close()
    }

    static func take(_ page: PullPage, into seen: inout [UUID: Int]) {
        for body in page.records {
            if let record = try? WireCoding.decodeFast(GreenMineShared.Record.self, from: Data(body.utf8)) {
                seen[record.id] = record.version
            }
        }
    }

    static func notice(_ id: UUID, version: Int) -> StoredRecord {
        StoredRecord(record: GreenMineShared.Record(id: id, kind: .notice, version: version, state: .approved,
                                                    region: "130000",
                                                    fields: ["notice.title": .string("第\(version)版")]),
                     creatorClient: nil)
    }

    /// The versions the writers gave out, by record.
    actor Versions {
        private var versions: [UUID: Int] = [:]

        func next(_ id: UUID) -> Int {
            let version = (versions[id] ?? 0) + 1
            versions[id] = version
            return version
        }

        func all() -> [UUID: Int] { versions }
    }
}
