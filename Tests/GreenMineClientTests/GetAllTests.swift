import Foundation
import GreenMineShared
import Testing
@testable import GreenMineClient

/// Issue 14 item 3: `get ID --all --out DIR` writes every file of a record into a folder, against the
/// real server in this process: whole files are kept on the next run, a cut one resumes, names are made safe.
struct GetAllTests {
    @Test func everyFileLandsWholeARunCutShortResumesAndNamesAreMadeSafe() async throws {
        let server = try await LiveServer.start()
        let (owner, _) = await TestHome.live(server)
        let pre = await owner.readyPre(licence: LiveServer.licence(1))
        let photo = try owner.files.jpeg("矿区.jpg", size: 300_001, seed: 11)
        let sneaky = try owner.files.jpeg("x.jpg", size: 5000, seed: 12)
        let twin = try owner.files.jpeg("y.jpg", size: 6000, seed: 13)
        #expect(await owner.run(["pre", "attach", pre, "--name", "../../.ssh/authorized_keys", sneaky.path]).status == 0)
        #expect(await owner.run(["pre", "attach", pre, photo.path]).status == 0)
        #expect(await owner.run(["pre", "attach", pre, "--name", "矿区.jpg", twin.path]).status == 0)
        #expect(await owner.run(["sync"]).status == 0)
        // Another device of the same user: the record, not the files.
        let (device, network) = await TestHome.live(server, chunkSize: 64 * 1024)
        #expect(await device.run(["sync"]).status == 0)
        let files = try #require(try device.local(pre)?.working.attachments)
        #expect(files.count == 3)
        let out = device.root.appendingPathComponent("files")
        // The link breaks after three reads (64 KB each): the first file (one read) is whole, the second (five) is not.
        network.rule = { request, earlier in
            request.method == "GET" && request.path.hasPrefix("/v1/blobs/")
                && earlier.filter { $0.method == "GET" && $0.path.hasPrefix("/v1/blobs/") }.count >= 3 ? .cut : nil
        }
        let cut = await device.run(["get", String(pre.prefix(8)), "--all", "--out", out.path])
        #expect(cut.status == 1)
        #expect(cut.stdout.contains("[1/3] _.._.ssh_authorized_keys"), "\(cut.stdout)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).filter { !$0.hasPrefix(".") }
                == ["_.._.ssh_authorized_keys"])
        // Again, with the link back: the whole file is kept, the cut one resumes, the rest are fetched.
        network.rule = nil
        let resumed = await device.run(["get", pre, "--all", "--out", out.path])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let lines = resumed.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("[1/3] _.._.ssh_authorized_keys") && $0.contains("already there, kept") },
                "\(resumed.stdout)")
        #expect(lines.contains { $0.hasPrefix("[2/3] 矿区.jpg") && $0.contains("from the server, resumed") },
                "\(resumed.stdout)")
        #expect(lines.contains { $0.hasPrefix("[3/3] 矿区-\(files[2].sha256.prefix(8)).jpg") && $0.contains("from the server") })
        #expect(resumed.stdout.contains("3 file(s) in \(out.path), each SHA-256 checked."))
        // Every file is there with its bytes, under a safe name inside the folder, and nothing else is.
        let names = AllAttachmentsDownload.fileNames(files)
        #expect(names == ["_.._.ssh_authorized_keys", "矿区.jpg", "矿区-\(files[2].sha256.prefix(8)).jpg"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == names.sorted())
        for (file, name) in zip(files, names) {
            #expect(try SampleFiles.sha256(out.appendingPathComponent(name)) == file.sha256, "\(name)")
        }
        #expect(try SampleFiles.sha256(out.appendingPathComponent("矿区.jpg")) == SampleFiles.sha256(photo))
        #expect(try FileManager.default.contentsOfDirectory(atPath: device.root.path).sorted() == ["files", "home"])
        // A third run reads nothing from the server: every file is whole.
        let before = network.count("GET", "/v1/blobs/")
        let again = await device.run(["get", pre, "--all", "--out", out.path, "--json"])
        #expect(again.status == 0, "\(again.stderr)")
        let outcomes = try WireCoding.decode([AllAttachmentsDownload.Outcome].self, from: Data(again.stdout.utf8))
        #expect(outcomes.map(\.source) == ["kept", "kept", "kept"])
        #expect(network.count("GET", "/v1/blobs/") == before)
    }
}
