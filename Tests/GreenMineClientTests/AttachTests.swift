import Foundation
import GRDB
import GreenMineShared
import Testing
@testable import GreenMineClient

/// Attaching offline: the copy into the blob store, the shared rules on content, names as given.
struct AttachTests {
    @Test func attachCopiesIntoTheBlobStoreHashesAndQueuesInOneGo() async throws {
        let home = await TestHome.loggedIn()
        let pre = await home.newPre()
        let photo = try home.files.jpeg("现场照片.jpg", size: 3 * 1024 * 1024 + 17)
        let sha = try SampleFiles.sha256(photo)
        let run = await home.run(["pre", "attach", String(pre.prefix(8)), photo.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("现场照片.jpg"))
        // The copy is content-addressed, whole, and private.
        #expect(home.blobFiles() == ["\(sha.prefix(2))/\(sha)"])
        let copy = try #require(home.blobs.url(for: sha))
        #expect(try Data(contentsOf: copy) == Data(contentsOf: photo))
        let mode = try FileManager.default.attributesOfItem(atPath: copy.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        // Queued with the local record in the same transaction; the working copy shows it at once.
        let queued = try #require(try home.queuedFiles().last)
        #expect(queued.op == .attach)
        #expect(queued.attachment == MutationAttachment(slot: "pre.image", sha256: sha, name: "现场照片.jpg"))
        let local = try #require(try home.local(pre))
        #expect(local.working.attachments == [AttachmentRef(slot: "pre.image", sha256: sha, size: 3 * 1024 * 1024 + 17,
                                                             mime: "image/jpeg", name: "现场照片.jpg")])
        // The original may move or vanish: the blob store has the file.
        try FileManager.default.removeItem(at: photo)
        let out = home.root.appendingPathComponent("out.jpg")
        let get = await home.run(["get", pre, "现场照片.jpg", "--out", out.path])
        #expect(get.status == 0, "\(get.stderr)")
        #expect(try SampleFiles.sha256(out) == sha)
        // Attaching the same content again queues nothing.
        let again = try home.files.jpeg("same.jpg", size: 3 * 1024 * 1024 + 17)
        let twice = await home.run(["pre", "attach", pre, again.path])
        #expect(twice.status == 0)
        #expect(twice.stdout.contains("already attached"))
        #expect(try home.queuedFiles().count == 1)
        // Listed as pending, and counted by status.
        let list = await home.run(["attachments", pre])
        #expect(list.stdout.contains("pending"))
        #expect(list.stdout.contains(String(sha.prefix(12))))
        let status = await home.run(["status"])
        #expect(status.stdout.contains("Pending uploads: 1 file(s), 3.0 MB"))
    }

    @Test func spoofedTypesAreRefusedByContentAndLeaveNothingBehind() async throws {
        let home = await TestHome.loggedIn()
        let (_, app) = await home.approvedApplication()
        let pre = await home.newPre(licence: "C1301002009127130099999")
        let queued = try home.outbox().count
        // An executable renamed .pdf.
        let elf = try home.files.elf("报告.pdf")
        let exe = await home.run(["app", "attach", app, "--slot", "pdf", elf.path])
        #expect(exe.status == 1)
        #expect(exe.stderr.contains("报告.pdf"))
        #expect(exe.stderr.contains("judged by its content"))
        #expect(exe.stderr.contains("Nothing was attached"))
        // A PDF renamed .jpg, for a pre-application (images only).
        let pdf = try home.files.pdf("photo.jpg")
        let wrong = await home.run(["pre", "attach", pre, pdf.path])
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("accepts only image files"))
        #expect(wrong.stderr.contains("“photo.jpg” is a PDF document"))
        // The same PDF under its own name is fine for the application's PDF slot.
        // A truncated JPEG.
        let cut = try home.files.truncatedJPEG("cut.jpg")
        let truncated = await home.run(["app", "attach", app, "--slot", "image", cut.path])
        #expect(truncated.status == 1)
        #expect(truncated.stderr.contains("cut short"))
        home.language = "zh_CN.UTF-8"
        let zh = await home.run(["app", "attach", app, cut.path])
        #expect(zh.stderr.contains("被截断"))
        #expect(zh.stderr.contains("未添加任何附件"))
        // Nothing queued, nothing copied, no temporary file left.
        #expect(try home.outbox().count == queued)
        #expect(home.blobFiles().isEmpty)
        #expect(try home.local(app)?.working.attachments.isEmpty == true)
        // A video where the user named the PDF slot: refused by the slot's rule.
        let video = try home.files.mp4("clip.mp4")
        let slot = await home.run(["app", "attach", app, "--slot", "pdf", video.path])
        #expect(slot.stderr.contains("MP4"))
        #expect(slot.status == 1)
    }

    @Test func limitsAreCheckedBeforeAnythingIsCopied() async throws {
        let home = await TestHome.loggedIn()
        let (_, app) = await home.approvedApplication()
        // 100 MB + 1 byte of video, sparse: refused from its size without being read.
        let huge = try home.files.sparseMP4("huge.mp4", size: 100 * 1_048_576 + 1)
        let before = bytesReadByProcess()
        let refused = await home.run(["app", "attach", app, "--slot", "video", huge.path])
        let read = bytesReadByProcess() - before
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("over the limit of 100 MB"))
        #expect(refused.stderr.contains("104,857,601 bytes"))
        #expect(read < 50 * 1_048_576, "the client read \(read) bytes of a file it should refuse from its size")
        #expect(home.blobFiles().isEmpty)
        // Ten PDFs in one command, then the eleventh is refused.
        let pdfs = try (1...10).map { try home.files.pdf("doc\($0).pdf", seed: UInt64($0)) }
        let ten = await home.run(["app", "attach", app, "--slot", "pdf"] + pdfs.map(\.path))
        #expect(ten.status == 0, "\(ten.stderr)")
        let eleventh = try home.files.pdf("doc11.pdf", seed: 11)
        let over = await home.run(["app", "attach", app, "--slot", "pdf", eleventh.path])
        #expect(over.status == 1)
        #expect(over.stderr.contains("holds at most 10 files and already has 10"))
        #expect(over.stderr.contains("doc11.pdf"))
        // Five videos, then the sixth; a command whose last file breaks a rule attaches none.
        let videos = try (1...5).map { try home.files.mp4("v\($0).mp4", seed: UInt64(100 + $0)) }
        let sixth = try home.files.mp4("v6.mp4", seed: 106)
        let allOrNothing = await home.run(["app", "attach", app] + (videos + [sixth]).map(\.path))
        #expect(allOrNothing.status == 1)
        #expect(allOrNothing.stderr.contains("holds at most 5 files"))
        // Issue 14: the count is the slot's before the command (0) and the command's own (6).
        #expect(allOrNothing.stderr.contains("it has 0 and this attach adds 6"), "\(allOrNothing.stderr)")
        #expect(!allOrNothing.stderr.contains("already has 5"))
        #expect(try home.local(app)?.working.attachments.filter { $0.slot == "app.video" }.isEmpty == true)
        #expect(await home.run(["app", "attach", app] + videos.map(\.path)).status == 0)
        let six = await home.run(["app", "attach", app, "--slot", "video", sixth.path])
        #expect(six.status == 1)
        #expect(six.stderr.contains("v6.mp4"))
        #expect(try home.local(app)?.working.attachments.count == 15)
        #expect(home.blobFiles().count == 15)
    }

    @Test func namesAreKeptAsGivenShownSafelyAndNeverUsedAsPaths() async throws {
        let home = await TestHome.loggedIn()
        let pre = await home.newPre()
        let names = [
            "../../../etc/passwd.jpg", "a/b\\c/d.jpg", "bell\u{07}esc\u{1B}[31mred\nnext\u{202E}gpj.exe",
            String(repeating: "长", count: 300) + ".jpg", "矿区全景照片（2026年·东侧）.jpg",
        ]
        for (index, name) in names.enumerated() {
            let file = try home.files.jpeg("plain\(index).jpg", seed: UInt64(200 + index))
            let run = await home.run(["pre", "attach", pre, "--name", name, file.path])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(!run.stdout.contains("\u{1B}"))
        }
        // Stored exactly as given, in the queue and in the working copy.
        #expect(try home.queuedFiles().compactMap(\.attachment?.name) == names)
        #expect(try home.local(pre)?.working.attachments.map(\.name) == names)
        // --json gives them exactly; the table escapes what would act on the terminal.
        let json = await home.run(["attachments", pre, "--json"])
        let listing = try WireCoding.decode(AttachmentListing.self, from: Data(json.stdout.utf8))
        #expect(listing.files.map(\.name) == names)
        let table = await home.run(["attachments", pre])
        #expect(!table.stdout.contains("\u{1B}"))
        #expect(!table.stdout.contains("\u{07}"))
        #expect(!table.stdout.contains("\u{202E}"))
        #expect(table.stdout.contains("bell\\u{7}esc\\u{1B}[31mred\\u{A}next\\u{202E}gpj.exe"))
        #expect(table.stdout.contains(names[3]))
        #expect(table.stdout.contains("../../../etc/passwd.jpg"))
        // Nothing but the blob store's hash-named files was written.
        #expect(home.blobFiles().allSatisfy { $0.split(separator: "/").last?.count == 64 })
        let top = try FileManager.default.contentsOfDirectory(atPath: home.root.path).sorted()
        #expect(top == ["files", "home"])
        // Such names work with detach and get, and never become paths.
        let out = home.root.appendingPathComponent("fetched.jpg")
        #expect(await home.run(["get", pre, names[4], "--out", out.path]).status == 0)
        #expect(await home.run(["detach", pre, names[0]]).status == 0)
        #expect(try home.local(pre)?.working.attachments.map(\.name) == Array(names.dropFirst()))
        #expect(try FileManager.default.contentsOfDirectory(atPath: home.root.path).sorted() == ["fetched.jpg", "files", "home"])
    }

    @Test func detachByNameOrHashPrefixAndAmbiguity() async throws {
        let home = await TestHome.loggedIn()
        let (_, app) = await home.approvedApplication()
        let image = try home.files.jpeg("same-name", seed: 1)
        let pdf = try home.files.pdf("other.pdf", seed: 2)
        #expect(await home.run(["app", "attach", app, image.path]).status == 0)
        let second = await home.run(["app", "attach", app, "--name", "same-name", pdf.path])
        #expect(second.status == 0)
        let ambiguous = await home.run(["detach", app, "same-name"])
        #expect(ambiguous.status == 1)
        #expect(ambiguous.stderr.contains("matches several files"))
        let sha = try SampleFiles.sha256(pdf)
        let unknown = await home.run(["detach", app, "nothing.jpg"])
        #expect(unknown.stderr.contains("has no file named"))
        let detached = await home.run(["detach", app, String(sha.prefix(6))])
        #expect(detached.status == 0, "\(detached.stderr)")
        let working = try #require(try home.local(app)).working
        #expect(working.attachments.map(\.slot) == ["app.image"])
        #expect(try home.queuedFiles().map(\.op) == [.attach, .attach, .detach])
        #expect(try home.queuedFiles().last?.attachment == MutationAttachment(slot: "app.pdf", sha256: sha))
    }

    @Test func evidenceIsAddedUnderASubmittedApplicationWithSlotsByContent() async throws {
        let home = await TestHome.loggedIn()
        let (_, app) = await home.approvedApplication()
        let photo = try home.files.jpeg("复垦现场.jpg")
        let report = try home.files.pdf("监测报告.pdf")
        let draft = await home.run(["evidence", "add", app, "--indicator", "1.1.1", photo.path])
        #expect(draft.status == 1)
        #expect(draft.stderr.contains("only while the application is submitted"))
        #expect(await home.run(["sync"]).status == 0)
        let appId = try #require(UUID(uuidString: app))
        home.server.change(appId, state: .submitted)
        #expect(await home.run(["sync"]).status == 0)
        let before = try home.outbox().count
        let added = await home.run(["evidence", "add", String(app.prefix(8)), "--indicator", "1.1.1",
                                    "--note", "矿区复垦前后对比", photo.path, report.path])
        #expect(added.status == 0, "\(added.stderr)")
        let queued = try home.outbox().dropFirst(before)
        #expect(queued.map(\.op) == [.create, .attach, .attach])
        let create = try #require(queued.first)
        #expect(create.kind == .evidence)
        #expect(create.parentId == appId)
        #expect(create.set == ["evidence.indicator": .string("1.1.1"), "evidence.note": .string("矿区复垦前后对比")])
        #expect(queued.dropFirst().compactMap(\.attachment?.slot) == ["evidence.image", "evidence.pdf"])
        let evidence = try #require(try home.local(create.recordId.uuidString.lowercased()))
        #expect(evidence.working.attachments.map(\.name) == ["复垦现场.jpg", "监测报告.pdf"])
        let list = await home.run(["evidence", "list", app])
        #expect(list.stdout.contains("1.1.1"))
        // A video has no evidence slot; nothing is made.
        let video = try home.files.mp4("clip.mp4")
        let refused = await home.run(["evidence", "add", app, "--indicator", "1.1.1", video.path])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("only PDF or image files can be attached to evidence records"))
        #expect(try home.outbox().count == before + 3)
        // Issue 14 item 5: an unknown indicator code is an error; nothing is made or copied.
        let odd = await home.run(["evidence", "add", app, "--indicator", "9.9.9", report.path])
        #expect(odd.status == 1)
        #expect(odd.stderr.contains("no indicator item 9.9.9"), "\(odd.stderr)")
        #expect(odd.stderr.contains("greenmine evidence indicators"))
        #expect(try home.outbox().count == before + 3)
        // The catalogue's items are listed for the application.
        let indicators = await home.run(["evidence", "indicators", app])
        #expect(indicators.status == 0, "\(indicators.stderr)")
        #expect(indicators.stdout.contains("1.1.1"))
        #expect(indicators.stdout.contains(Catalogue.sample.id))
        let items = try WireCoding.decode([Catalogue.Item].self,
                                          from: Data(await home.run(["evidence", "indicators", app, "--json"]).stdout.utf8))
        #expect(items.count == Catalogue.sample.allItems.count)
        // Evidence is removed while it may be changed; it leaves the list.
        let removed = await home.run(["evidence", "remove", String(create.recordId.uuidString.lowercased().prefix(8))])
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(await home.run(["evidence", "list", app]).stdout.contains("has no evidence"))
    }

    @Test func attachingNeedsAnEditableRecord() async throws {
        let home = await TestHome.loggedIn()
        let pre = await home.newPre()
        #expect(await home.run(["pre", "set", pre] + Fixtures.prerequisites).status == 0)
        #expect(await home.run(["sync"]).status == 0)
        if let id = UUID(uuidString: pre) { home.server.change(id, state: .submitted) }
        #expect(await home.run(["sync"]).status == 0)
        let photo = try home.files.jpeg("late.jpg")
        let late = await home.run(["pre", "attach", pre, photo.path])
        #expect(late.status == 1)
        #expect(late.stderr.contains("only unsubmitted or returned records"))
        #expect(home.blobFiles().isEmpty)
        let submitted = await home.run(["detach", pre, "late.jpg"])
        #expect(submitted.status == 1)
        let link = home.root.appendingPathComponent("link.jpg")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: photo)
        let draft = await home.newPre(licence: "C1301002009127130099999")
        let linked = await home.run(["pre", "attach", draft, link.path])
        #expect(linked.status == 0, "\(linked.stderr)")
        #expect(try home.local(draft)?.working.attachments.map(\.name) == ["link.jpg"])
        let missing = await home.run(["pre", "attach", pre, "/nonexistent/file.jpg"])
        #expect(missing.status == 1)
        let folder = await home.run(["pre", "attach", String(pre.prefix(8)), home.root.path])
        #expect(folder.status == 1)
    }
}
