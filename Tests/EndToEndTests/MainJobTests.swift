import Foundation
import GreenMineShared
import Testing

/// The README's first command, `bash scripts/demo.sh`, run as a newcomer runs it (with the binaries
/// under test instead of a build): every role's step must succeed and leave the server holding
/// exactly the approved pre-application, the approved application, its assessment and certificate.
@Suite("End to end: the main job (scripts/demo.sh)")
struct MainJobTests {
    @Test("the demo types exactly Shared's SampleFiling")
    func demoFieldsAreTheSampleFiling() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("scripts/demo/application.fields"), encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init).sorted()
        #expect(lines == SampleFiling.assignments(SampleFiling.application()))
    }

    @Test("the demo runs every step, the certificate verifies offline, and the server holds the outcome")
    func demoScript() async throws {
        let binaries = try Binaries.directory.get()
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let script = root.appendingPathComponent("scripts/demo.sh")
        let work = TestRoot.folder("main-job")
        let logs = TestRoot.folder("main-job-logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        defer {
            if !TestRoot.keep {
                try? FileManager.default.removeItem(at: work)
                try? FileManager.default.removeItem(at: logs)
            }
        }
        let inherited = ProcessInfo.processInfo.environment
        let child = try ChildProcess(
            executable: URL(fileURLWithPath: "/bin/bash"), arguments: [script.path],
            environment: ["PATH": inherited["PATH"] ?? "/usr/bin:/bin", "HOME": logs.path, "LANG": "en_US.UTF-8",
                          "TZ": "UTC", "TMPDIR": logs.path, "GREENMINE_BIN_DIR": binaries.path,
                          "GREENMINE_DEMO_DIR": work.path],
            stdin: nil, outputStem: logs.appendingPathComponent("demo"))
        let outcome = await child.finish(timeout: 180)
        try #require(outcome.exitedCleanly, "scripts/demo.sh failed: \(outcome)")
        let output = outcome.stdout
        // Issue 14 item 10: the server's log exists before the script first reads it.
        #expect(!outcome.stderr.contains("No such file or directory"), "\(outcome.stderr)")

        // Every step ran, in order, and said so.
        let steps = ["The server, with the demonstration data", "pre-applies at the mine, offline",
                     "Back in reach: sync", "accepts and approves the pre-application",
                     "applies, offline, with attachments", "preliminary opinion", "assigns an agency",
                     "assessor scores", "the server signs the certificate", "downloads its certificate",
                     "verified offline", "✓ Done in"]
        var rest = Substring(output)
        for step in steps {
            let found = try #require(rest.range(of: step), "the demo's output lacks “\(step)” (or it is out of order)")
            rest = rest[found.upperBound...]
        }
        #expect(!output.contains("✗"), "a sync reported a refused change:\n\(output)")
        #expect(output.contains("Result: passes ✓"))
        #expect(output.contains("certificate issued"))
        #expect(output.contains("Result: ✓ valid"), "the certificate verifies offline")
        #expect(output.contains("network gone") && output.contains("network back"))
        #expect(!output.contains("unverified"), "the licence registry entry was cached at login for offline use")

        // What the server holds afterwards: the pre-application and the application approved, the
        // assessment completed, a signed certificate; the attachments the enterprise made offline.
        let database = ServerDatabase(dataDirectory: work.appendingPathComponent("server"))
        let records = try database.records().values
        let states = Dictionary(grouping: records, by: \.kind).mapValues { $0.map(\.state).sorted() }
        #expect(states["preApplication"] == ["approved"], "\(states)")
        #expect(states["application"] == ["approved"], "\(states)")
        #expect(states["assessment"]?.count == 1, "\(states)")
        #expect(states["certificate"]?.count == 1, "\(states)")
        let application = try #require(records.first { $0.kind == "application" })
        #expect(Set(application.record.attachments.map(\.slot)) == ["app.pdf", "app.image"])
        #expect(try database.integrityCheck() == ["ok"])

        // The certificate files are where the demo says.
        let certificates = try FileManager.default.contentsOfDirectory(atPath: work.appendingPathComponent("证书").path)
        #expect(certificates.contains { $0.hasSuffix(".json") } && certificates.contains { $0.hasSuffix(".html") },
                "\(certificates)")
    }
}
