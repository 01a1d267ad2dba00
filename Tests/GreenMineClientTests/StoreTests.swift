import Foundation
import GRDB
import GreenMineShared
import Testing
@testable import GreenMineClient

/// The store against a real SQLite file: schema, the client id, one transaction per command.
struct StoreTests {
    @Test func migratesOnceAndKeepsTheClientId() throws {
        let test = TestHome()
        let first = try test.store()
        let id = try first.read { try SyncState.load($0).clientId }
        let second = try test.store()
        #expect(try second.read { try SyncState.load($0).clientId } == id)
        let tables = try second.read {
            try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        }
        for table in ["records", "outbox", "conflicts", "rejections", "sync_state", "licences", "notices_read"] {
            #expect(tables.contains(table))
        }
        let mode = try second.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }

    /// Checkpoints every 8,000 WAL pages cost no durability only because each commit is synced to the
    /// WAL: `synchronous = FULL`, set after GRDB's WAL setup (which sets NORMAL), on every open.
    @Test func syncsEachCommitAndCheckpointsEvery8000Pages() throws {
        let home = TestHome()
        for store in [try home.store(), try home.store()] {
            let settings = try store.write { db in
                (try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint"), try Int.fetchOne(db, sql: "PRAGMA synchronous"))
            }
            #expect(settings.0 == 8_000)
            #expect(settings.1 == 2, "synchronous = FULL")
        }
    }

    @Test func outboxSeqsAreGaplessAndAFailingCommandWritesNothing() async throws {
        let home = await TestHome.loggedIn()
        let pre = await home.newPre()
        #expect(await home.run(["pre", "set", pre, "prerequisites.licencesValid=是"]).status == 0)
        let before = try home.local(pre)
        // One good and one bad assignment: the whole command is refused.
        let bad = await home.run(["pre", "set", pre, "prerequisites.noPenalty=是", "basic.region=1301"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("division code"))
        #expect(try home.local(pre) == before)
        #expect(try home.outbox().map(\.seq) == [1, 2])
        #expect(try home.syncState().nextSeq == 3)
        #expect(await home.run(["pre", "set", pre, "prerequisites.noPenalty=是"]).status == 0)
        #expect(try home.outbox().map(\.seq) == [1, 2, 3])
    }

    @Test func workingCopyIsBasePlusPendingChanges() throws {
        let base = Record(id: UUID(), kind: .preApplication, version: 3, orgId: "org",
                          fields: ["basic.region": .string("130102"), "basic.mineName": .string("old")])
        let now = Date()
        let patch = Mutation(seq: 1, recordId: base.id, kind: .preApplication, op: .patch, baseVersion: 3,
                             set: ["basic.mineName": .string("new"), "remarks.text": .string("备注")], deviceTime: now)
        let clear = Mutation(seq: 2, recordId: base.id, kind: .preApplication, op: .patch, baseVersion: 3,
                             set: ["remarks.text": .null, "basic.region": .string("130104")], deviceTime: now)
        let submit = Mutation(seq: 3, recordId: base.id, kind: .preApplication, op: .transition, baseVersion: 3,
                              transition: .submit, deviceTime: now)
        let working = WorkingCopy.replay(start: base, pending: [patch, clear, submit],
                                         blank: Record(id: base.id, kind: .preApplication))
        #expect(working?.fields == ["basic.region": .string("130104"), "basic.mineName": .string("new")])
        #expect(working?.region == "130104")
        #expect(working?.state == .submitted)
        #expect(working?.version == 3)
    }

    @Test func aCreationPendingOverAnExistingBaseChangesNothing() {
        let base = Record(id: UUID(), kind: .preApplication, version: 2, fields: ["basic.mineName": .string("server")])
        let create = Mutation(seq: 1, recordId: base.id, kind: .preApplication, op: .create,
                              set: ["basic.mineName": .string("first")], deviceTime: Date())
        let working = WorkingCopy.replay(start: base, pending: [create], blank: Record(id: base.id, kind: .preApplication))
        #expect(working?.fields["basic.mineName"] == .string("server"))
    }

    @Test func commandsWorkOfflineAndQueue() async throws {
        let home = await TestHome.loggedIn()
        home.server.offline = true
        let pre = await home.newPre()
        #expect(await home.run(["pre", "set", pre] + Fixtures.prerequisites).status == 0)
        #expect(await home.run(["pre", "delete", pre]).status == 0)
        #expect(try home.outbox().map(\.op) == [.create, .patch, .delete])
        let list = await home.run(["pre", "list"])
        #expect(list.stdout.contains("no pre-application"))
    }
}
