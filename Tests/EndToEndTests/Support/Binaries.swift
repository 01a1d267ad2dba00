import Foundation

/// Where the real `greenmine` and `greenmine-server` executables are: `$GREENMINE_BIN_DIR`, else the
/// build products folder this test binary runs from, else `.build/debug` of the package.
enum Binaries {
    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    static let client = "greenmine"
    static let server = "greenmine-server"

    /// The folder holding both executables, or why it could not be found.
    static let directory: Result<URL, Missing> = locate()

    /// The URL of an executable; fails with a message that says how to build it.
    static func url(_ name: String) throws -> URL {
        try directory.get().appendingPathComponent(name)
    }

    private static func locate() -> Result<URL, Missing> {
        var candidates: [URL] = []
        if let explicit = ProcessInfo.processInfo.environment["GREENMINE_BIN_DIR"], !explicit.isEmpty {
            candidates.append(URL(fileURLWithPath: explicit, isDirectory: true))
        }
        // The test runner lives in the build products folder (…/.build/<triple>/debug/X.xctest).
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var folder = executable.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(folder)
            folder = folder.deletingLastPathComponent()
        }
        candidates.append(Bundle.main.bundleURL)
        // The package root from this file: Tests/EndToEndTests/Support/Binaries.swift.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug"))
        for candidate in candidates where isExecutable(candidate.appendingPathComponent(client))
            && isExecutable(candidate.appendingPathComponent(server)) {
            return .success(candidate)
        }
        return .failure(Missing(description: """
            The end-to-end tests run the real `\(client)` and `\(server)` executables, and they were not \
            found in any of: \(candidates.map(\.path).joined(separator: ", ")). \
            Build them first with `swift build` (or `swift build --build-tests`), or point \
            GREENMINE_BIN_DIR at the folder that holds them.
            """))
    }

    private static func isExecutable(_ url: URL) -> Bool {
        FileManager.default.isExecutableFile(atPath: url.path)
    }
}

/// What the `greenmine` binary under test can do, for tests of features still being built.
enum ClientFeatures {
    /// True when `greenmine SUBCOMMAND… --help` succeeds (the subcommand exists).
    static func has(_ subcommand: [String]) async throws -> Bool {
        let folder = TestRoot.folder("features")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let child = try ChildProcess(executable: try Binaries.url(Binaries.client), arguments: subcommand + ["--help"],
                                     environment: ["PATH": "/usr/bin:/bin", "HOME": folder.path, "LANG": "C.UTF-8"],
                                     stdin: nil, outputStem: folder.appendingPathComponent("help"))
        let outcome = await child.finish(timeout: 60)
        return outcome.exitedCleanly && outcome.stdout.contains("USAGE: greenmine \(subcommand.joined(separator: " "))")
    }
}
