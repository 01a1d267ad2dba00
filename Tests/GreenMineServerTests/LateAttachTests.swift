import Foundation
import GreenMineShared
import Hummingbird
import HummingbirdTesting
import Testing
@testable import GreenMineServer

/// A file attached while the record could be edited may arrive after the submit on a slow link
/// (`Workflow.lateAttachAllowed`, docs/DECISIONS.md "Field links (issue 10), server side").
struct LateAttachTests {
    /// A second image the server holds.
    static let secondImageSHA = String(repeating: "ef", count: 32)

    static func harness() async throws -> Harness {
        let harness = try await Harness()
        try await harness.addBlob(secondImageSHA, size: 4096, mime: "image/jpeg")
        return harness
    }

    @Test func anAttachQueuedOnTheDraftIsAppliedAfterTheSubmit() async throws {
        let harness = try await Self.harness()
        let token = try await harness.token("demo-ent1")
        try await harness.withAPI { api in
            var device = Device()
            let draft = try await api.draftPreApplication(token, &device)
            let submitted = try await api.apply(token, device, device.transition(draft, .submit))
            // The attach was made on the draft; only its bytes arrived after the submit.
            let attached = try await api.apply(token, device, device.attach(draft, slot: "pre.image",
                                                                            sha256: Self.secondImageSHA))
            #expect(attached.state == .submitted)
            #expect(attached.version == submitted.version + 1)
            #expect(attached.attachments.map(\.sha256) == [Sample.imageSHA, Self.secondImageSHA])
            let history = try API.decode(HistoryResponse.self, try await api.history(token, draft.id))
            let last = try #require(history.events.last)
            #expect(last.action == "attach")
            #expect(last.comment?.contains("late") == true)
            #expect(last.fromState == .submitted && last.toState == .submitted)
            // Sent again, the same attach changes nothing.
            let again = try await api.push1(token, device, device.attach(draft, slot: "pre.image",
                                                                        sha256: Self.secondImageSHA))
            #expect(again.record?.version == attached.version)
        }
    }

    @Test func aRecordCreatedOfflineTakesItsLateFileWithoutABaseVersion() async throws {
        let harness = try await Self.harness()
        let token = try await harness.token("demo-ent1")
        try await harness.withAPI { api in
            var device = Device()
            let draft = try await api.draftPreApplication(token, &device)
            let submitted = try await api.apply(token, device, device.transition(draft, .submit))
            // Created, attached and submitted before the first push: the attach carries no baseVersion,
            // and for the creating client that means version 1, a draft.
            var attach = device.attach(draft, slot: "pre.image", sha256: Self.secondImageSHA)
            attach.baseVersion = nil
            let attached = try await api.apply(token, device, attach)
            #expect(attached.version == submitted.version + 1)
            #expect(attached.attachments.count == 2)
            // Another device of the same organisation did not create it: without a base it is refused.
            var other = Device()
            var stranger = other.attach(draft, slot: "pre.image", sha256: Sample.imageSHA)
            stranger.baseVersion = nil
            let refused = try await api.push1(token, other, stranger)
            #expect(refused.status == .rejected)
        }
    }

    @Test func anotherDeviceWithAStaleDraftCannotAddAFileAfterTheSubmit() async throws {
        let harness = try await Self.harness()
        let token = try await harness.token("demo-ent1")
        try await harness.withAPI { api in
            var laptop = Device()
            let draft = try await api.draftPreApplication(token, &laptop)
            _ = try await api.apply(token, laptop, laptop.transition(draft, .submit))
            // A second device of the same company still holds the draft: its attach is an edit of a
            // record it did not submit, and stays refused.
            var tablet = Device()
            try await api.expectRejected(token, tablet, tablet.attach(draft, slot: "pre.image",
                                                                      sha256: Self.secondImageSHA), "not_editable")
        }
    }

    @Test func afterTheProvinceAcceptedTheLateAttachIsMerged() async throws {
        let harness = try await Self.harness()
        let token = try await harness.token("demo-ent1")
        let province = try await harness.token("demo-province")
        try await harness.withAPI { api in
            var device = Device()
            var prov = Device()
            let draft = try await api.draftPreApplication(token, &device)
            let submitted = try await api.apply(token, device, device.transition(draft, .submit))
            _ = try await api.apply(province, prov, prov.transition(submitted, .accept))
            let result = try await api.push1(token, device, device.attach(draft, slot: "pre.image",
                                                                         sha256: Self.secondImageSHA))
            #expect(result.status == .merged)
            #expect(result.record?.state == .underReview)
            #expect(result.record?.attachments.count == 2)
        }
    }

    @Test func everythingElseStaysRefused() async throws {
        let harness = try await Self.harness()
        let token = try await harness.token("demo-ent1")
        let other = try await harness.token("demo-ent2")
        let province = try await harness.token("demo-province")
        try await harness.withAPI { api in
            var device = Device()
            var prov = Device()
            let draft = try await api.draftPreApplication(token, &device)
            let submitted = try await api.apply(token, device, device.transition(draft, .submit))
            // An attach made on the submitted record: editing was not allowed then.
            try await api.expectRejected(token, device, device.attach(submitted, slot: "pre.image",
                                                                      sha256: Self.secondImageSHA), "not_editable")
            // A detach or a field change from the draft stays refused.
            var detach = device.attach(draft, slot: "pre.image", sha256: Sample.imageSHA)
            detach.op = .detach
            try await api.expectRejected(token, device, detach, "not_editable")
            try await api.expectRejected(token, device, device.patch(draft, set: ["remarks.text": .string("晚了")]),
                                         "not_editable")
            // The slot's rules still hold: a PDF is no image.
            try await api.expectRejected(token, device, device.attach(draft, slot: "pre.image", sha256: Sample.pdfSHA),
                                         "attachment_rule")
            // Another organisation does not even see the record.
            var stranger = Device()
            try await api.expectRejected(other, stranger, stranger.attach(draft, slot: "pre.image",
                                                                          sha256: Self.secondImageSHA), "not_found")
            // Once approved, no file arrives late.
            _ = try await api.approvedByProvince(submitted, province: province, &prov)
            try await api.expectRejected(token, device, device.attach(draft, slot: "pre.image",
                                                                      sha256: Self.secondImageSHA), "not_editable")
            #expect(try await harness.stored(draft.id)?.attachments.count == 1)
        }
    }
}
