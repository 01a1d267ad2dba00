import Crypto
import FieldLink
import Foundation
import GreenMineShared
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 13, for real: three `greenmine-server` processes on one PostgreSQL database and one blob
/// folder, behind Debian's nginx (round robin). Two field laptops of two enterprises sync their
/// pre-applications with photos through slow links while one instance is killed with -9; the province
/// reviews through the balancer; everything converges with nothing lost or applied twice.
@Suite("End to end: three server instances on PostgreSQL behind nginx")
struct SeveralInstancesTests {
    static let enabled = ScratchPostgres.available && NginxBalancer.available

    @Test("kill -9 of one of three instances mid-sync: both laptops and the province converge, every file and change once",
          .enabled(if: enabled, "needs GREENMINE_TEST_POSTGRES, psql and nginx (.ci/run installs and starts them)"))
    func threeInstancesConverge() async throws {
        _ = try Binaries.directory.get()
        let root = TestRoot.folder("several-instances")
        let database = try await ScratchPostgres()
        let data = root.appendingPathComponent("server-data")
        let logs = root.appendingPathComponent("server-logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let instances = (1...3).map { n in
            ServerProcess(dataDirectory: data, logDirectory: logs,
                          extraArguments: ["--database", database.url, "--trusted-proxy", "127.0.0.1"]
                              + (n == 1 ? ["--demo"] : []),
                          logName: "instance\(n)")
        }
        var balancer: NginxBalancer?
        var proxies: [FieldLinkProxy] = []
        func cleanUp() async {
            for proxy in proxies { _ = proxy.stop() }
            await balancer?.stop()
            for instance in instances { await instance.kill9() }
            await database.drop()
            if !TestRoot.keep { try? FileManager.default.removeItem(at: root) }
        }
        do {
            // The first instance migrates the database and seeds the demo accounts; the others join it.
            try await instances[0].start()
            let seeded = await instances[0].log()
            let passwords = Self.demoPasswords(seeded)
            try #require(passwords["demo-ent1"] != nil, "the demo accounts: \(seeded)")
            for instance in instances.dropFirst() { try await instance.start() }
            var ports: [Int] = []
            for instance in instances { ports.append(try #require(await instance.port)) }
            let nginx = try await NginxBalancer(folder: root.appendingPathComponent("nginx"), upstreams: ports)
            balancer = nginx
            print("[e2e] several-instances: \(root.path), nginx on \(nginx.port) over \(ports)")

            // Two laptops, each behind its own link to the balancer.
            let filings = [Filing(user: "demo-ent1", region: "130102", licence: "C1301002020127130000001",
                                  mine: "长安区绿源石灰岩矿", seed: 1),
                           Filing(user: "demo-ent2", region: "130104", licence: "C1301002020127130000002",
                                  mine: "桥西区恒石建筑石料矿", seed: 2)]
            var laptops: [ClientHome] = []
            var made: [(id: UUID, shas: [String])] = []
            for filing in filings {
                let proxy = try FieldLinkProxy(upstreamPort: nginx.port)
                proxies.append(proxy)
                let laptop = try ClientHome(name: filing.user, directory: root.appendingPathComponent("home-\(filing.user)"),
                                            logDirectory: root.appendingPathComponent("logs-\(filing.user)"))
                try await laptop.login(server: proxy.url, user: filing.user, password: try #require(passwords[filing.user]))
                try await laptop.syncOK()
                // Filled in offline: a pre-application with two photos, submitted.
                let id = try await laptop.json(ClientHome.Created.self, [
                    "pre", "new", "--region", filing.region, "--license", filing.licence]).record.id
                let short = String(id.uuidString.lowercased().prefix(8))
                var fields = SampleForms.preApplication
                fields["basic.mineName"] = .string(filing.mine)
                try await laptop.ok(["pre", "set", short] + SampleForms.assignments(fields))
                var shas: [String] = []
                for n in 0..<2 {
                    let bytes = SampleMedia.jpeg(1_500_000, seed: filing.seed * 10 + UInt64(n))
                    let file = root.appendingPathComponent("files-\(filing.user)/现场照片\(n).jpg")
                    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(),
                                                            withIntermediateDirectories: true)
                    try bytes.write(to: file)
                    shas.append(SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined())
                    try await laptop.ok(["pre", "attach", short, file.path])
                }
                try await laptop.ok(["pre", "submit", short])
                laptops.append(laptop)
                made.append((id, shas))
            }

            // Both sync at once over 4 Mbit/s links (3 MB each: some 6 s); an instance dies mid-upload.
            for proxy in proxies { proxy.apply(.symmetric(bitsPerSecond: 4_000_000, latency: 0.05)) }
            let syncs = try laptops.map { try $0.launch(["sync"]) }
            let started = await FieldLinkTests.waitUntil(timeout: 60) {
                proxies.allSatisfy { $0.statistics.bytesUp > 800_000 }
            }
            #expect(started, "both uploads under way")
            // The instance that is serving a request right now (nginx opens a connection per request) dies.
            var victim = 1
            for _ in 0..<200 {
                if let busy = ports.firstIndex(where: { Self.establishedConnections(toPort: $0) > 0 }) {
                    victim = busy
                    break
                }
                try await Task.sleep(for: .milliseconds(10))
            }
            await instances[victim].kill9()
            print("[e2e] several-instances: killed instance \(victim + 1) with a request in flight")
            var outcomes: [ProcessOutcome] = []
            for sync in syncs { outcomes.append(await sync.finish(timeout: 180)) }
            print("[e2e] several-instances: syncs during the kill: \(outcomes.map { "\($0.status) in \(Int($0.seconds)) s" })")
            for (laptop, first) in zip(laptops, outcomes) {
                // A sync cut short stops as incomplete (3); the user runs it again.
                #expect([0, 3].contains(first.status), "\(laptop.name): \(first)")
                var last = first
                for _ in 0..<3 where last.status != 0 { last = try await laptop.run(["sync"], timeout: 120) }
                #expect(last.status == 0, "\(laptop.name): \(last)")
            }
            // The dead instance comes back on its port; the province reviews through the balancer.
            try await instances[victim].start()
            let province = try ClientHome(name: "province", directory: root.appendingPathComponent("home-province"),
                                          logDirectory: root.appendingPathComponent("logs-province"))
            try await province.login(server: nginx.url, user: "demo-province",
                                     password: try #require(passwords["demo-province"]))
            try await province.syncOK()
            let waiting = try await province.json([Authority.Listed].self, ["review", "list", "--state", "submitted"])
            #expect(Set(waiting.map(\.id)) == Set(made.map(\.id)), "the province's list: \(waiting)")
            for (id, _) in made {
                let short = String(id.uuidString.lowercased().prefix(8))
                try await province.ok(["review", "accept", short])
                try await province.ok(["review", "approve", short])
            }
            try await province.syncOK()
            for laptop in laptops { try await laptop.syncOK() }

            // Converged: each laptop sees its own pre-application approved with both photos, and the
            // database holds every change once.
            for (laptop, (id, shas)) in zip(laptops, made) {
                let shown = try await laptop.show("pre", id).record
                #expect(shown.state == .approved, "\(laptop.name)")
                #expect(shown.attachments.map(\.sha256).sorted() == shas.sorted(), "\(laptop.name)")
                #expect(try laptop.outboxCount() == 0, "\(laptop.name)")
                let key = id.uuidString
                #expect(try await database.value("SELECT state FROM records WHERE id = '\(key)'") == "approved")
                for action in ["create", "submit", "accept", "approve"] {
                    let count = try await database.value(
                        "SELECT count(*) FROM audit_events WHERE record_id = '\(key)' AND action = '\(action)'")
                    #expect(count == "1", "\(laptop.name): \(action) \(count ?? "none") times")
                }
                let versions = try await database.rows(
                    "SELECT count(*), min(version), max(version) FROM record_versions WHERE record_id = '\(key)'")
                #expect(versions.first.map { $0[0] == $0[2] && $0[1] == "1" } == true, "versions 1…n: \(versions)")
                for sha in shas {
                    #expect(try await database.value("SELECT size FROM blobs WHERE sha256 = '\(sha)'") == "1500000")
                    let files = Self.files(named: sha, under: data.appendingPathComponent("blobs"))
                    #expect(files.count == 1, "\(sha): \(files)")
                    if let file = files.first, let bytes = FileManager.default.contents(atPath: file) {
                        #expect(SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined() == sha)
                    }
                }
            }
            #expect(try await database.value("SELECT count(*) FROM uploads WHERE completed_sha256 IS NULL") == "0",
                    "no upload left half done")
            await cleanUp()
        } catch {
            for instance in instances { print("[e2e] \(await instance.log())") }
            await cleanUp()
            throw error
        }
    }

    /// One enterprise's pre-application.
    struct Filing {
        var user: String
        var region: String
        var licence: String
        var mine: String
        var seed: UInt64
    }

    /// The demo accounts `serve --demo` printed: `  username<TAB>role<TAB>password<TAB>note`.
    static func demoPasswords(_ output: String) -> [String: String] {
        var passwords: [String: String] = [:]
        for line in output.split(separator: "\n") where line.hasPrefix("  ") {
            let columns = line.dropFirst(2).split(separator: "\t", omittingEmptySubsequences: false)
            if columns.count >= 3 { passwords[String(columns[0])] = String(columns[2]) }
        }
        return passwords
    }

    /// Established TCP connections whose local end is this loopback port (from /proc/net/tcp).
    static func establishedConnections(toPort port: Int) -> Int {
        guard let table = try? String(contentsOfFile: "/proc/net/tcp", encoding: .utf8) else { return 0 }
        let local = String(format: ":%04X", port)
        return table.split(separator: "\n").dropFirst().filter { line in
            let columns = line.split(separator: " ")
            return columns.count > 3 && columns[1].hasSuffix(local) && columns[3] == "01"
        }.count
    }

    /// Paths of the files named `name` under `folder`.
    static func files(named name: String, under folder: URL) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        return walker.compactMap { $0 as? String }.filter { ($0 as NSString).lastPathComponent == name }
            .map { folder.appendingPathComponent($0).path }
    }
}
