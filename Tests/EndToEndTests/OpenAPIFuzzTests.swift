import Foundation
import Testing

/// Issue 11, protocol conformance: schemathesis (PyPI; `.ci/run` installs it) generates requests from
/// docs/openapi.yaml — valid and invalid, every operation, an enterprise's and a province's token — against
/// the real `greenmine-server`, and checks that no answer is a server error and every status, header,
/// content type and body is as documented (`scripts/openapi-fuzz.py`). CI runs 10 cases per operation and
/// phase (about 1,400 requests); docs/BENCHMARKS.md has a longer run.
@Suite("End to end: the OpenAPI document fuzzed with schemathesis")
struct OpenAPIFuzzTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/openapi-fuzz.py")

    @Test("over 1,000 generated requests: no server error, nothing undocumented")
    func schemathesisFindsNothing() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("greenmine-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let server = try Binaries.url(Binaries.server)
        let child = try ChildProcess(
            executable: URL(fileURLWithPath: "/usr/bin/env"),
            arguments: ["python3", Self.script.path, server.path, "--examples", "10",
                        "--workdir", root.appendingPathComponent("run").path],
            environment: ProcessInfo.processInfo.environment, stdin: nil,
            outputStem: root.appendingPathComponent("fuzz"))
        let outcome = await child.finish(timeout: 600)
        let output = child.stdoutText() + child.stderrText()
        print("[e2e] openapi-fuzz:\n" + output.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        #expect(!output.contains("schemathesis is missing"), "pip install schemathesis (.ci/run installs it)")
        #expect(outcome.status == 0, "\(output)")
        let total = try #require(output.split(separator: "\n").first { $0.hasPrefix("total: ") })
        let requests = Int(total.dropFirst("total: ".count).prefix { $0.isNumber }) ?? 0
        #expect(requests >= 1000, "\(total)")
        #expect(total.contains(" 0 server errors, 0 runs with failures"), "\(total)")
    }
}
