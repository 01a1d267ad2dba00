import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The folder every end-to-end file lives under: `$TMPDIR/greenmine-e2e/<pid>`. Folders of test
/// runs that have ended are swept when a new run starts, and at exit this run's folder is removed
/// (unless GREENMINE_E2E_KEEP is set) and any child process still alive is killed.
enum TestRoot {
    static let directory: URL = make()

    private static func make() -> URL {
        let manager = FileManager.default
        let base = manager.temporaryDirectory.appendingPathComponent("greenmine-e2e")
        for name in (try? manager.contentsOfDirectory(atPath: base.path)) ?? [] {
            guard let pid = Int32(name), pid != getpid() else { continue }
            if kill(pid, 0) != 0, errno == ESRCH {
                try? manager.removeItem(at: base.appendingPathComponent(name))
            }
        }
        let mine = base.appendingPathComponent(String(getpid()))
        try? manager.createDirectory(at: mine, withIntermediateDirectories: true)
        atexit { TestRoot.cleanUp() }
        return mine
    }

    /// A new folder for one purpose.
    static func folder(_ name: String) -> URL {
        directory.appendingPathComponent("\(name)-\(UUID().uuidString.prefix(8))")
    }

    static var keep: Bool {
        ProcessInfo.processInfo.environment["GREENMINE_E2E_KEEP"] != nil
    }

    private static func cleanUp() {
        ChildProcess.killAll()
        if !keep { try? FileManager.default.removeItem(at: directory) }
    }
}
