import Foundation
import GRDB
import GreenMineShared
import Testing
@testable import GreenMineClient

/// `OutboxOrder`: before a push, the never-sent attaches whose files the server lacks move behind
/// everything else; a submit that needs those files waits with them (real SQLite store).
struct SmallThingsFirstTests {
    /// The ops of the queue in order, with the attached file's name.
    private func queue(_ home: TestHome) throws -> [String] {
        try home.outbox().map { mutation in
            switch mutation.op {
            case .attach: "attach \(mutation.attachment?.name ?? "")"
            case .transition: mutation.transition?.rawValue ?? "transition"
            default: mutation.op.rawValue
            }
        }
    }

    /// A second licence the registry knows, for a second pre-application.
    private func secondLicence(_ home: TestHome) -> String {
        let number = "C1301002009127130054322"
        var info = Fixtures.licenceInfo
        info.number = number
        home.server.licences[number] = info
        return number
    }

    private func deferWaiting(_ home: TestHome, _ missing: Set<String>) throws -> OutboxOrder.Deferral? {
        try home.store().write { try OutboxOrder.deferWaiting($0, missing: missing, now: Date()) }
    }

    @Test func anOptionalFileWaitsAloneAndTheSubmitGoesFirst() async throws {
        let home = await TestHome.loggedIn()
        let pre = await home.newPre()
        #expect(await home.run(["pre", "set", pre] + Fixtures.prerequisites).status == 0)
        let small = try home.files.jpeg("small.jpg", size: 2_000)
        let large = try home.files.jpeg("large.jpg", size: 40_000)
        #expect(await home.run(["pre", "attach", pre, small.path]).status == 0)
        #expect(await home.run(["pre", "attach", pre, large.path]).status == 0)
        #expect(await home.run(["pre", "submit", pre]).status == 0)
        let before = try home.outbox()
        let seqs = before.map(\.seq)
        #expect(try queue(home).suffix(3) == ["attach small.jpg", "attach large.jpg", "submit"])
        // The server lacks only the large file: the small one satisfies the required slot, so
        // the submit goes now and the large file's attach goes last, keeping its baseVersion.
        let largeSha = try SampleFiles.sha256(large)
        let deferral = try #require(try deferWaiting(home, [largeSha]))
        #expect(deferral.count == 1)
        #expect(try queue(home).suffix(3) == ["attach small.jpg", "submit", "attach large.jpg"])
        let after = try home.outbox()
        #expect(after.map(\.seq) == seqs) // the same gapless seqs, in a new order
        #expect(deferral.firstDeferred == after.last?.seq)
        let moved = try #require(after.last)
        let original = try #require(before.first { $0.attachment?.sha256 == largeSha })
        #expect(moved.baseVersion == original.baseVersion)
        #expect(moved.deviceTime == original.deviceTime)
        // The working copy is unchanged: both files, submitted.
        #expect(try home.local(pre)?.working.attachments.count == 2)
        #expect(try home.local(pre)?.working.state == .submitted)
    }

    @Test func aSubmitThatNeedsTheFileWaitsWithIt() async throws {
        let home = await TestHome.loggedIn()
        let pre = await home.newPre()
        #expect(await home.run(["pre", "set", pre] + Fixtures.prerequisites).status == 0)
        let only = try home.files.jpeg("only.jpg", size: 40_000)
        #expect(await home.run(["pre", "attach", pre, only.path]).status == 0)
        #expect(await home.run(["pre", "submit", pre]).status == 0)
        let other = await home.newPre(licence: secondLicence(home))
        #expect(try queue(home).suffix(3) == ["attach only.jpg", "submit", "create"])
        let deferral = try #require(try deferWaiting(home, [try SampleFiles.sha256(only)]))
        // The required slot would be empty: the submit waits for the file; the other record goes.
        #expect(deferral.count == 2)
        #expect(try queue(home).suffix(3) == ["create", "attach only.jpg", "submit"])
        #expect(try home.outbox().first { $0.op == .create && $0.recordId.lowercased == other.lowercased() } != nil)
    }

    @Test func changesAlreadySentNeverMove() async throws {
        let home = await TestHome.loggedIn()
        let pre = await home.newPre()
        #expect(await home.run(["pre", "set", pre] + Fixtures.prerequisites).status == 0)
        let photo = try home.files.jpeg("sent.jpg", size: 40_000)
        #expect(await home.run(["pre", "attach", pre, photo.path]).status == 0)
        _ = await home.newPre(licence: secondLicence(home))
        let order = try queue(home)
        // The attach went out in a batch whose answer was lost: its seq is the server's to know.
        let attachSeq = try #require(try home.outbox().first { $0.op == .attach }?.seq)
        try home.store().write { try SyncState.noteSent($0, through: attachSeq) }
        #expect(try deferWaiting(home, [try SampleFiles.sha256(photo)]) == nil)
        #expect(try queue(home) == order)
    }

    @Test func aDetachOfTheWaitingFileWaitsWithIt() async throws {
        let home = await TestHome.loggedIn()
        let pre = await home.newPre()
        let keep = try home.files.jpeg("keep.jpg", size: 2_000)
        let gone = try home.files.jpeg("gone.jpg", size: 40_000)
        #expect(await home.run(["pre", "attach", pre, keep.path]).status == 0)
        #expect(await home.run(["pre", "attach", pre, gone.path]).status == 0)
        #expect(await home.run(["detach", pre, "gone.jpg"]).status == 0)
        #expect(await home.run(["pre", "set", pre, "remarks.text=later"]).status == 0)
        _ = try #require(try deferWaiting(home, [try SampleFiles.sha256(gone)]))
        let ops = try home.outbox().map(\.op)
        #expect(Array(ops.suffix(3)) == [.patch, .attach, .detach])
    }
}
