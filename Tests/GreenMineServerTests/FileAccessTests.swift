import Foundation
import GreenMineShared
import Hummingbird
import HummingbirdTesting
import Testing
@testable import GreenMineServer

/// Issue 11, files: knowing a SHA-256 is not enough to attach or read another organisation's file,
/// and a file is read only through a record that has it now.
struct FileAccessTests {
    static let privateSHA = String(repeating: "7c", count: 32)
    static let nobodysSHA = String(repeating: "5d", count: 32)

    @Test func anotherOrganisationsHashIsAsMissingAsAHashNobodyHas() async throws {
        let harness = try await Harness()
        try await harness.ownBlob(Self.privateSHA, size: 3000, mime: "image/jpeg", by: "demo-ent1")
        let ent1 = try await harness.token("demo-ent1")
        let ent2 = try await harness.token("demo-ent2")
        try await harness.withAPI { api in
            var mine = Device()
            var theirs = Device()
            let own = try await api.draftPreApplication(ent1, &mine)
            let attached = try await api.apply(ent1, mine, mine.attach(own, slot: "pre.image", sha256: Self.privateSHA))
            #expect(attached.attachments.contains { $0.sha256 == Self.privateSHA })
            // Enterprise 2 names the hash on its own draft: the same answer as for a hash nobody has.
            let draft = try await api.draftPreApplication(ent2, &theirs, licence: DemoData.licence(2))
            let stolen = try await api.push1(ent2, theirs, theirs.attach(draft, slot: "pre.image", sha256: Self.privateSHA))
            let unknown = try await api.push1(ent2, theirs, theirs.attach(draft, slot: "pre.image", sha256: Self.nobodysSHA))
            #expect(stolen.status == .rejected && stolen.error?.code == "blob_missing")
            #expect(unknown.status == .rejected && unknown.error?.code == "blob_missing")
            #expect(stolen.error?.message == unknown.error?.message)
            // And cannot read it either way.
            // (HEAD and GET share one rule; the harness's blobs are rows without files, so HEAD is asked.)
            #expect(try await api.send(.head, "/v1/blobs/\(Self.privateSHA)", token: ent2).status == .notFound)
            #expect(try await api.send(.head, "/v1/blobs/\(Self.privateSHA)", token: ent1).status == .ok)
        }
    }

    @Test func aColleagueOfTheSameOrganisationMayAttachIt() async throws {
        let harness = try await Harness()
        try await harness.ownBlob(Self.privateSHA, size: 3000, mime: "image/jpeg", by: "demo-ent1")
        _ = try await AdminService(services: harness.services).addUser(
            NewUser(username: "ent1-colleague", role: .enterprise, orgId: DemoData.creditCode(1)),
            password: "Colleague-pass1")
        let colleague = try await harness.services.auth.login(username: "ent1-colleague", password: "Colleague-pass1",
                                                              address: "setup").token
        try await harness.withAPI { api in
            var device = Device()
            let draft = try await api.draftPreApplication(colleague, &device)
            let attached = try await api.apply(colleague, device, device.attach(draft, slot: "pre.image",
                                                                             sha256: Self.privateSHA))
            #expect(attached.attachments.count == 2)
        }
    }

    @Test func aFileDetachedInDraftIsNotReadableByReviewersAfterTheSubmit() async throws {
        let harness = try await Harness()
        try await harness.ownBlob(Self.privateSHA, size: 3000, mime: "image/jpeg", by: "demo-ent1")
        let ent1 = try await harness.token("demo-ent1")
        let province = try await harness.token("demo-province")
        try await harness.withAPI { api in
            var device = Device()
            let draft = try await api.draftPreApplication(ent1, &device)
            let both = try await api.apply(ent1, device, device.attach(draft, slot: "pre.image", sha256: Self.privateSHA))
            var detach = device.attach(both, slot: "pre.image", sha256: Self.privateSHA)
            detach.op = .detach
            let kept = try await api.apply(ent1, device, detach)
            _ = try await api.apply(ent1, device, device.transition(kept, .submit))
            // The province sees the submitted record and reads the file it has, not the one taken off.
            #expect(try await api.send(.head, "/v1/blobs/\(Sample.imageSHA)", token: province).status == .ok)
            #expect(try await api.send(.head, "/v1/blobs/\(Self.privateSHA)", token: province).status == .notFound)
            // The uploader still reads its own upload.
            #expect(try await api.send(.head, "/v1/blobs/\(Self.privateSHA)", token: ent1).status == .ok)
        }
    }
}
