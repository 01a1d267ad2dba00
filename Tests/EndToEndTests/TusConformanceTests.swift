import Foundation
import Testing

/// Issue 11, protocol conformance: an independent tus client (tuspy, from PyPI; `.ci/run` installs
/// it) against the real `greenmine-server`: creation, chunked upload with checksums, resume after a
/// lost final acknowledgement, a damaged chunk (460), the wrong offset (409), termination, expiration
/// headers (`scripts/tus-conformance.py`).
@Suite("End to end: tus conformance with tuspy")
struct TusConformanceTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/tus-conformance.py")

    @Test("tuspy uploads, resumes, is refused a damaged chunk and terminates, as tus 1.0.0 says")
    func tuspyAgreesWithTheServer() async throws {
        try await Scenario.run("tus-conformance") { scenario in
            try await scenario.server.start()
            let api = try await scenario.api
            let token = try await api.login("demo-ent1", try scenario.password("demo-ent1"))
            let base = try await scenario.url
            let child = try ChildProcess(
                executable: URL(fileURLWithPath: "/usr/bin/env"),
                arguments: ["python3", Self.script.path, base.absoluteString, token],
                environment: ProcessInfo.processInfo.environment, stdin: nil,
                outputStem: scenario.root.appendingPathComponent("tus-conformance"))
            let outcome = await child.finish(timeout: 120)
            let output = child.stdoutText() + child.stderrText()
            print("[e2e] tus-conformance:\n" + output.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
            #expect(!output.contains("No module named 'tusclient'"),
                    "tuspy is missing: pip install tuspy (.ci/run installs it)")
            #expect(outcome.status == 0, "\(output)")
            #expect(output.contains(" passed, 0 failed"), "\(output)")
        }
    }
}
