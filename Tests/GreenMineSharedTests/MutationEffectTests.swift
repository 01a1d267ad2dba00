import Foundation
import Testing
@testable import GreenMineShared

/// The one mutation rule server, client and fake share: the merge rule of a patch, the region,
/// the version stamp, attach and detach as set operations, who may create what, and notice scope.
struct MutationEffectTests {
    static let now = Date(timeIntervalSince1970: 1_796_113_800)
    static let regions = RegionTable.standard

    static func application(_ fields: [String: JSONValue] = [:]) -> Record {
        var base: [String: JSONValue] = ["basic.region": .string("130102"), "basic.mineName": .string("旧名"),
                                         "contact.person": .string("王五")]
        base.merge(fields) { $1 }
        return Record(id: UUID(), kind: .application, version: 3, region: "130102", fields: base,
                      updatedAt: Date(timeIntervalSince1970: 0), updatedBy: "u-old")
    }

    static func patch(_ record: Record, _ set: [String: JSONValue], foreign: [[String]] = [],
                      parentRegion: String? = nil) -> MutationEffect.PatchOutcome {
        MutationEffect.patch(record, set: set, foreign: .init(versions: foreign), parentRegion: parentRegion,
                             regions: regions, at: now, by: "u-me")
    }

    // MARK: merge rule

    @Test func aPatchOnTheLatestVersionIsAppliedAndStamped() {
        let record = Self.application()
        let outcome = Self.patch(record, ["basic.mineName": .string("新名")])
        #expect(outcome.status == .applied)
        #expect(outcome.changed == ["basic.mineName"])
        #expect(outcome.conflicts.isEmpty)
        #expect(outcome.record.fields["basic.mineName"] == .string("新名"))
        #expect(outcome.record.version == 4)
        #expect(outcome.record.updatedAt == Self.now)
        #expect(outcome.record.updatedBy == "u-me")
    }

    @Test func foreignChangesToOtherFieldsMerge() {
        let outcome = Self.patch(Self.application(), ["contact.person": .string("赵六")],
                                 foreign: [["basic.mineName"], ["@state"]])
        #expect(outcome.status == .merged)
        #expect(outcome.changed == ["contact.person"])
        #expect(outcome.record.fields["contact.person"] == .string("赵六"))
        #expect(outcome.record.version == 4)
    }

    @Test func aForeignVersionThatChangedNoFieldStillMakesItMerged() {
        let outcome = Self.patch(Self.application(), ["contact.person": .string("赵六")], foreign: [[]])
        #expect(outcome.status == .merged)
    }

    @Test func aFieldAForeignVersionChangedIsAConflictAndTheRestIsApplied() {
        let outcome = Self.patch(Self.application(), [
            "basic.mineName": .string("我的名"), "contact.person": .string("赵六"),
        ], foreign: [["basic.mineName"]])
        #expect(outcome.status == .conflict)
        #expect(outcome.conflicts == [FieldConflict(path: "basic.mineName", mine: .string("我的名"),
                                                    theirs: .string("旧名"))])
        #expect(outcome.changed == ["contact.person"])
        #expect(outcome.record.fields["basic.mineName"] == .string("旧名"))
        #expect(outcome.record.fields["contact.person"] == .string("赵六"))
        #expect(outcome.record.version == 4)
    }

    @Test func onlyConflictsLeaveTheRecordUnstamped() {
        let record = Self.application()
        let outcome = Self.patch(record, ["basic.mineName": .string("我的名")], foreign: [["basic.mineName"]])
        #expect(outcome.status == .conflict)
        #expect(outcome.changed.isEmpty)
        #expect(outcome.record == record)
    }

    @Test func equalValuesAreSkippedEvenOnForeignPaths() {
        let record = Self.application()
        let outcome = Self.patch(record, ["basic.mineName": .string("旧名")], foreign: [["basic.mineName"]])
        #expect(outcome.status == .merged)
        #expect(outcome.changed.isEmpty)
        #expect(outcome.conflicts.isEmpty)
        #expect(outcome.record == record)
        #expect(Self.patch(record, ["remarks.text": .null]).record == record)
    }

    @Test func nullClearsAField() {
        let outcome = Self.patch(Self.application(), ["contact.person": .null])
        #expect(outcome.status == .applied)
        #expect(outcome.changed == ["contact.person"])
        #expect(outcome.record.fields["contact.person"] == nil)
        #expect(outcome.record.fields.keys.contains("contact.person") == false)
        let clash = Self.patch(Self.application(), ["contact.person": .null], foreign: [["contact.person"]])
        #expect(clash.conflicts == [FieldConflict(path: "contact.person", mine: .null, theirs: .string("王五"))])
    }

    @Test func changedPathsAreSorted() {
        let outcome = Self.patch(Self.application(), [
            "remarks.text": .string("x"), "basic.mineName": .string("y"), "contact.person": .string("z"),
        ])
        #expect(outcome.changed == ["basic.mineName", "contact.person", "remarks.text"])
    }

    // MARK: region

    @Test func theRegionFollowsTheKindsRegionFieldWhenItIsAKnownCode() {
        let moved = Self.patch(Self.application(), ["basic.region": .string("130104")])
        #expect(moved.record.region == "130104")
        let unknown = Self.patch(Self.application(), ["basic.region": .string("999999")])
        #expect(unknown.record.region == nil)
        let cleared = Self.patch(Self.application(), ["basic.region": .null])
        #expect(cleared.record.region == nil)
        // Any change recomputes it from the field.
        var stale = Self.application()
        stale.region = nil
        #expect(Self.patch(stale, ["remarks.text": .string("x")]).record.region == "130102")
    }

    @Test func aKindWithoutARegionFieldTakesItsParentsRegion() {
        let evidence = Record(id: UUID(), kind: .evidence, version: 1, region: "130102")
        #expect(MutationEffect.region(of: evidence, parentRegion: "130104", regions: Self.regions) == "130104")
        #expect(MutationEffect.region(of: evidence, parentRegion: nil, regions: Self.regions) == nil)
        let notice = Record(id: UUID(), kind: .notice, fields: ["notice.region": .string("130000")])
        #expect(MutationEffect.region(of: notice, parentRegion: "110000", regions: Self.regions) == "130000")
    }

    @Test func theClientsFieldSetFollowsTheSameRegionRule() {
        var record = Self.application()
        record.apply(fieldSet: ["basic.region": .string("999999")])
        #expect(record.region == nil)
        record.apply(fieldSet: ["basic.region": .string("130104")])
        #expect(record.region == "130104")
    }

    // MARK: attach and detach

    static let photo = AttachmentRef(slot: "app.photo", sha256: String(repeating: "ab", count: 32), size: 10,
                                     mime: "image/jpeg", name: "a.jpg")

    @Test func attachingIsASetOperationBySlotAndHash() throws {
        let record = Self.application()
        let once = try #require(MutationEffect.attaching(Self.photo, to: record))
        #expect(once.attachments == [Self.photo])
        #expect(once.version == record.version)
        var renamed = Self.photo
        renamed.name = "b.jpg"
        #expect(MutationEffect.attaching(renamed, to: once) == nil)
        var otherSlot = Self.photo
        otherSlot.slot = "app.other"
        #expect(MutationEffect.attaching(otherSlot, to: once)?.attachments.count == 2)
        var otherFile = Self.photo
        otherFile.sha256 = String(repeating: "cd", count: 32)
        #expect(MutationEffect.attaching(otherFile, to: once)?.attachments.count == 2)
    }

    @Test func detachingRemovesTheFileAndAbsentFilesChangeNothing() throws {
        var record = Self.application()
        record.attach(Self.photo)
        let detached = try #require(MutationEffect.detaching(slot: Self.photo.slot, sha256: Self.photo.sha256,
                                                             from: record))
        #expect(detached.record.attachments.isEmpty)
        #expect(detached.removed == Self.photo)
        #expect(MutationEffect.detaching(slot: Self.photo.slot, sha256: Self.photo.sha256, from: detached.record) == nil)
        #expect(MutationEffect.detaching(slot: "app.other", sha256: Self.photo.sha256, from: record) == nil)
    }

    @Test func stampingBumpsTheVersionOnly() {
        let record = Self.application()
        let next = MutationEffect.stamped(record, at: Self.now, by: "u-me")
        #expect(next.version == record.version + 1)
        #expect(next.updatedAt == Self.now)
        #expect(next.updatedBy == "u-me")
        #expect(next.fields == record.fields)
    }

    // MARK: who creates what

    @Test func theCreationTable() {
        // Written by kind (who may make it), independently of the table's by-role form.
        let makers: [RecordKind: Set<Role>] = [
            .preApplication: [.enterprise], .application: [.enterprise], .evidence: [.enterprise],
            .appeal: [.enterprise], .assessment: [.assessor], .notice: [.province, .ministry],
            .profile: Set(Role.allCases),
        ]
        for role in Role.allCases {
            for kind in RecordKind.allCases {
                let allowed = makers[kind]?.contains(role) == true
                #expect(CreationRules.mayCreate(kind, role: role) == allowed, "\(role) \(kind)")
                #expect((CreationRules.violation(creating: kind, role: role) == nil) == allowed, "\(role) \(kind)")
            }
        }
        // Nobody creates a certificate: the server issues it.
        #expect(Role.allCases.allSatisfy { !CreationRules.mayCreate(.certificate, role: $0) })
        let refused = CreationRules.violation(creating: .notice, role: .enterprise)
        #expect(refused?.code == "role_not_allowed")
        #expect(refused?.message.en == "an enterprise cannot create a notice")
        #expect(CreationRules.violation(creating: .application, role: .county)?.message.en
                 == "a county reviewer cannot create an application")
        #expect(refused?.message.zh == "矿业权人不能创建通知公告")
    }

    // MARK: notice scope

    static let province = Actor(userId: "u-prov", role: .province, region: "130000")
    static let ministry = Actor(userId: "u-min", role: .ministry)

    @Test func aProvincePostsToItsWholeProvinceByDefault() throws {
        #expect(try NoticeScope.region(nil, by: Self.province, regions: Self.regions).get() == "130000")
        var notice = Record(id: UUID(), kind: .notice, fields: ["notice.title": .string("t")])
        #expect(NoticeScope.scope(&notice, by: Self.province, regions: Self.regions) == nil)
        #expect(notice.region == "130000")
        #expect(notice.fields["notice.region"] == .string("130000"))
    }

    @Test func aProvincePostsWithinItsProvinceOnly() throws {
        #expect(try NoticeScope.region("130102", by: Self.province, regions: Self.regions).get() == "130102")
        #expect(try NoticeScope.region("130000", by: Self.province, regions: Self.regions).get() == "130000")
        guard case .failure(let violation) = NoticeScope.region("110000", by: Self.province, regions: Self.regions)
        else {
            Issue.record("a notice for Beijing by Hebei's province was allowed")
            return
        }
        #expect(violation.code == "out_of_region")
        #expect(violation.message.en.contains("a province posts notices within its own province only: 110000 is outside"))
        #expect(violation.message.zh.contains("省级主管部门只能在本省范围内发布通知公告"))
        var notice = Record(id: UUID(), kind: .notice, region: "110000", fields: ["notice.region": .string("110000")])
        let before = notice
        #expect(NoticeScope.scope(&notice, by: Self.province, regions: Self.regions)?.code == "out_of_region")
        #expect(notice == before)
    }

    @Test func theMinistryPostsAnywhereAndNationwideByDefault() throws {
        #expect(try NoticeScope.region(nil, by: Self.ministry, regions: Self.regions).get() == nil)
        #expect(try NoticeScope.region("110000", by: Self.ministry, regions: Self.regions).get() == "110000")
        var notice = Record(id: UUID(), kind: .notice)
        #expect(NoticeScope.scope(&notice, by: Self.ministry, regions: Self.regions) == nil)
        #expect(notice.region == nil)
        #expect(notice.fields["notice.region"] == nil)
    }

    @Test func aProvinceWithoutARegionIsLeftAsAsked() throws {
        let nowhere = Actor(userId: "u-p", role: .province)
        #expect(try NoticeScope.region("110000", by: nowhere, regions: Self.regions).get() == "110000")
        #expect(try NoticeScope.region(nil, by: nowhere, regions: Self.regions).get() == nil)
    }
}
