import Crypto
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GreenMineServer
import GreenMineShared

/// Issue 5's figures: a 100 MB attachment uploaded by the real `greenmine sync` to the real
/// `greenmine-server`, each a separate process — throughput, the ratio to curl sending the same bytes
/// to the same server, both processes' peak memory, and the bytes resent after a cut at half way.
enum UploadBenchmark {
    struct Figures {
        var megabytesPerSecond = 0.0
        var curlMegabytesPerSecond = 0.0
        var clientPeak = 0
        /// CPU seconds of the upload's sync: client, server; and of curl's PATCH: curl, server.
        var syncCPU = (client: 0.0, server: 0.0)
        var curlCPU = (client: 0.0, server: 0.0)
        /// The largest private memory (RssAnon) seen, sampled every 20 ms / 10 ms: client, server.
        var clientAnonymousPeak = 0
        var serverAnonymousPeak = 0
        /// The server's VmHWM over the upload (from a reset just before it, when permitted).
        var serverPeak = 0
        /// The server's VmHWM over its life before the upload (seeded data, logins).
        var serverLifePeakBefore = 0
        var serverPeakWasReset = false
        /// Eight logins at once after the upload: the server's VmHWM and private memory peak over them,
        /// and the seconds they took (scrypt runs two at a time).
        var loginsPeak = 0
        var loginsAnonymousPeak = 0
        var loginsSeconds = 0.0
        var resentAfterCut = 0
        var cutRunSeconds = 0.0
    }

    static let size = 100_000_000

    /// An MP4-looking file of `size` bytes: an `ftyp isom` box, then pseudo-random bytes.
    static func makeVideo(at url: URL, seed: UInt64) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else { throw BenchError("cannot create \(url.path)") }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var header: [UInt8] = [0, 0, 0, 0x18] + Array("ftypisom".utf8) + [0, 0, 2, 0] + Array("isomiso2".utf8)
        var state = seed
        var written = 0
        while written < size {
            var block = [UInt8](repeating: 0, count: min(1 << 20, size - written))
            for index in stride(from: 0, to: block.count, by: 8) {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                withUnsafeBytes(of: state) { bytes in
                    for offset in 0..<min(8, block.count - index) { block[index + offset] = bytes[offset] }
                }
            }
            if written == 0 {
                block.replaceSubrange(0..<header.count, with: header)
                header = []
            }
            try handle.write(contentsOf: block)
            written += block.count
        }
    }

    /// A `greenmine` process for `home`, in English, not yet started.
    /// `wrapper`: words run before the binary (a profiler: `perf record -g -o FILE --`).
    static func clientProcess(_ arguments: [String], home: URL, wrapper: [String] = []) throws -> Process {
        let process = Process()
        let binary = try ServerProcess.binary("greenmine")
        if wrapper.isEmpty {
            process.executableURL = binary
            process.arguments = arguments + ["--home", home.path]
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = wrapper + [binary.path] + arguments + ["--home", home.path]
        }
        var environment = ProcessInfo.processInfo.environment
        environment["LANG"] = "en_US.UTF-8"
        process.environment = environment
        return process
    }

    /// Runs `greenmine` with arguments; returns stdout, exit status and the process's peak memory.
    static func client(_ arguments: [String], home: URL, stdin: String? = nil,
                       wrapper: [String] = []) throws -> (String, Int32, Int) {
        let run = try measuredClient(arguments, home: home, stdin: stdin, wrapper: wrapper)
        return (run.output, run.status, run.peak)
    }

    /// As `client`, with the largest private memory (RssAnon) seen in samples every 20 ms.
    static func measuredClient(_ arguments: [String], home: URL, stdin: String? = nil, wrapper: [String] = [])
        throws -> (output: String, status: Int32, peak: Int, anonymousPeak: Int) {
        let process = try clientProcess(arguments, home: home, wrapper: wrapper)
        let output = Pipe()
        let input = Pipe()
        process.standardOutput = output
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("greenmine-bench-stderr.txt")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: errors)
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        var peak = 0
        var anonymousPeak = 0
        let reader = Task.detached { output.fileHandleForReading.readDataToEndOfFile() }
        while process.isRunning {
            peak = max(peak, ProcessMemory.peak(pid: process.processIdentifier))
            anonymousPeak = max(anonymousPeak, ProcessMemory.anonymous(pid: process.processIdentifier))
            usleep(20_000)
        }
        process.waitUntilExit()
        let data = try awaitBlocking(reader)
        return (String(decoding: data, as: UTF8.self), process.terminationStatus, peak, anonymousPeak)
    }

    static func awaitBlocking(_ task: Task<Data, Never>) throws -> Data {
        let semaphore = DispatchSemaphore(value: 0)
        let box = DataBox()
        Task { box.data = await task.value; semaphore.signal() }
        semaphore.wait()
        return box.data
    }

    final class DataBox: @unchecked Sendable { var data = Data() }

    static func hex(_ digest: some Sequence<UInt8>) -> String { digest.map { String(format: "%02x", $0) }.joined() }

    /// Uploads small bytes over tus from the benchmark itself (setting up the pre-application's photo).
    static func tusUpload(_ http: BenchHTTP, token: String, bytes: Data) async throws -> String {
        let sha = hex(SHA256.hash(data: bytes))
        guard let url = URL(string: "/v1/uploads", relativeTo: http.base) else { throw BenchError("url") }
        var create = URLRequest(url: url)
        create.httpMethod = "POST"
        create.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        create.setValue("1.0.0", forHTTPHeaderField: "Tus-Resumable")
        create.setValue(String(bytes.count), forHTTPHeaderField: "Upload-Length")
        create.setValue("sha256 \(Data(sha.utf8).base64EncodedString())", forHTTPHeaderField: "Upload-Metadata")
        let (_, created) = try await http.session.data(for: create)
        guard let location = (created as? HTTPURLResponse)?.value(forHTTPHeaderField: "Location"),
              let target = URL(string: location, relativeTo: http.base) else { throw BenchError("no upload created") }
        var patch = URLRequest(url: target)
        patch.httpMethod = "PATCH"
        patch.httpBody = bytes
        patch.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        patch.setValue("1.0.0", forHTTPHeaderField: "Tus-Resumable")
        patch.setValue("0", forHTTPHeaderField: "Upload-Offset")
        patch.setValue("application/offset+octet-stream", forHTTPHeaderField: "Content-Type")
        _ = try await http.session.data(for: patch)
        return sha
    }

    /// A tiny valid PNG (8-byte signature + IHDR + IEND), enough for the sniffer.
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
                          + [0, 0, 0, 13] + Array("IHDR".utf8) + [0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xDE]
                          + [0, 0, 0, 0] + Array("IEND".utf8) + [0xAE, 0x42, 0x60, 0x82])

    /// An approved pre-application of demo enterprise 1 (licence 1, with its photo), set up over the
    /// API: pushed and submitted by the enterprise (`enterprise` is its token), accepted and approved
    /// by the province.
    static func approvedPreApplication(_ http: BenchHTTP, passwords: [String: String], enterprise: String) async throws -> UUID {
        let photo = try await tusUpload(http, token: enterprise, bytes: png)
        let pre = UUID()
        let device = UUID()
        var fields: [String: JSONValue] = ["basic.region": .string(DemoData.counties[0]),
                                           "basic.licenceNumber": .string(DemoData.licence(1))]
        for flag in ["licencesValid", "noPenalty", "disclosure", "normalOperation", "outsideProtectedAreas"] {
            fields["prerequisites.\(flag)"] = .bool(true)
        }
        let now = Date()
        let setup = PushRequest(clientId: device, mutations: [
            Mutation(seq: 1, recordId: pre, kind: .preApplication, op: .create, set: fields, deviceTime: now),
            Mutation(seq: 2, recordId: pre, kind: .preApplication, op: .attach,
                     attachment: MutationAttachment(slot: "pre.image", sha256: photo, name: "photo.png"), deviceTime: now),
            Mutation(seq: 3, recordId: pre, kind: .preApplication, op: .transition, transition: .submit, deviceTime: now),
        ])
        _ = try await http.send("POST", "/v1/sync/push", token: enterprise, body: try WireCoding.encode(setup))
        let province = try await http.login("demo-province", passwords["demo-province"] ?? "")
        let review = PushRequest(clientId: UUID(), mutations: [
            Mutation(seq: 1, recordId: pre, kind: .preApplication, op: .transition, baseVersion: 3, transition: .accept,
                     deviceTime: now),
            Mutation(seq: 2, recordId: pre, kind: .preApplication, op: .transition, baseVersion: 4, transition: .approve,
                     deviceTime: now),
        ])
        _ = try await http.send("POST", "/v1/sync/push", token: province, body: try WireCoding.encode(review))
        return pre
    }

    static func run() async throws -> Figures {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("greenmine-upload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let (server, passwords) = try ServerProcess.seededAndStarted(in: root)
        defer { server.stop() }
        let http = BenchHTTP(base: server.baseURL)

        // An approved pre-application of demo enterprise 1, set up over the API.
        let enterprise = try await http.login("demo-ent1", passwords["demo-ent1"] ?? "")
        let pre = try await approvedPreApplication(http, passwords: passwords, enterprise: enterprise)

        // The field laptop: log in, pull, start the application, attach the video.
        let home = root.appendingPathComponent("home")
        _ = try client(["login", "--server", server.baseURL.absoluteString, "--user", "demo-ent1", "--password-stdin"],
                       home: home, stdin: (passwords["demo-ent1"] ?? "") + "\n")
        _ = try client(["sync"], home: home)
        let (created, status, _) = try client(["app", "new", "--from", pre.uuidString.lowercased(), "--json"], home: home)
        struct Created: Decodable { var record: Record }
        guard status == 0, let appId = (try? WireCoding.decode(Created.self, from: Data(created.utf8)))?
            .record.id.uuidString.lowercased() else {
            throw BenchError("app new failed: \(created.prefix(300))")
        }
        var figures = Figures()
        let videos = (1...3).map { root.appendingPathComponent("video\($0).mp4") }
        for (index, video) in videos.enumerated() { try makeVideo(at: video, seed: UInt64(index + 1)) }

        // 1. Throughput and peak memory of a whole upload.
        _ = try client(["app", "attach", appId, "--slot", "video", videos[0].path], home: home)
        // The server's peak so far includes the logins' scrypt (16 MiB each since issue 11, freed after): the upload's
        // own peak is measured from a reset, and the whole life's peak is reported beside it.
        figures.serverLifePeakBefore = server.peakMemory
        figures.serverPeakWasReset = server.resetPeakMemory()
        let serverAnonymous = AnonymousPeak(pid: server.pid)
        var cpuBefore = ProcessMemory.cpu(server: server.pid)
        let start = Date()
        let synced = try measuredClient(["sync"], home: home)
        let elapsed = Date().timeIntervalSince(start)
        figures.syncCPU = ProcessMemory.cpu(since: cpuBefore, server: server.pid)
        figures.serverAnonymousPeak = serverAnonymous.stop()
        guard synced.status == 0 else { throw BenchError("sync of the video failed (\(synced.status))") }
        figures.megabytesPerSecond = Double(size) / 1e6 / elapsed
        figures.clientPeak = synced.peak
        figures.clientAnonymousPeak = synced.anonymousPeak
        figures.serverPeak = server.peakMemory

        // 2. curl sending the same number of bytes to the same server, as one tus PATCH.
        cpuBefore = ProcessMemory.cpu(server: server.pid)
        figures.curlMegabytesPerSecond = try await curl(videos[1], http: http, token: enterprise)
        figures.curlCPU = ProcessMemory.cpu(since: cpuBefore, server: server.pid)

        // Eight logins at once (the accounts of the demo, each with its own throttle): the server's memory
        // over them is bounded by the two scrypt hashes that may run at once.
        server.resetPeakMemory()
        let loginsAnonymous = AnonymousPeak(pid: server.pid)
        let loginsStart = Date()
        let names = Array(passwords.keys.sorted().prefix(8))
        try await withThrowingTaskGroup(of: String.self) { group in
            for name in names { group.addTask { try await http.login(name, passwords[name] ?? "") } }
            for try await _ in group {}
        }
        figures.loginsSeconds = Date().timeIntervalSince(loginsStart)
        figures.loginsAnonymousPeak = loginsAnonymous.stop()
        figures.loginsPeak = server.peakMemory

        // 3. A connection cut at half way, through a counting proxy; sync again through it.
        let proxy = CountingProxy(upstreamPort: server.port, cutAfter: size / 2)
        try proxy.start()
        defer { proxy.stop() }
        let viaProxy = root.appendingPathComponent("home-proxy")
        _ = try client(["login", "--server", "http://127.0.0.1:\(proxy.port)", "--user", "demo-ent1", "--password-stdin"],
                       home: viaProxy, stdin: (passwords["demo-ent1"] ?? "") + "\n")
        _ = try client(["sync"], home: viaProxy)
        _ = try client(["app", "attach", appId, "--slot", "video", videos[2].path], home: viaProxy)
        let before = proxy.bytesSent
        let cutStart = Date()
        var (_, cutStatus, _) = try client(["sync"], home: viaProxy)
        if cutStatus != 0 { (_, cutStatus, _) = try client(["sync"], home: viaProxy) }
        figures.cutRunSeconds = Date().timeIntervalSince(cutStart)
        guard cutStatus == 0 else { throw BenchError("sync after the cut failed (\(cutStatus))") }
        figures.resentAfterCut = proxy.bytesSent - before - size
        return figures
    }

    /// Creates an upload and PATCHes the whole file with curl; MB/s of the PATCH.
    static func curl(_ file: URL, http: BenchHTTP, token: String) async throws -> Double {
        guard let url = URL(string: "/v1/uploads", relativeTo: http.base) else { throw BenchError("url") }
        var create = URLRequest(url: url)
        create.httpMethod = "POST"
        create.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        create.setValue("1.0.0", forHTTPHeaderField: "Tus-Resumable")
        create.setValue(String(size), forHTTPHeaderField: "Upload-Length")
        let (_, created) = try await http.session.data(for: create)
        guard let location = (created as? HTTPURLResponse)?.value(forHTTPHeaderField: "Location") else {
            throw BenchError("no upload for curl")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-s", "-o", "/dev/null", "-X", "PATCH", "-H", "Authorization: Bearer \(token)",
                             "-H", "Tus-Resumable: 1.0.0", "-H", "Upload-Offset: 0",
                             "-H", "Content-Type: application/offset+octet-stream", "-H", "Expect:",
                             "--data-binary", "@\(file.path)", http.base.absoluteString + location]
        let start = Date()
        try process.run()
        process.waitUntilExit()
        return Double(size) / 1e6 / Date().timeIntervalSince(start)
    }
}
