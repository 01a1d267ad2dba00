import Crypto
import FieldLink
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GreenMineShared
#if canImport(Glibc)
import Glibc
#endif

/// Issue 10's figures: the real `greenmine` and `greenmine-server`, each its own process, with a
/// field-link proxy (rate per direction, latency, outages) between them. Set-up (login, first pull,
/// the application) goes through the proxy unshaped; then the shape is applied and only periodic
/// syncs run until the server holds the work.
enum FieldLinkBenchmark {
    // MARK: - Scenarios

    /// What a periodic-sync scenario measured.
    struct Outcome {
        var completed = false
        var wall = 0.0
        var secondsUp = 0.0
        var payload = 0
        var linkSeconds = 0.0
        var bytesUp = 0
        var bytesDown = 0
        var outages = 0
        var connections = 0
        var runs: [String] = []
        var held = 0
        var files = 0
        var duplicates = false
        var submitted = false

        var crossed: Int { bytesUp + bytesDown }
    }

    /// a. 20 MB of attachments on an application that is then submitted, over 256 kbit/s each way,
    /// 300 ms, 20 s outages every 60 s (the first after 30 s); `greenmine sync --every 30s` alone.
    static func twentyMegabytes(cap: Double) async throws -> Outcome {
        let files: [(String, Data)] = [
            ("现场照片1.jpg", SampleMedia.jpeg(3_000_000, seed: 11)), ("现场照片2.jpg", SampleMedia.jpeg(3_000_000, seed: 12)),
            ("现场照片3.jpg", SampleMedia.jpeg(3_000_000, seed: 13)), ("环评报告.pdf", SampleMedia.pdf(2_000_000, seed: 14)),
            ("现场视频.mp4", SampleMedia.mp4(9_000_000, seed: 15)),
        ]
        let shape = LinkShape.symmetric(bitsPerSecond: 256_000, latency: 0.3, outageEvery: 60, outageLength: 20,
                                        firstOutageAfter: 30)
        return try await periodic("fieldlink-20mb", files: files, submit: true, shape: shape, period: "30s", cap: cap)
    }

    /// b. One 2 MB photo at 64 kbit/s each way, 300 ms, no outage.
    static func slowPhoto(cap: Double) async throws -> Outcome {
        let shape = LinkShape.symmetric(bitsPerSecond: 64_000, latency: 0.3)
        return try await periodic("fieldlink-photo", files: [("现场照片.jpg", SampleMedia.jpeg(2_000_000, seed: 21))], submit: false,
                                  shape: shape, period: "30s", cap: cap)
    }

    /// The quick variant: 5 MB over 8 Mbit/s, 50 ms, 3 s outages every 10 s; `sync --every 5s`.
    static func quick(cap: Double) async throws -> Outcome {
        let files: [(String, Data)] = [
            ("照片A.jpg", SampleMedia.jpeg(2_000_000, seed: 31)), ("照片B.jpg", SampleMedia.jpeg(2_000_000, seed: 32)),
            ("报告.pdf", SampleMedia.pdf(1_000_000, seed: 33)),
        ]
        let shape = LinkShape.symmetric(bitsPerSecond: 8_000_000, latency: 0.05, outageEvery: 10, outageLength: 3,
                                        firstOutageAfter: 4)
        return try await periodic("fieldlink-quick", files: files, submit: true, shape: shape, period: "5s", cap: cap)
    }

    /// Attaches `files` (and submits, when asked) offline, applies `shape`, runs periodic syncs
    /// until the server holds every file on the application (and the submit), or `cap` seconds pass.
    static func periodic(_ name: String, files: [(String, Data)], submit: Bool, shape: LinkShape, period: String,
                         cap: Double) async throws -> Outcome {
        let world = try await World.make(name)
        defer { world.close() }
        var paths: [String] = []
        var shas: Set<String> = []
        for (fileName, data) in files {
            let url = world.root.appendingPathComponent(fileName)
            try data.write(to: url)
            paths.append(url.path)
            shas.insert(UploadBenchmark.hex(SHA256.hash(data: data)))
        }
        try world.ok(["app", "attach", world.appId] + paths)
        if submit {
            try world.ok(["app", "set", world.appId] + SampleFiling.assignments(SampleFiling.application()))
            try world.ok(["app", "submit", world.appId])
        }
        var outcome = Outcome()
        outcome.payload = files.reduce(0) { $0 + $1.1.count }
        outcome.files = files.count
        outcome.linkSeconds = Double(outcome.payload * 8) / (shape.upBitsPerSecond ?? .infinity)

        world.proxy.apply(shape)
        let driver = SyncDriver(home: world.home, period: period, log: world.root.appendingPathComponent("sync.log"))
        let start = Date()
        try driver.start()
        defer { driver.stop() }
        while Date().timeIntervalSince(start) < cap {
            try await Task.sleep(for: .seconds(1))
            let held = try await world.serverHolds(shas: shas)
            outcome.held = held.files
            outcome.duplicates = held.duplicates
            outcome.submitted = held.submitted
            if held.files == shas.count, held.submitted || !submit {
                outcome.completed = true
                break
            }
        }
        let figures = world.proxy.statistics
        outcome.wall = Date().timeIntervalSince(start)
        outcome.secondsUp = figures.secondsUp
        outcome.bytesUp = figures.bytesUp
        outcome.bytesDown = figures.bytesDown
        outcome.outages = figures.outages
        outcome.connections = figures.connections
        driver.stop()
        outcome.runs = driver.runs()
        if ProcessInfo.processInfo.environment["GREENMINE_FIELDLINK_LOG"] != nil {
            print("--- \(name): sync log ---\n" + driver.logText().suffix(6000))
        }
        return outcome
    }

    /// c. 100 MB through the proxy with no shaping, beside the same upload straight to the server (MB/s).
    static func fastLink() async throws -> (direct: Double, proxied: Double) {
        let world = try await World.make("fieldlink-fast")
        defer { world.close() }
        try world.syncOK()
        let direct = world.root.appendingPathComponent("home-direct")
        _ = try UploadBenchmark.client(["login", "--server", world.server.baseURL.absoluteString, "--user", "demo-ent1",
                                        "--password-stdin"], home: direct, stdin: world.password + "\n")
        _ = try UploadBenchmark.client(["sync"], home: direct)
        let videos = (1...2).map { world.root.appendingPathComponent("video\($0).mp4") }
        for (index, video) in videos.enumerated() { try UploadBenchmark.makeVideo(at: video, seed: UInt64(40 + index)) }
        func timedUpload(_ home: URL, _ video: URL) throws -> Double {
            let (_, attached, _) = try UploadBenchmark.client(["app", "attach", world.appId, "--slot", "video", video.path], home: home)
            guard attached == 0 else { throw BenchError("attach of \(video.lastPathComponent) failed (\(attached))") }
            let start = Date()
            let (_, status, _) = try UploadBenchmark.client(["sync"], home: home)
            guard status == 0 else { throw BenchError("sync of \(video.lastPathComponent) failed (\(status))") }
            return Double(UploadBenchmark.size) / 1e6 / Date().timeIntervalSince(start)
        }
        let directRate = try timedUpload(direct, videos[0])
        try world.syncOK()
        let proxiedRate = try timedUpload(world.home, videos[1])
        return (directRate, proxiedRate)
    }

    /// What one way of pulling 1,000 records cost on the wire.
    struct PullCost {
        var label: String
        var records: Int
        var bytesDown: Int
        var gzip: Bool
        var perRecord: Double { records > 0 ? Double(bytesDown) / Double(records) : 0 }
    }

    /// d. An initial pull of 1,000 records (pages of 500) through the proxy: curl without and with
    /// `--compressed`, and the `greenmine` client's own first sync. Bytes from the proxy's counter.
    static func pullBytes() async throws -> [PullCost] {
        let world = try await World.make("fieldlink-pull")
        defer { world.close() }
        try await Workload.fill(world.http, token: world.token, records: 1000)
        var costs: [PullCost] = []
        for compressed in [false, true] {
            world.proxy.resetCounters()
            var records = 0
            var cursor: String?
            var gzip = false
            for page in 0..<100 {
                var path = "/v1/sync/pull?limit=500"
                if let cursor { path += "&after=\(cursor.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? cursor)" }
                let body = world.root.appendingPathComponent("page-\(compressed)-\(page).json")
                let headers = world.root.appendingPathComponent("page-\(compressed)-\(page).headers")
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
                process.arguments = ["-s", "-o", body.path, "-D", headers.path, "-H", "Authorization: Bearer \(world.token)"]
                    + (compressed ? ["--compressed"] : []) + [world.proxy.url.absoluteString + path]
                try process.run()
                process.waitUntilExit()
                guard process.terminationStatus == 0,
                      let json = try JSONSerialization.jsonObject(with: Data(contentsOf: body)) as? [String: Any] else {
                    throw BenchError("curl pull page \(page) failed (\(process.terminationStatus))")
                }
                let head = (try? String(contentsOf: headers, encoding: .utf8)) ?? ""
                gzip = gzip || head.lowercased().contains("content-encoding: gzip")
                records += (json["records"] as? [Any])?.count ?? 0
                cursor = json["cursor"] as? String
                if json["more"] as? Bool != true { break }
            }
            costs.append(PullCost(label: compressed ? "curl --compressed" : "curl, no Accept-Encoding",
                                  records: records, bytesDown: world.proxy.statistics.bytesDown, gzip: gzip))
        }
        // The client's first sync of a new home: whatever it asks for.
        let fresh = world.root.appendingPathComponent("home-pull")
        _ = try UploadBenchmark.client(["login", "--server", world.proxy.url.absoluteString, "--user", "demo-ent1",
                                        "--password-stdin"], home: fresh, stdin: world.password + "\n")
        world.proxy.resetCounters()
        let (output, status, _) = try UploadBenchmark.client(["sync"], home: fresh)
        guard status == 0 else { throw BenchError("greenmine sync of the 1,000 records failed (\(status))") }
        let pulled = output.split(separator: "\n").compactMap { line -> Int? in
            guard let range = line.range(of: "Pulled ") else { return nil }
            return Int(line[range.upperBound...].prefix { $0.isNumber })
        }.reduce(0, +)
        costs.append(PullCost(label: "greenmine sync (new home)", records: pulled,
                              bytesDown: world.proxy.statistics.bytesDown, gzip: false))
        return costs
    }

    // MARK: - Printing

    /// Prints a periodic-sync outcome beside the budgets of DESIGN.md §7.
    static func report(_ title: String, _ outcome: Outcome, ratioBudget: Double?, efficiencyBudget: Bool) {
        let minutes = String(format: "%.1f min", outcome.wall / 60)
        line(title, outcome.completed ? "done in \(minutes)" : "FAILED at \(minutes)",
             "budget: completes by periodic syncs alone")
        let ratio = outcome.linkSeconds > 0 ? (ratioBudget == nil ? outcome.wall : outcome.secondsUp) / outcome.linkSeconds : 0
        if let ratioBudget {
            line("  link up until done / payload's link time", String(format: "%.0f s / %.0f s", outcome.secondsUp, outcome.linkSeconds),
                 (outcome.completed ? String(format: "ratio %.2f", ratio) : "FAILED: not done")
                    + String(format: " (budget ≤ %.1f)", ratioBudget))
        } else {
            line("  completion time / payload's link time", String(format: "%.0f s / %.0f s", outcome.wall, outcome.linkSeconds),
                 (outcome.completed ? String(format: "ratio %.2f", ratio) : "FAILED: not done") + " (budget ≤ 1.2)")
        }
        line("  bytes across the link: up + down", String(format: "%.2f + %.2f MB", Double(outcome.bytesUp) / 1e6,
                                                          Double(outcome.bytesDown) / 1e6),
             "payload \(String(format: "%.2f MB", Double(outcome.payload) / 1e6))")
        let efficiency = outcome.crossed > 0 ? Double(outcome.payload) / Double(outcome.crossed) * 100 : 0
        line("  payload ÷ bytes crossed", outcome.completed ? String(format: "%.1f %%", efficiency) : "FAILED: not done",
             efficiencyBudget ? "budget ≥ 95 %" : "")
        var counts: [String: Int] = [:]
        for run in outcome.runs { counts[run, default: 0] += 1 }
        let statuses = counts.sorted { $0.key < $1.key }.map { "\($0.value)× \($0.key)" }.joined(separator: ", ")
        line("  sync runs; exit statuses (from the log)", "\(outcome.runs.count)", statuses)
        line("  files on the server; submitted", "\(outcome.held) of \(outcome.files)\(outcome.duplicates ? " (DUPLICATES)" : "")",
             "\(outcome.submitted ? "submitted" : "not submitted"); \(outcome.outages) outages, \(outcome.connections) connections")
    }

    /// Runs the scenarios named by the arguments and prints their figures.
    static func main(arguments: Set<String>) async throws {
        let environment = ProcessInfo.processInfo.environment
        let capMinutes = environment["GREENMINE_FIELDLINK_CAP_MINUTES"].flatMap(Double.init)
        if arguments.contains("fieldlink-quick") {
            let outcome = try await quick(cap: (capMinutes ?? 1.5) * 60)
            report("field link 5 MB: 8 Mbit/s, 50 ms, down 3 s/10 s", outcome, ratioBudget: 1.3, efficiencyBudget: true)
        }
        guard arguments.contains("fieldlink") else { return }
        let only = environment["GREENMINE_FIELDLINK_ONLY"].map { Set($0.split(separator: ",").map(String.init)) }
        func wanted(_ scenario: String) -> Bool { only?.contains(scenario) ?? true }
        if wanted("a") {
            let outcome = try await twentyMegabytes(cap: (capMinutes ?? 40) * 60)
            report("field link 20 MB: 256 kbit/s, 300 ms, off 20s/60s", outcome, ratioBudget: 1.3, efficiencyBudget: true)
        }
        if wanted("b") {
            let outcome = try await slowPhoto(cap: (capMinutes ?? 20) * 60)
            report("field link, one 2 MB photo: 64 kbit/s, 300 ms", outcome, ratioBudget: nil, efficiencyBudget: false)
        }
        if wanted("c") {
            let rates = try await fastLink()
            line("100 MB attachment through the proxy, no shaping", String(format: "%.0f MB/s", rates.proxied),
                 String(format: "direct %.0f MB/s (budget ≥ 200 MB/s)", rates.direct))
        }
        if wanted("d") {
            for cost in try await pullBytes() {
                line("pull of 1,000 records: \(cost.label)", String(format: "%.0f bytes/record", cost.perRecord),
                     String(format: "%d records, %.0f kB down", cost.records, Double(cost.bytesDown) / 1000)
                        + (cost.gzip ? ", answered gzip" : ""))
            }
        }
    }
}

/// One field-link world: a seeded server, a proxy in front of it, and a laptop (demo-ent1) logged in
/// through the proxy that has pulled and started an application from an approved pre-application.
final class World: @unchecked Sendable {
    let root: URL
    let server: ServerProcess
    let http: BenchHTTP
    let password: String
    /// demo-ent1's API token, straight to the server (for set-up and for checking what it holds).
    let token: String
    let proxy: FieldLinkProxy
    let home: URL
    let appUUID: UUID
    var appId: String { appUUID.uuidString.lowercased() }

    private init(root: URL, server: ServerProcess, http: BenchHTTP, password: String, token: String,
                 proxy: FieldLinkProxy, home: URL, appUUID: UUID) {
        self.root = root
        self.server = server
        self.http = http
        self.password = password
        self.token = token
        self.proxy = proxy
        self.home = home
        self.appUUID = appUUID
    }

    static func make(_ name: String) async throws -> World {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("greenmine-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let (server, passwords) = try ServerProcess.seededAndStarted(in: root)
        let http = BenchHTTP(base: server.baseURL)
        let password = passwords["demo-ent1"] ?? ""
        let token = try await http.login("demo-ent1", password)
        let pre = try await UploadBenchmark.approvedPreApplication(http, passwords: passwords, enterprise: token)
        let proxy = try FieldLinkProxy(upstreamPort: server.port)
        let home = root.appendingPathComponent("home")
        _ = try UploadBenchmark.client(["login", "--server", proxy.url.absoluteString, "--user", "demo-ent1", "--password-stdin"],
                                       home: home, stdin: password + "\n")
        _ = try UploadBenchmark.client(["sync"], home: home)
        let (created, status, _) = try UploadBenchmark.client(["app", "new", "--from", pre.uuidString.lowercased(), "--json"],
                                                              home: home)
        struct Created: Decodable { var record: Record }
        guard status == 0, let app = (try? WireCoding.decode(Created.self, from: Data(created.utf8)))?.record.id else {
            proxy.stop()
            server.stop()
            throw BenchError("app new failed: \(created.prefix(300))")
        }
        return World(root: root, server: server, http: http, password: password, token: token, proxy: proxy, home: home,
                     appUUID: app)
    }

    /// Runs a `greenmine` command on the laptop that must succeed.
    func ok(_ arguments: [String]) throws {
        let (output, status, _) = try UploadBenchmark.client(arguments, home: home)
        guard status == 0 else {
            throw BenchError("greenmine \(arguments.prefix(3).joined(separator: " ")) exited \(status): \(output.suffix(300))")
        }
    }

    func syncOK() throws { try ok(["sync"]) }

    /// Whether the server holds the application with these files (each exactly once) and submitted.
    func serverHolds(shas: Set<String>) async throws -> (files: Int, duplicates: Bool, submitted: Bool) {
        var cursor: String?
        var found: Record?
        for _ in 0..<100 {
            var path = "/v1/sync/pull?limit=500"
            if let cursor { path += "&after=\(cursor.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? cursor)" }
            let (status, data) = try await http.send("GET", path, token: token)
            guard status == 200 else { throw BenchError("checking the server: pull answered \(status)") }
            let page = try WireCoding.decode(PullResponse.self, from: data)
            if let record = page.records.first(where: { $0.id == appUUID }) { found = record }
            cursor = page.cursor
            if !page.more { break }
        }
        guard let found else { return (0, false, false) }
        let held = found.attachments.map { $0.sha256.lowercased() }.filter { shas.contains($0) }
        return (Set(held).count, Set(held).count != held.count, found.state == .submitted)
    }

    func close() {
        proxy.stop()
        server.stop()
        try? FileManager.default.removeItem(at: root)
    }
}

/// `greenmine sync --every PERIOD` running in the background as a user would leave it, its standard
/// output and error going to one log. Each run's outcome is read from the home's `sync.log` (one JSON
/// line per run; the loop itself does not exit): complete 0, refused 2, incomplete 3, failed 1.
/// With `GREENMINE_FIELDLINK_DRIVER=timer`, separate `greenmine sync` processes are started one
/// period after the last ended instead (as a systemd timer would), and their real exit statuses kept.
final class SyncDriver: @unchecked Sendable {
    let home: URL
    let period: String
    let log: URL
    private let lock = NSLock()
    private var process: Process?
    private var statuses: [String] = []
    private var stopped = false
    private let timer = ProcessInfo.processInfo.environment["GREENMINE_FIELDLINK_DRIVER"] == "timer"
    private let finished = DispatchSemaphore(value: 0)
    private var looping = false

    init(home: URL, period: String, log: URL) {
        self.home = home
        self.period = period
        self.log = log
    }

    func start() throws {
        guard FileManager.default.createFile(atPath: log.path, contents: nil) else { throw BenchError("cannot create \(log.path)") }
        if !timer {
            let process = try launch(["sync", "--every", period])
            lock.withLock { self.process = process }
            return
        }
        let seconds = SyncPeriod.seconds(period)
        looping = true
        Thread.detachNewThread { [self] in
            defer { finished.signal() }
            while !lock.withLock({ stopped }) {
                guard let process = try? launch(["sync"]) else { return }
                if lock.withLock({ self.process = process; return stopped }) { process.terminate() }
                process.waitUntilExit()
                let wasStopped = lock.withLock { stopped }
                if !wasStopped { lock.withLock { statuses.append("exit \(process.terminationStatus)") } }
                let until = Date().addingTimeInterval(seconds)
                while Date() < until, !lock.withLock({ stopped }) { usleep(100_000) }
            }
        }
    }

    private func launch(_ arguments: [String]) throws -> Process {
        let process = try UploadBenchmark.clientProcess(arguments, home: home)
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Stops the loop (SIGTERM to the running sync) and waits for it to end.
    func stop() {
        let (already, process): (Bool, Process?) = lock.withLock {
            defer { stopped = true }
            return (stopped, self.process)
        }
        if already { return }
        if let process, process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        if looping { finished.wait() }
    }

    func logText() -> String {
        (try? String(contentsOf: log, encoding: .utf8)) ?? ""
    }

    /// Each finished run's exit status: real ones in timer mode, else read from the log.
    func runs() -> [String] {
        if timer { return lock.withLock { statuses } }
        let text = (try? String(contentsOf: home.appendingPathComponent("sync.log"), encoding: .utf8)) ?? ""
        let names = ["complete": "0", "refused": "2 (refused)", "incomplete": "3 (incomplete)", "failed": "1 (failed)"]
        return text.split(separator: "\n").map { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let outcome = object["outcome"] as? String else { return "?" }
            return names[outcome] ?? outcome
        }
    }
}

/// Periods as `greenmine sync --every` takes them, in the two units the harness uses.
enum SyncPeriod {
    /// `30s` → 30, `2m` → 120 (30 when it does not parse).
    static func seconds(_ text: String) -> Double {
        let number = Double(text.dropLast()) ?? 30
        return text.hasSuffix("m") ? number * 60 : number
    }
}
