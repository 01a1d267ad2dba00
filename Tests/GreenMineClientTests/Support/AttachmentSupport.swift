import Foundation
import GRDB
import GreenMineShared
@testable import GreenMineClient

/// What attachment tests look at in a home: the sample files, the blob store, what is queued.
extension TestHome {
    var files: SampleFiles { SampleFiles(root: root) }

    var blobs: BlobStore { BlobStore(home: home) }

    /// Every regular file under the blob store (temporary copies included).
    func blobFiles() -> [String] {
        let root = blobs.root
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
        else { return [] }
        var found: [String] = []
        for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
            found.append(String(url.path.dropFirst(root.path.count + 1)))
        }
        return found.sorted()
    }

    /// The queued attaches and detaches.
    func queuedFiles() throws -> [Mutation] {
        try outbox().filter { $0.op == .attach || $0.op == .detach }
    }

    /// The uploads the store remembers.
    func uploads() throws -> [String: UploadInProgress] {
        try store().read { try UploadInProgress.all($0) }
    }

    /// Logs in to a real server as a demo account.
    func login(live server: LiveServer, _ user: String = "demo-ent1") async -> Run {
        await run(["login", "--server", server.base.absoluteString, "--user", user, "--password-stdin"],
                  input: [server.passwords[user] ?? ""])
    }

    /// A home logged in to a real server, its network through a recording transport.
    static func live(_ server: LiveServer, user: String = "demo-ent1", chunkSize: Int = 256 * 1024,
                     network: RecordingTransport? = nil) async -> (TestHome, RecordingTransport) {
        let home = TestHome()
        let recorder = network ?? RecordingTransport(HTTPClientTransport(baseURL: server.base))
        home.transport = { _ in recorder }
        home.uploadChunkSize = chunkSize
        let login = await home.login(live: server, user)
        precondition(login.status == 0, login.stderr)
        return (home, recorder)
    }

    /// A pre-application of `licence` with every prerequisite met, and its id.
    func readyPre(licence: String) async -> String {
        let created = await run(["pre", "new", "--region", "130102", "--license", licence])
        let id = Self.firstId(created) ?? ""
        _ = await run(["pre", "set", id] + Fixtures.prerequisites)
        return id
    }
}

/// Bytes this process has read through `read(2)` and friends so far (`rchar` of /proc/self/io).
func bytesReadByProcess() -> Int64 {
    guard let text = try? String(contentsOfFile: "/proc/self/io", encoding: .utf8) else { return 0 }
    for line in text.split(separator: "\n") where line.hasPrefix("rchar:") {
        return Int64(line.dropFirst("rchar:".count).trimmingCharacters(in: .whitespaces)) ?? 0
    }
    return 0
}
