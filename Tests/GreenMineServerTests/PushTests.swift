import Foundation
import GreenMineShared
import Hummingbird
import HummingbirdTesting
import Testing
@testable import GreenMineServer

/// The push edge cases of DESIGN.md §4: replays, cut batches, gaps, merges, conflicts, stale
/// transitions, refusals by role, and concurrent writers.
struct PushTests {
    @Test func theSameBatchSentTwiceIsAppliedOnce() async throws {
        let harness = try await Harness()
        let token = try await harness.token("demo-ent1")
        try await harness.withAPI { api in
            var device = Device()
            let id = UUID()
            let create = device.create(.preApplication, id: id, set: Sample.preApplicationFields())
            let patch = device.patch(id, .preApplication, base: 1, set: ["remarks.text": .string("第一次")])
            let attach = device.attach(GreenMineShared.Record(id: id, kind: .preApplication, version: 2),
                                       slot: "pre.image", sha256: Sample.imageSHA)
            let submit = device.transition(id, .preApplication, base: 3, .submit)
            let batch = device.request([create, patch, attach, submit])
            let first = try await api.push(token, batch)
            #expect(first.results.map(\.status) == [.applied, .applied, .applied, .applied])
            #expect(first.lastSeq == 4)
            #expect(first.results.last?.record?.state == .submitted)
            let counts = try await harness.counts()
            let audit = try await harness.auditCount(id)

            let second = try await api.push(token, batch)
            #expect(second == first)
            #expect(try await harness.counts() == counts)
            #expect(try await harness.auditCount(id) == audit)
            #expect(try await harness.versions(of: id) == [1, 2, 3, 4])
            #expect(try await harness.stored(id)?.version == 4)

            // A later replay of a single old mutation gets its stored result too.
            let replay = try await api.push(token, device.request([patch]))
            #expect(replay.results == [first.results[1]])
            #expect(replay.lastSeq == 4)
            #expect(try await harness.counts() == counts)
        }
    }

    @Test func aBatchCutInHalfAndRetriedAppliesEachMutationOnce() async throws {
        let harness = try await Harness()
        let token = try await harness.token("demo-ent1")
        try await harness.withAPI { api in
            var device = Device()
            let id = UUID()
            let mutations = [
                device.create(.preApplication, id: id, set: ["basic.region": .string(Sample.region)]),
                device.patch(id, .preApplication, base: nil, set: ["basic.licenceNumber": .string(DemoData.licence(1))]),
                device.patch(id, .preApplication, base: nil, set: ["remarks.text": .string("a")]),
                device.patch(id, .preApplication, base: nil, set: ["remarks.text": .string("b")]),
            ]
            // The connection dropped after the server committed the first half; the client never saw
            // the answer and sends the whole batch again.
            let half = try await api.push(token, device.request(Array(mutations.prefix(2))))
            #expect(half.lastSeq == 2)
            let whole = try await api.push(token, device.request(mutations))
            #expect(Array(whole.results.prefix(2)) == half.results)
            #expect(whole.results.map(\.status) == [.applied, .applied, .applied, .applied])
            #expect(whole.lastSeq == 4)
            #expect(try await harness.versions(of: id) == [1, 2, 3, 4])
            #expect(try await harness.auditCount(id) == 4)
            let stored = try #require(try await harness.stored(id))
            #expect(stored.fields["remarks.text"] == .string("b"))
            #expect(stored.fields["basic.licenceNumber"] == .string(DemoData.licence(1)))
            // The second half alone, once more: stored results, nothing new.
            let counts = try await harness.counts()
            let tail = try await api.push(token, device.request(Array(mutations.suffix(2))))
            #expect(tail.results == Array(whole.results.suffix(2)))
            #expect(try await harness.counts() == counts)
            // The pull tells the client how far the server got.
            #expect(try await api.pull(token, clientId: device.clientId).lastSeq == 4)
        }
    }

    @Test func aGapIsRefusedWithTheLastSeqAndNothingIsWritten() async throws {
        let harness = try await Harness()
        let token = try await harness.token("demo-ent1")
        try await harness.withAPI { api in
            var device = Device()
            let id = UUID()
            _ = try await api.push(token, device.request([
                device.create(.preApplication, id: id, set: ["basic.region": .string(Sample.region)]),
                device.patch(id, .preApplication, base: 1, set: ["remarks.text": .string("x")]),
            ]))
            let counts = try await harness.counts()
            // Starts at 4 when the server has 2.
            let gap = try await api.send(.post, "/v1/sync/push", token: token, json: device.request([
                device.raw(seq: 4, id, .preApplication, .patch, base: 2, set: ["remarks.text": .string("y")]),
            ]))
            let detail = try API.expectError(gap, .conflict, "seq_gap")
            #expect(detail.lastSeq == 2)
            // A hole inside the batch, after a valid start.
            let hole = try await api.send(.post, "/v1/sync/push", token: token, json: device.request([
                device.raw(seq: 3, id, .preApplication, .patch, base: 2, set: ["remarks.text": .string("y")]),
                device.raw(seq: 5, id, .preApplication, .patch, base: 3, set: ["remarks.text": .string("z")]),
            ]))
            #expect(try API.expectError(hole, .conflict, "seq_gap").lastSeq == 2)
            // Seqs out of order, zero and negative seqs, and a huge seq.
            for seqs in [[3, 3], [4, 3], [0], [-1], [Int.max], [3, Int.max], [Int.max, Int.max], [Int.max - 1, Int.max]] {
                let mutations = seqs.map {
                    device.raw(seq: $0, id, .preApplication, .patch, base: 2, set: ["remarks.text": .string("q")])
                }
                let response = try await api.send(.post, "/v1/sync/push", token: token, json: device.request(mutations))
                #expect(try API.expectError(response, .conflict, "seq_gap").lastSeq == 2, "seqs \(seqs)")
            }
            #expect(try await harness.counts() == counts)
            #expect(try await harness.stored(id)?.fields["remarks.text"] == .string("x"))
            // Resending from seq 3 works.
            let resumed = try await api.push(token, device.request([
                device.raw(seq: 3, id, .preApplication, .patch, base: 2, set: ["remarks.text": .string("y")]),
            ]))
            #expect(resumed.results.first?.status == .applied)
            #expect(resumed.lastSeq == 3)
        }
    }

    @Test func aFirstPushMustStartAtOne() async throws {
        let harness = try await Harness()
        let token = try await harness.token("demo-ent1")
        try await harness.withAPI { api in
            let device = Device()
            let response = try await api.send(.post, "/v1/sync/push", token: token, json: device.request([
                device.raw(seq: 2, UUID(), .preApplication, .create, set: [:]),
            ]))
            #expect(try API.expectError(response, .conflict, "seq_gap").lastSeq == 0)
            #expect(try await harness.counts().records == 0)
            // An empty batch is harmless and reports where the client stands.
            let empty = try await api.push(token, device.request([]))
            #expect(empty.results.isEmpty)
            #expect(empty.lastSeq == 0)
        }
    }

    @Test func changesToDifferentFieldsMerge() async throws {
        let harness = try await Harness()
        let token = try await harness.token("demo-ent1")
        try await harness.withAPI { api in
            var laptop = Device()
            var desktop = Device()
            let created = try await api.apply(token, laptop, laptop.create(.application, set: [
                "basic.mineName": .string("旧名"), "contact.person": .string("王五"),
            ]))
            let a = try await api.apply(token, laptop, laptop.patch(created, set: ["basic.mineName": .string("新名")]))
            #expect(a.version == 2)
            // The desktop still has version 1 and changes another field.
            let result = try await api.push1(token, desktop, desktop.patch(created, set: [
                "contact.person": .string("赵六"), "basic.mineName": .string("新名"),
            ]))
            #expect(result.status == .merged)
            #expect(result.conflicts == nil)
            let record = try #require(result.record)
            #expect(record.version == 3)
            #expect(record.fields["basic.mineName"] == .string("新名"))
            #expect(record.fields["contact.person"] == .string("赵六"))
            // The laptop's own later change does not count as foreign to the laptop.
            let own = try await api.push1(token, laptop, laptop.patch(a, set: ["contact.mobile": .string("13900000000")]))
            #expect(own.status == .merged)
            #expect(own.record?.version == 4)
            let again = try await api.push1(token, laptop, laptop.patch(
                created.id, .application, base: 4, set: ["contact.email": .string("a@example.com")]))
            #expect(again.status == .applied)
            #expect(try await harness.versions(of: created.id) == [1, 2, 3, 4, 5])
        }
    }

    @Test func changesToTheSameFieldConflictAndTheRestIsApplied() async throws {
        let harness = try await Harness()
        let token = try await harness.token("demo-ent1")
        try await harness.withAPI { api in
            var laptop = Device()
            var desktop = Device()
            let created = try await api.apply(token, laptop, laptop.create(.application, set: [
                "basic.mineName": .string("旧名"), "contact.person": .string("王五"),
            ]))
            _ = try await api.apply(token, laptop, laptop.patch(created, set: ["basic.mineName": .string("笔记本的名")]))
            let result = try await api.push1(token, desktop, desktop.patch(created, set: [
                "basic.mineName": .string("台式机的名"), "contact.person": .string("赵六"),
            ]))
            #expect(result.status == .conflict)
            #expect(result.conflicts == [FieldConflict(path: "basic.mineName", mine: .string("台式机的名"),
                                                       theirs: .string("笔记本的名"))])
            let record = try #require(result.record)
            #expect(record.version == 3)
            #expect(record.fields["basic.mineName"] == .string("笔记本的名"))
            #expect(record.fields["contact.person"] == .string("赵六"))
            let stored = try #require(try await harness.stored(created.id))
            #expect(stored == record)
            // A conflict on every field it sets writes no version at all.
            let counts = try await harness.counts()
            let only = try await api.push1(token, desktop, desktop.patch(created, set: [
                "basic.mineName": .string("再一次"),
            ]))
            #expect(only.status == .conflict)
            #expect(only.record?.version == 3)
            #expect(try await harness.counts().writes == counts.writes)
            // Clearing a field another device changed is a conflict too, with null as mine.
            let cleared = try await api.push1(token, desktop, desktop.patch(created, set: ["basic.mineName": .null]))
            #expect(cleared.status == .conflict)
            #expect(cleared.conflicts?.first?.mine == .null)
        }
    }

    @Test func aTransitionOnAStaleVersionIsRefused() async throws {
        let harness = try await Harness()
        let enterprise = try await harness.token("demo-ent1")
        let province = try await harness.token("demo-province")
        try await harness.withAPI { api in
            var laptop = Device()
            var desktop = Device()
            let draft = try await api.draftPreApplication(enterprise, &laptop)
            _ = try await api.apply(enterprise, desktop, desktop.patch(draft, set: ["remarks.text": .string("改")]))
            let counts = try await harness.counts()
            try await api.expectRejected(enterprise, laptop, laptop.transition(draft, .submit), "stale")
            #expect(try await harness.counts().writes == counts.writes)
            #expect(try await harness.stored(draft.id)?.state == .draft)
            // After syncing, the same submit goes through.
            let current = try #require(try await api.pullAll(enterprise).records[draft.id])
            let submitted = try await api.apply(enterprise, laptop, laptop.transition(current, .submit))
            #expect(submitted.state == .submitted)

            // The province acts on what it saw; the enterprise withdraws and resubmits meanwhile.
            var reviewer = Device()
            let seen = try #require(try await api.pullAll(province).records[draft.id])
            let withdrawn = try await api.apply(enterprise, laptop, laptop.transition(submitted, .withdraw))
            _ = try await api.apply(enterprise, laptop, laptop.transition(withdrawn, .submit))
            try await api.expectRejected(province, reviewer, reviewer.transition(seen, .accept), "stale")
            #expect(try await harness.stored(draft.id)?.state == .submitted)
        }
    }

    @Test func transitionsByTheWrongRoleAreRefused() async throws {
        let harness = try await Harness()
        let enterprise = try await harness.token("demo-ent1")
        let county = try await harness.token("demo-county")
        let city = try await harness.token("demo-city")
        let ministry = try await harness.token("demo-ministry")
        let province = try await harness.token("demo-province")
        try await harness.withAPI { api in
            var ent = Device()
            let submitted = try await api.submittedPreApplication(enterprise, &ent)
            let counts = try await harness.counts()
            for (token, transition) in [(county, Transition.accept), (city, .accept), (ministry, .accept),
                                        (county, .approve), (enterprise, .accept), (enterprise, .approve),
                                        (county, .submit), (county, .withdraw), (province, .submit),
                                        (province, .withdraw), (ministry, .approve)] {
                var someone = Device()
                try await api.expectRejected(token, someone, someone.transition(submitted, transition,
                                                                                comment: "意见"),
                                             "role_not_allowed")
            }
            #expect(try await harness.counts().writes == counts.writes)
            #expect(try await harness.stored(submitted.id)?.state == .submitted)
            // An opinion is the county's to give: it changes no state but is recorded.
            var reviewer = Device()
            let opinion = try await api.apply(county, reviewer, reviewer.transition(submitted, .opinion,
                                                                                    comment: "材料齐全"))
            #expect(opinion.state == .submitted)
            #expect(opinion.version == submitted.version + 1)
            try await api.expectRejected(county, reviewer, reviewer.transition(opinion, .opinion), "comment_required")
            // Roles that may not create a kind are refused too.
            try await api.expectRejected(county, reviewer, reviewer.create(.preApplication, set: [:]), "role_not_allowed")
            try await api.expectRejected(enterprise, ent, ent.create(.certificate, set: [:]), "role_not_allowed")
            try await api.expectRejected(enterprise, ent, ent.create(.notice, set: [:]), "role_not_allowed")
            // Nobody but the enterprise edits its record's fields.
            var provinceDevice = Device()
            try await api.expectRejected(province, provinceDevice, provinceDevice.patch(
                opinion, set: ["remarks.text": .string("x")]), "role_not_allowed")
        }
    }

    @Test func twoClientsPushingToOneRecordConcurrentlyLoseNothing() async throws {
        let harness = try await Harness()
        let token = try await harness.token("demo-ent1")
        try await harness.withAPI { api in
            var owner = Device()
            let created = try await api.apply(token, owner, owner.create(.application, set: [
                "basic.mineName": .string("起始"),
            ]))
            let rounds = 10
            let results = try await withThrowingTaskGroup(of: [MutationResult].self) { group in
                for writer in 0..<2 {
                    group.addTask {
                        var device = Device()
                        var out: [MutationResult] = []
                        for round in 0..<rounds {
                            // Each writer sets its own field and the shared one, always from version 1.
                            let own = writer == 0 ? "contact.person" : "contact.address"
                            out.append(try await api.push1(token, device, device.patch(created, set: [
                                own: .string("w\(writer)-r\(round)"),
                                "basic.mineName": .string("w\(writer)-r\(round)"),
                            ])))
                        }
                        return out
                    }
                }
                var all: [MutationResult] = []
                for try await batch in group { all += batch }
                return all
            }
            #expect(results.count == 2 * rounds)
            #expect(results.allSatisfy { $0.status != .rejected })
            let record = try #require(try await harness.stored(created.id))
            // Both writers' own fields hold their last values: no update was lost.
            #expect(record.fields["contact.person"] == .string("w0-r\(rounds - 1)"))
            #expect(record.fields["contact.address"] == .string("w1-r\(rounds - 1)"))
            // The shared field holds a value one of them wrote, and every write that did not win it
            // reported a conflict naming it.
            let shared = try #require(record.fields["basic.mineName"]?.string)
            #expect(shared.hasPrefix("w"))
            for result in results where result.status == .conflict {
                #expect(result.conflicts?.map(\.path) == ["basic.mineName"])
            }
            let versions = try await harness.versions(of: created.id)
            #expect(versions == Array(1...record.version))
            #expect(try await harness.auditCount(created.id) == record.version)
        }
    }

    @Test func aRetryRacingTheOriginalIsAppliedOnce() async throws {
        let harness = try await Harness()
        let token = try await harness.token("demo-ent1")
        try await harness.withAPI { api in
            var device = Device()
            let id = UUID()
            let batch = device.request([
                device.create(.preApplication, id: id, set: ["basic.region": .string(Sample.region)]),
                device.patch(id, .preApplication, base: 1, set: ["remarks.text": .string("一")]),
                device.patch(id, .preApplication, base: 2, set: ["remarks.text": .string("二")]),
            ])
            let responses = try await withThrowingTaskGroup(of: PushResponse.self) { group in
                for _ in 0..<4 {
                    group.addTask { try await api.push(token, batch) }
                }
                var all: [PushResponse] = []
                for try await response in group { all.append(response) }
                return all
            }
            #expect(responses.count == 4)
            #expect(Set(responses).count == 1)
            #expect(try await harness.versions(of: id) == [1, 2, 3])
            #expect(try await harness.auditCount(id) == 3)
        }
    }

    @Test func aClientIdBelongsToOneUser() async throws {
        let harness = try await Harness()
        let ent1 = try await harness.token("demo-ent1")
        let ent2 = try await harness.token("demo-ent2")
        try await harness.withAPI { api in
            var device = Device()
            _ = try await api.apply(ent1, device, device.create(.preApplication, set: [:]))
            let counts = try await harness.counts()
            let response = try await api.send(.post, "/v1/sync/push", token: ent2, json: device.request([
                device.create(.preApplication, set: [:]),
            ]))
            try API.expectError(response, .forbidden, "client_mismatch")
            #expect(try await harness.counts() == counts)
            // Its lastSeq is not told to another user either.
            #expect(try await api.pull(ent2, clientId: device.clientId).lastSeq == 0)
            #expect(try await api.pull(ent1, clientId: device.clientId).lastSeq == 1)
        }
    }

    @Test func perMutationRefusalsAreStoredAndTheQueueMovesOn() async throws {
        let harness = try await Harness()
        let token = try await harness.token("demo-ent1")
        try await harness.withAPI { api in
            var device = Device()
            let id = UUID()
            let other = UUID()
            let batch = device.request([
                device.create(.preApplication, id: id, set: ["basic.region": .string(Sample.region)]),
                device.create(.preApplication, id: id, set: [:]),
                device.patch(id, .preApplication, base: 1, set: ["no.such.field": .string("x")]),
                device.patch(id, .preApplication, base: 1, set: ["review.agency": .string("自己指派")]),
                device.patch(id, .preApplication, base: 1, set: ["meta.owner": .string("me")]),
                device.patch(id, .preApplication, base: 1, set: ["prerequisites.noPenalty": .string("yes")]),
                device.patch(id, .preApplication, base: 1, set: ["basic.region": .int(130102)]),
                device.patch(id, .preApplication, base: 1, set: ["remarks.text": .string(String(repeating: "长", count: 100_001))]),
                device.patch(id, .application, base: 1, set: ["basic.mineName": .string("x")]),
                device.patch(id, .preApplication, base: 9, set: ["remarks.text": .string("x")]),
                device.patch(other, .preApplication, base: 1, set: ["remarks.text": .string("x")]),
                device.transition(id, .preApplication, base: 1, .assign, agency: "某机构"),
                device.create(.evidence, set: ["evidence.indicator": .string("1.1.1")]),
                device.create(.evidence, set: ["evidence.indicator": .string("1.1.1")], parent: id),
                device.create(.application, set: [:], parent: UUID()),
                device.patch(id, .preApplication, base: 1, set: ["remarks.text": .string("最后")]),
            ])
            var transitionMissing = device.transition(id, .preApplication, base: 2, .submit)
            transitionMissing.transition = nil
            let response = try await api.push(token, batch)
            let codes = response.results.map { $0.error?.code ?? $0.status.rawValue }
            #expect(codes == [
                "applied", "already_exists", "unknown_field", "field_server_managed", "field_server_managed",
                "invalid_field", "invalid_field", "invalid_field", "kind_mismatch", "bad_base_version", "not_found",
                "transition_not_applicable", "parent_required", "parent_kind", "parent_not_found", "applied",
            ])
            #expect(response.lastSeq == 16)
            #expect(try await harness.versions(of: id) == [1, 2])
            let last = try await api.push(token, device.request([transitionMissing]))
            #expect(last.results.first?.error?.code == "transition_missing")
            // A patch from another client needs the version it was made on.
            var second = Device()
            try await api.expectRejected(token, second, second.patch(id, .preApplication, base: nil,
                                                                     set: ["remarks.text": .string("y")]),
                                         "base_version_required")
            #expect(try await harness.versions(of: id) == [1, 2])
        }
    }

    @Test func deleteOnlyInDraftAndDeletedRecordsAreGone() async throws {
        let harness = try await Harness()
        let token = try await harness.token("demo-ent1")
        try await harness.withAPI { api in
            var device = Device()
            let submitted = try await api.submittedPreApplication(token, &device)
            try await api.expectRejected(token, device, device.delete(submitted), "not_deletable")
            let draft = try await api.apply(token, device, device.create(.preApplication, set: [:]))
            let start = try await api.pullAll(token)
            #expect(start.records[draft.id] != nil)
            let deleted = try await api.apply(token, device, device.delete(draft))
            #expect(deleted.deleted)
            try await api.expectRejected(token, device, device.patch(deleted, set: ["remarks.text": .string("x")]),
                                         "not_found")
            let pulled = try await api.pullAll(token, after: start.cursor)
            #expect(pulled.gone == [draft.id])
            #expect(pulled.records.isEmpty)
            #expect(Set(try await api.pullAll(token).records.keys) == [submitted.id])
            try API.expectError(try await api.history(token, draft.id), .notFound, "not_found")
        }
    }
}
