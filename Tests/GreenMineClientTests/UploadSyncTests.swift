import Foundation
import GRDB
import GreenMineShared
import Testing
@testable import GreenMineClient

/// `sync` uploads with tus before it pushes, against the real server over a loopback socket.
struct UploadSyncTests {
    @Test func aSubmitThatNeedsItsFileWaitsForTheUploadWhileTheFormGoesFirst() async throws {
        let server = try await LiveServer.start()
        let (home, network) = await TestHome.live(server)
        let pre = await home.readyPre(licence: LiveServer.licence(1))
        let photo = try home.files.jpeg("矿区照片.jpg", size: 1_000_003)
        let sha = try SampleFiles.sha256(photo)
        #expect(await home.run(["pre", "attach", pre, photo.path]).status == 0)
        #expect(await home.run(["pre", "submit", pre]).status == 0)
        let status = await home.run(["status"])
        #expect(status.stdout.contains("Pending uploads: 1 file(s), 976.6 KB"))
        let sync = await home.run(["sync"])
        #expect(sync.status == 0, "\(sync.stderr)")
        #expect(sync.stderr.contains("Upload 矿区照片.jpg"))
        #expect(sync.stderr.contains("done ✓"))
        // The form went before the upload; the attach and the submit, which needs the photo (a
        // required slot), after it. The blob on the server is the file.
        let requests = network.requests
        let firstPatch = try #require(requests.firstIndex { $0.method == "PATCH" })
        let pushes = requests.indices.filter { requests[$0].path == "/v1/sync/push" }
        let submitPush = try #require(pushes.first {
            String(decoding: requests[$0].body ?? Data(), as: UTF8.self).contains("\"submit\"")
        })
        #expect(try #require(pushes.first) < firstPatch)
        #expect(firstPatch < submitPush)
        #expect(network.patches.count == 4) // 1,000,003 bytes in requests of at most 256 KiB
        // The first request, on a link not yet measured, carries no checksum: a cut keeps what arrived.
        #expect(network.patches.first?.headers["Upload-Checksum"] == nil)
        let stored = try #require(server.blobFile(sha))
        #expect(try SampleFiles.sha256(stored) == sha)
        let local = try #require(try home.local(pre))
        #expect(local.base?.state == .submitted)
        #expect(local.base?.attachments.map(\.sha256) == [sha])
        #expect(try home.uploads().isEmpty)
        let after = await home.run(["status"])
        #expect(after.stdout.contains("Pending uploads: none"))
        let list = await home.run(["attachments", pre])
        #expect(list.stdout.contains("uploaded"))
    }

    @Test func theSameFileOnTwoRecordsIsUploadedOnce() async throws {
        let server = try await LiveServer.start()
        let second = "C1301002020127130000099"
        try await server.addLicence(second, enterprise: 1)
        let (home, network) = await TestHome.live(server)
        let first = await home.readyPre(licence: LiveServer.licence(1))
        let other = await home.readyPre(licence: second)
        let photo = try home.files.jpeg("shared.jpg", size: 600_000)
        let sha = try SampleFiles.sha256(photo)
        #expect(await home.run(["pre", "attach", first, photo.path]).status == 0)
        #expect(await home.run(["pre", "attach", other, photo.path]).status == 0)
        #expect(home.blobFiles().count == 1)
        let sync = await home.run(["sync"])
        #expect(sync.status == 0, "\(sync.stderr)")
        #expect(network.count("POST", "/v1/uploads") == 1)
        #expect(network.patchBytes == 600_000)
        #expect(try home.local(first)?.base?.attachments.map(\.sha256) == [sha])
        #expect(try home.local(other)?.base?.attachments.map(\.sha256) == [sha])
        // Attached again later (after a detach): the server says it has the blob; nothing is sent.
        #expect(await home.run(["detach", first, "shared.jpg"]).status == 0)
        #expect(await home.run(["sync"]).status == 0)
        #expect(await home.run(["pre", "attach", first, photo.path]).status == 0)
        let again = await home.run(["sync"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("already has “shared.jpg”"))
        #expect(network.count("POST", "/v1/uploads") == 1)
        #expect(network.patchBytes == 600_000)
        // Another organisation learns nothing from the hash.
        let (stranger, _) = await TestHome.live(server, user: "demo-ent2")
        let session = try #require(try Session.load(store: try stranger.store(), home: stranger.home))
        let tus = TusClient(api: APIClient(transport: HTTPClientTransport(baseURL: server.base), token: session.token))
        #expect(try await tus.blobExists(sha) == false)
        let owner = try #require(try Session.load(store: try home.store(), home: home.home))
        let mine = TusClient(api: APIClient(transport: HTTPClientTransport(baseURL: server.base), token: owner.token))
        #expect(try await mine.blobExists(sha))
    }

    @Test func aConnectionCutInTheMiddleOfAChunkResumesAndResendsAtMostThatChunk() async throws {
        let server = try await LiveServer.start()
        let chunk = 256 * 1024
        // Each request with a body has its own connection: the sixth that carries more than 100 KiB
        // towards the server (the sixth PATCH) is cut after 100 KiB, in the middle of its chunk.
        let proxy = try CuttingProxy(upstreamPort: server.base.port ?? 0, cutNumber: 6, afterBytes: 100 * 1024)
        defer { proxy.stop() }
        guard let proxied = URL(string: "http://127.0.0.1:\(proxy.port)") else { return }
        let network = RecordingTransport(HTTPClientTransport(baseURL: proxied))
        let home = TestHome()
        home.transport = { _ in network }
        home.uploadChunkSize = chunk
        let login = await home.run(["login", "--server", proxied.absoluteString, "--user", "demo-ent1",
                                    "--password-stdin"], input: [server.passwords["demo-ent1"] ?? ""])
        #expect(login.status == 0, "\(login.stderr)")
        let pre = await home.readyPre(licence: LiveServer.licence(1))
        let size = 3 * 1024 * 1024 + 5
        let photo = try home.files.jpeg("big.jpg", size: size)
        let sha = try SampleFiles.sha256(photo)
        #expect(await home.run(["pre", "attach", pre, photo.path]).status == 0)
        let sync = await home.run(["sync"])
        #expect(sync.status == 0, "\(sync.stderr)")
        #expect(proxy.cuts == 1)
        #expect(sync.stderr.contains("retry 1"))
        // Every byte once, plus at most the one chunk that was cut (on the wire, headers included;
        // the declared lengths count a request the server answered busy as if it had been sent whole).
        #expect(network.patchBytes > Int64(size))
        // Headers: about 600 bytes for each of the some 30 requests of the run.
        let wire = proxy.bytesUpstream
        #expect(wire <= size + chunk + 32 * 1024, "\(wire) bytes crossed the wire for a file of \(size)")
        // The resumed upload asked where to continue.
        let afterCut = network.requests.drop { $0.method != "PATCH" }.map(\.method)
        #expect(afterCut.contains("HEAD"))
        let stored = try #require(server.blobFile(sha))
        #expect(try SampleFiles.sha256(stored) == sha)
        #expect(try home.local(pre)?.base?.attachments.map(\.sha256) == [sha])
    }

    @Test func aLostAnswerIsResumedFromTheServersOffsetWithoutResending() async throws {
        let server = try await LiveServer.start()
        let (home, network) = await TestHome.live(server)
        // The third PATCH reaches the server, but its answer is lost.
        network.rule = { request, earlier in
            request.method == "PATCH" && earlier.filter { $0.method == "PATCH" }.count == 2 ? .loseAnswer : nil
        }
        let pre = await home.readyPre(licence: LiveServer.licence(1))
        let size = 5 * 256 * 1024 + 3
        let photo = try home.files.jpeg("lost.jpg", size: size)
        #expect(await home.run(["pre", "attach", pre, photo.path]).status == 0)
        let sync = await home.run(["sync"])
        #expect(sync.status == 0, "\(sync.stderr)")
        #expect(network.patchBytes == Int64(size))
        #expect(server.blobFile(try SampleFiles.sha256(photo)) != nil)
    }

    @Test func aCorruptedUploadIsRefusedNothingIsAttachedAndTheClientSaysSo() async throws {
        let server = try await LiveServer.start()
        let (home, _) = await TestHome.live(server)
        let pre = await home.readyPre(licence: LiveServer.licence(1))
        let photo = try home.files.jpeg("damaged.jpg", size: 700_000)
        let sha = try SampleFiles.sha256(photo)
        #expect(await home.run(["pre", "attach", pre, photo.path]).status == 0)
        // The copy in the blob store rots: same size, one byte changed.
        let copy = try #require(home.blobs.url(for: sha))
        let handle = try FileHandle(forUpdating: copy)
        try handle.seek(toOffset: 350_000)
        try handle.write(contentsOf: Data([0x42]))
        try handle.close()
        let sync = await home.run(["sync"])
        #expect(sync.status == 2, "\(sync.stderr)")
        #expect(sync.stderr.contains("hash_mismatch"))
        #expect(sync.stderr.contains("damaged.jpg"))
        #expect(sync.stderr.contains("nothing was attached"))
        #expect(server.blobFile(sha) == nil)
        let local = try #require(try home.local(pre))
        #expect(local.base?.attachments.isEmpty == true)
        #expect(local.working.attachments.isEmpty)
        #expect(try home.outbox().isEmpty)
        #expect(home.blobFiles().isEmpty)
        let rejections = await home.run(["rejections"])
        #expect(rejections.stdout.contains("hash_mismatch"))
        // Attaching the (intact) original again works.
        #expect(await home.run(["pre", "attach", pre, photo.path]).status == 0)
        #expect(await home.run(["sync"]).status == 0)
        #expect(try home.local(pre)?.base?.attachments.map(\.sha256) == [sha])
    }

    @Test func theUploadURLIsRememberedAcrossARestartOfTheClient() async throws {
        let server = try await LiveServer.start()
        let (home, network) = await TestHome.live(server)
        // The network goes away for good after three chunks.
        network.rule = { _, earlier in earlier.filter { $0.method == "PATCH" }.count >= 3 ? .cut : nil }
        let pre = await home.readyPre(licence: LiveServer.licence(1))
        let size = 8 * 256 * 1024 + 11
        let photo = try home.files.jpeg("resume.jpg", size: size)
        let sha = try SampleFiles.sha256(photo)
        #expect(await home.run(["pre", "attach", pre, photo.path]).status == 0)
        let failed = await home.run(["sync"])
        #expect(failed.status == 3)
        #expect(failed.stderr.contains("cannot reach the server"))
        #expect(failed.stderr.contains("of attachments are on the server; the next sync continues"))
        // A new store over the same home remembers the upload and how far it got.
        let remembered = try #require(try home.uploads()[sha])
        #expect(remembered.offset == 3 * 256 * 1024)
        #expect(remembered.url.hasPrefix("/v1/uploads/"))
        let status = await home.run(["status"])
        #expect(status.stdout.contains("768.0 KB already sent"))
        let listed = await home.run(["attachments", pre])
        #expect(listed.stdout.contains("37% sent"))
        // The next sync resumes the same upload where the server stands.
        network.rule = nil
        let before = network.requests.count
        let resumed = await home.run(["sync"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("resuming at 768.0 KB"))
        let later = network.requests.dropFirst(before)
        #expect(!later.contains { $0.method == "POST" && $0.path == "/v1/uploads" })
        #expect(later.first { $0.method == "PATCH" }?.headers["Upload-Offset"] == String(3 * 256 * 1024))
        #expect(later.first { $0.method == "PATCH" }?.path == remembered.url)
        #expect(network.patchBytes == Int64(size))
        #expect(try SampleFiles.sha256(try #require(server.blobFile(sha))) == sha)
        #expect(try home.uploads().isEmpty)
    }

    @Test func anUploadNoLongerNeededIsTerminated() async throws {
        let server = try await LiveServer.start()
        let (home, network) = await TestHome.live(server)
        network.rule = { _, earlier in earlier.filter { $0.method == "PATCH" }.count >= 2 ? .cut : nil }
        let pre = await home.readyPre(licence: LiveServer.licence(1))
        let photo = try home.files.jpeg("abandoned.jpg", size: 4 * 256 * 1024)
        let sha = try SampleFiles.sha256(photo)
        #expect(await home.run(["pre", "attach", pre, photo.path]).status == 0)
        #expect(await home.run(["sync"]).status == 3)
        let url = try #require(try home.uploads()[sha]?.url)
        #expect(await home.run(["detach", pre, "abandoned.jpg"]).status == 0)
        network.rule = nil
        let sync = await home.run(["sync"])
        #expect(sync.status == 0, "\(sync.stderr)")
        #expect(network.requests.contains { $0.method == "DELETE" && $0.path == url })
        #expect(try home.uploads().isEmpty)
        let session = try #require(try Session.load(store: try home.store(), home: home.home))
        let tus = TusClient(api: APIClient(transport: HTTPClientTransport(baseURL: server.base), token: session.token))
        #expect(try await tus.offset(of: url) == .gone)
        #expect(server.blobFile(sha) == nil)
    }

    @Test func blobMissingIsRetriedAfterTheUploadNotRefused() async throws {
        let server = try await LiveServer.start()
        let (home, network) = await TestHome.live(server)
        let pre = await home.readyPre(licence: LiveServer.licence(1))
        let photo = try home.files.jpeg("later.jpg", size: 5000)
        #expect(await home.run(["pre", "attach", pre, photo.path]).status == 0)
        // A sync that cannot upload (no blob store) pushes the attach; the server lacks the blob.
        let store = try home.store()
        let session = try #require(try Session.load(store: store, home: home.home))
        let engine = SyncEngine(store: store, api: APIClient(transport: network, token: session.token),
                                retry: home.environment.retry, now: { Date() }, makeUUID: { UUID() })
        var summary = SyncSummary()
        var requeued: [Int] = []
        await #expect(throws: ClientError.self) {
            try await engine.run(summary: &summary) { if case .requeued(_, let seq, _) = $0 { requeued.append(seq) } }
        }
        #expect(requeued.count == SyncEngine.maxRounds)
        #expect(summary.problems.isEmpty)
        #expect(try home.queuedFiles().map(\.op) == [.attach])
        #expect(try store.read { try Rejection.list($0, all: true) }.isEmpty)
        #expect(try home.local(pre)?.working.attachments.map(\.name) == ["later.jpg"])
        // The next real sync uploads, then the attach goes through.
        let sync = await home.run(["sync"])
        #expect(sync.status == 0, "\(sync.stderr)")
        #expect(try home.local(pre)?.base?.attachments.map(\.name) == ["later.jpg"])
    }

    @Test func getFetchesFromTheServerInRangesAndResumesACutDownload() async throws {
        let server = try await LiveServer.start()
        let (owner, _) = await TestHome.live(server)
        let pre = await owner.readyPre(licence: LiveServer.licence(1))
        let size = 900_001
        let photo = try owner.files.jpeg("fetch me.jpg", size: size)
        let sha = try SampleFiles.sha256(photo)
        #expect(await owner.run(["pre", "attach", pre, photo.path]).status == 0)
        #expect(await owner.run(["sync"]).status == 0)
        // Another device of the same user has the record but not the file.
        let (device, network) = await TestHome.live(server, chunkSize: 256 * 1024)
        #expect(await device.run(["sync"]).status == 0)
        let listed = await device.run(["attachments", pre])
        #expect(listed.stdout.contains("not on this device"))
        network.rule = { request, earlier in
            request.method == "GET" && request.path.hasPrefix("/v1/blobs/")
                && earlier.filter { $0.method == "GET" && $0.path.hasPrefix("/v1/blobs/") }.count >= 2 ? .cut : nil
        }
        let out = device.root.appendingPathComponent("copy.jpg")
        let cut = await device.run(["get", pre, "fetch me.jpg", "--out", out.path])
        #expect(cut.status == 1)
        #expect(!FileManager.default.fileExists(atPath: out.path))
        network.rule = nil
        let resumed = await device.run(["get", pre, String(sha.prefix(8)), "--out", out.path])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("from the server"))
        #expect(resumed.stdout.contains("resumed at 512.0 KB"))
        #expect(try SampleFiles.sha256(out) == sha)
        let ranges = network.requests.filter { $0.method == "GET" }.compactMap { $0.headers["Range"] }
        #expect(ranges.last == "bytes=786432-1048575")
        // An existing file is not replaced without --force.
        let again = await device.run(["get", pre, "fetch me.jpg", "--out", out.path])
        #expect(again.status == 1)
        #expect(again.stderr.contains("--force"))
        #expect(await device.run(["get", pre, "fetch me.jpg", "--out", out.path, "--force"]).status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: device.root.path).sorted() == ["copy.jpg", "home"])
    }

    @Test func aFileDetachedBeforeTheSyncIsNeverUploaded() async throws {
        let server = try await LiveServer.start()
        let (home, network) = await TestHome.live(server)
        let pre = await home.readyPre(licence: LiveServer.licence(1))
        let keep = try home.files.jpeg("keep.jpg", size: 3000, seed: 1)
        let drop = try home.files.jpeg("drop.jpg", size: 3000, seed: 2)
        #expect(await home.run(["pre", "attach", pre, keep.path, drop.path]).status == 0)
        #expect(await home.run(["detach", pre, "drop.jpg"]).status == 0)
        let sync = await home.run(["sync"])
        #expect(sync.status == 0, "\(sync.stderr)")
        #expect(network.count("POST", "/v1/uploads") == 1)
        #expect(network.patchBytes == 3000)
        #expect(try home.outbox().isEmpty)
        #expect(try home.local(pre)?.base?.attachments.map(\.name) == ["keep.jpg"], "\(sync.stdout) \(sync.stderr)")
    }

    @Test func aFileOverTheLimitSentPastTheClientIsRefusedByTheServer() async throws {
        let server = try await LiveServer.start()
        let (home, _) = await TestHome.live(server)
        let session = try #require(try Session.load(store: try home.store(), home: home.home))
        let tus = TusClient(api: APIClient(transport: HTTPClientTransport(baseURL: server.base), token: session.token))
        await #expect(throws: APIError.self) {
            _ = try await tus.create(length: 100 * 1_048_576 + 1, filename: "huge.mp4", filetype: "video/mp4",
                                     sha256: String(repeating: "a", count: 64))
        }
    }
}

/// What the review of issue 10 found, each pinned by a test.
struct FieldLinkEdgeTests {
    @Test func aDraftDeletedAfterItsAttachNeverUploadsTheFile() async throws {
        let server = try await LiveServer.start()
        let (home, network) = await TestHome.live(server)
        let pre = await home.readyPre(licence: LiveServer.licence(1))
        #expect(await home.run(["sync"]).status == 0) // the server knows the draft
        let video = try home.files.jpeg("never.jpg", size: 200_000)
        #expect(await home.run(["pre", "attach", pre, video.path]).status == 0)
        let deleted = await home.run(["pre", "delete", pre])
        #expect(deleted.status == 0, "\(deleted.stderr)")
        let sync = await home.run(["sync"])
        #expect(sync.status == 0, "\(sync.stderr)")
        #expect(network.count("POST", "/v1/uploads") == 0)
        #expect(network.patchBytes == 0)
        #expect(try home.outbox().isEmpty)
    }

    @Test func aCutRequestWithAChecksumEndsChecksumsForTheSync() {
        let link = LinkMeter(maxChunk: 8 << 20)
        link.record(bytes: 64 << 20, seconds: 1)
        #expect(link.checksumsWorthwhile)
        link.noteCutChecksummedRequest()
        #expect(!link.checksumsWorthwhile)
        link.record(bytes: 64 << 20, seconds: 1)
        #expect(!link.checksumsWorthwhile)
    }

    @Test func theStallLimitIsBounded() {
        let link = LinkMeter(maxChunk: 8 << 20)
        #expect(link.stallLimit(for: 1 << 20, base: 60) == 60) // nothing measured yet
        link.record(bytes: 20_000, seconds: 300) // a crawl: 67 bytes/s
        let limit = link.stallLimit(for: 64 << 10, base: 60)
        #expect(limit > 60 && limit <= 300)
    }

    @Test func patienceIsMeasuredOnTheClock() async throws {
        let link = LinkMeter(maxChunk: 1 << 20)
        link.noteAnswer()
        let patience = RetryPolicy(maxAttempts: 10_000, initialDelay: .milliseconds(20), maxDelay: .milliseconds(20))
        let retry = SyncRetry(base: patience, patience: patience, link: link, patienceLimit: .milliseconds(300))
        var attempts = 0
        let started = ContinuousClock.now
        await #expect(throws: APIError.self) {
            _ = try await retry.run(onRetry: { _, _, _ in }) { () async throws -> Int in
                attempts += 1
                throw APIError.unreachable("link down")
            }
        }
        // It stopped on the clock, long before the attempt count.
        #expect(attempts < 1_000)
        #expect(ContinuousClock.now - started >= .milliseconds(300))
    }
}
