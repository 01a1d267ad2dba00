import Foundation
import GRDB
import GreenMineShared
import Testing
@testable import GreenMineClient

/// Issue 15: a record with nothing pending keeps its JSON once (`working` NULL means "the base"), pull
/// pages store the records' wire text as it came, and a store of the older layout is moved over whole.
struct StoredSnapshotTests {
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("greenmine-snapshot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func record(version: Int, name: String) -> GreenMineShared.Record {
        Record(id: UUID(), kind: .preApplication, version: version, state: version == 0 ? .draft : .submitted,
               orgId: "91130100MA0000001X", region: "130102", fields: ["basic.mineName": .string(name)],
               updatedAt: version == 0 ? nil : Date(timeIntervalSince1970: 1_800_000_000), updatedBy: "u1")
    }

    /// A store at v7 (before `working` could be NULL) holding `rows`, each written as v7 wrote them: the
    /// working copy always, the base when there is one.
    static func olderStore(at path: URL,
                           rows: [(base: GreenMineShared.Record?, working: GreenMineShared.Record)]) throws {
        var configuration = Configuration()
        configuration.journalMode = .wal
        let queue = try DatabaseQueue(path: path.path, configuration: configuration)
        try StoreMigrations.migrator.migrate(queue, upTo: "v7-portal")
        func text(_ record: GreenMineShared.Record) throws -> String {
            String(decoding: try WireCoding.encode(record), as: UTF8.self)
        }
        try queue.write { db in
            for (base, working) in rows {
                try db.execute(sql: """
                    INSERT INTO records (id, kind, base, base_version, working, state, updated_local)
                    VALUES (?, ?, ?, ?, ?, ?, '2027-01-15T00:00:00.000Z')
                    """, arguments: [working.id.lowercased, working.kind.rawValue, try base.map(text), base?.version,
                                     try text(working), working.state.rawValue])
            }
        }
    }

    @Test func aSyncedRecordIsStoredOnceAndAnEditedOneKeepsBoth() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try Store.open(at: folder.appendingPathComponent("store.sqlite"), makeUUID: { UUID() })
        let synced = Self.record(version: 3, name: "同步矿山")
        var edited = Self.record(version: 2, name: "原名")
        let base = edited
        edited.fields["basic.mineName"] = .string("改名")
        let now = Date(timeIntervalSince1970: 1_800_000_100)
        try store.write { db in
            try LocalRecord(id: synced.id, kind: synced.kind, parentId: nil, base: synced, working: synced, origin: nil,
                            updatedLocal: now).insert(db)
            try LocalRecord(id: edited.id, kind: edited.kind, parentId: nil, base: base, working: edited, origin: nil,
                            updatedLocal: now).insert(db)
        }
        let rows = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT id, base IS NOT NULL, working IS NULL FROM records ORDER BY id")
        }
        let byId = Dictionary(uniqueKeysWithValues: rows.map { (($0[0] as String), (base: $0[1] as Bool, same: $0[2] as Bool)) })
        #expect(byId[synced.id.lowercased]?.same == true)
        #expect(byId[edited.id.lowercased]?.same == false)
        let (readSynced, readEdited) = try store.read { db in
            (try LocalRecord.find(db, synced.id), try LocalRecord.find(db, edited.id))
        }
        #expect(readSynced?.working == synced && readSynced?.base == synced)
        #expect(readEdited?.working == edited && readEdited?.base == base)
    }

    @Test func aPulledPageKeepsEachRecordsTextAndStoresItAsItCame() throws {
        let records = [Self.record(version: 1, name: "甲"), Self.record(version: 4, name: "乙 \"引号\"")]
        let wire = try WireCoding.encode(PullResponse(records: records, gone: [], cursor: "c1", more: false, lastSeq: 0))
        let page = try PulledPage.read(wire)
        #expect(page.response.records == records)
        let texts = try #require(page.recordTexts as [String]?)
        #expect(texts.count == 2)
        for (text, record) in zip(texts, records) {
            #expect(try WireCoding.decode(Record.self, from: Data(text.utf8)) == record)
        }
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try Store.open(at: folder.appendingPathComponent("store.sqlite"), makeUUID: { UUID() })
        try store.write { try PullApplier.apply($0, page: page, now: Date()) }
        let stored = try store.read { db in
            try String.fetchOne(db, sql: "SELECT base FROM records WHERE id = ?", arguments: [records[1].id.lowercased])
        }
        #expect(stored == texts[1])
        #expect(try store.read { try LocalRecord.find($0, records[1].id)?.working } == records[1])
    }

    @Test func eachRecordsTextIsExactlyItsObjectWhateverTheWhiteSpaceAround() throws {
        let records = [Self.record(version: 1, name: "丁"), Self.record(version: 2, name: "戊")]
        let texts = try records.map { String(decoding: try WireCoding.encode($0), as: UTF8.self) }
        let wire = Data("{\n  \"records\" : [\n    \(texts[0]) ,\n\t\(texts[1])\n  ],\n  \"gone\": [ ],\"cursor\":\"9\",\"more\":true,\"lastSeq\":0 }\n".utf8)
        let page = try PulledPage.read(wire)
        #expect(page.recordTexts == texts)
        #expect(page.response.records == records && page.response.more)
    }

    @Test func aStoreBeforeTheNewLayoutCanStillBeReadOnly() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("store.sqlite")
        let record = Self.record(version: 2, name: "只读")
        try Self.olderStore(at: path, rows: [(base: record, working: record)])
        // A full disk could not rebuild the table: reading still works.
        let store = try Store.openReadOnly(at: path)
        #expect(try store.read { try LocalRecord.find($0, record.id)?.working } == record)
    }

    @Test func aPageTheFastReaderRefusesIsReadByJSONDecoderWithoutTexts() throws {
        // A key given twice: JSONDecoder reads it, the strict reader does not.
        let record = Self.record(version: 1, name: "丙")
        let text = String(decoding: try WireCoding.encode(record), as: UTF8.self)
        let wire = Data(#"{"records":[\#(text)],"gone":[],"cursor":"c","more":false,"more":false,"lastSeq":0}"#.utf8)
        #expect(throws: (any Error).self) { try FastJSONReader.decode(PullResponse.self, from: wire) }
        _ = try WireCoding.decode(PullResponse.self, from: wire)
        let page = try PulledPage.read(wire)
        #expect(page.recordTexts == nil)
        #expect(page.response.records == [record])
    }

    @Test func aStoreOfTheOlderLayoutIsMovedOverWithEveryRecordAndItsCounts() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("store.sqlite")
        let synced = Self.record(version: 2, name: "旧同步")
        var edited = Self.record(version: 1, name: "旧原名")
        let base = edited
        edited.fields["basic.mineName"] = .string("旧改名")
        let local = Self.record(version: 0, name: "未上传")
        try Self.olderStore(at: path, rows: [(base: synced, working: synced), (base: base, working: edited),
                                             (base: nil, working: local)])
        let store = try Store.open(at: path, makeUUID: { UUID() })
        let (nulls, counts, full) = try store.read { db in
            (try String.fetchAll(db, sql: "SELECT id FROM records WHERE working IS NULL"),
             try RecordCounts.all(db), try RecordCountsTests.fullCount(db))
        }
        #expect(nulls == [synced.id.lowercased])
        #expect(counts == full && counts.map(\.count).reduce(0, +) == 3)
        let read = try store.read { db in try [synced, edited, local].map { (record: GreenMineShared.Record) in try LocalRecord.find(db, record.id) } }
        #expect(read[0]?.base == synced && read[0]?.working == synced)
        #expect(read[1]?.base == base && read[1]?.working == edited)
        #expect(read[2]?.base == nil && read[2]?.working == local)
        // The counts' triggers came with the table.
        try store.write { db in try LocalRecord.remove(db, local.id) }
        #expect(try store.read { try RecordCounts.all($0).map(\.count).reduce(0, +) } == 2)
        // A row with neither copy is refused by the schema.
        #expect(throws: (any Error).self) {
            try store.write { db in
                try db.execute(sql: "INSERT INTO records (id, kind, state, updated_local) VALUES (?, 'notice', 'draft', 'x')",
                               arguments: [UUID().lowercased])
            }
        }
    }
}
