import Crypto
import Foundation
import GreenMineShared
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// kill -9 of the client while it attaches a large file and while `sync` uploads it: the store stays
/// sound, a file is attached whole or not at all, and the next sync completes the upload.
@Suite("End to end: kill -9 while attaching and uploading")
struct AttachmentCrashTests {
    static let runs = 5

    @Test("kill -9 during attach and during the upload, 5 runs each: nothing half-attached, the next sync completes")
    func killedWhileAttachingAndUploading() async throws {
        try await Scenario.run("attach-crash") { scenario in
            try await scenario.server.start()
            let preId = try await Flows.preApplication(in: scenario, submit: false, approve: false)
            let pre = preId.uuidString.lowercased()
            let laptop = try await scenario.loggedInHome("ent1", as: "demo-ent1")
            try await laptop.syncOK()
            var random = SeededRandom("attach kill -9")
            // 9.5 MB PNGs: the signature of a real one, then filler (the pre-application takes images of ≤ 10 MB).
            func image(_ number: Int) throws -> (URL, String, Int) {
                var bytes = SampleForms.png
                var filler = [UInt8](repeating: 0, count: 9_500_000)
                for index in filler.indices {
                    filler[index] = UInt8(truncatingIfNeeded: (index &* 2_654_435_761 &+ number &* 97) >> 7)
                }
                bytes.append(contentsOf: filler)
                let sha = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
                return (try scenario.file("矿区全景大图\(number).png", bytes), sha, bytes.count)
            }

            // While attaching: killed at a random moment; the store is sound and the file is in or out, whole.
            let (first, firstSHA, size) = try image(0)
            for run in 1...Self.runs {
                let attach = try laptop.launch(["pre", "attach", pre, first.path])
                let delay = Double.random(in: 0...0.25, using: &random)
                if !(await attach.wait(timeout: delay)) {
                    attach.signal(SIGKILL)
                    _ = await attach.finish(timeout: 30)
                }
                #expect(try laptop.integrityCheck() == ["ok"], "attach run \(run)")
                let copies = try await laptop.show("pre", preId).record.attachments.filter { $0.sha256 == firstSHA }
                #expect(copies.count <= 1, "attach run \(run): \(copies.count) copies")
                if let copy = copies.first { #expect(copy.size == Int64(size), "attach run \(run)") }
            }
            if try await laptop.show("pre", preId).record.attachments.allSatisfy({ $0.sha256 != firstSHA }) {
                try await laptop.ok(["pre", "attach", pre, first.path])
            }

            // While uploading: a new large file each run, `sync` killed at a random moment.
            var expected = [firstSHA]
            for run in 1...Self.runs {
                if run > 1 {
                    let (next, sha, _) = try image(run)
                    try await laptop.ok(["pre", "attach", pre, next.path])
                    expected.append(sha)
                }
                let sync = try laptop.launch(["sync"])
                let delay = Double.random(in: 0...0.3, using: &random)
                if !(await sync.wait(timeout: delay)) {
                    sync.signal(SIGKILL)
                    _ = await sync.finish(timeout: 30)
                }
                #expect(try laptop.integrityCheck() == ["ok"], "upload run \(run)")
            }
            try await laptop.syncOK()
            #expect(try laptop.outboxCount() == 0)
            let stored = try #require(try scenario.database.record(preId))
            for sha in expected {
                #expect(stored.record.attachments.filter { $0.sha256 == sha }.count == 1, "\(sha.prefix(8)) on the server")
            }
            #expect(try scenario.database.integrityCheck() == ["ok"])
        }
    }
}
