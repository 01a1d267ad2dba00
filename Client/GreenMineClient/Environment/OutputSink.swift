import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a command writes: standard output for results, standard error for messages.
public protocol OutputSink: Sendable {
    /// Writes text to standard output as is.
    func write(_ text: String)
    /// Writes text to standard error as is.
    func writeError(_ text: String)
    /// True when standard error is a terminal (progress lines are then rewritten in place).
    var errorIsTerminal: Bool { get }
}

extension OutputSink {
    public var errorIsTerminal: Bool { false }

    /// Writes one line to standard output.
    public func line(_ text: String = "") { write(text + "\n") }
    /// Writes one line to standard error.
    public func errorLine(_ text: String) { writeError(text + "\n") }
}

/// The process's real standard output and standard error.
public struct StandardOutput: OutputSink {
    public init() {}

    public func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    public func writeError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    public var errorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
}

/// Output kept in memory, for tests.
public final class CapturedOutput: OutputSink, @unchecked Sendable {
    private let lock = NSLock()
    private var standard = ""
    private var errors = ""

    public init() {}

    public func write(_ text: String) {
        lock.withLock { standard += text }
    }

    public func writeError(_ text: String) {
        lock.withLock { errors += text }
    }

    /// Everything written to standard output so far.
    public var stdout: String { lock.withLock { standard } }
    /// Everything written to standard error so far.
    public var stderr: String { lock.withLock { errors } }

    /// Forgets what was written.
    public func reset() {
        lock.withLock {
            standard = ""
            errors = ""
        }
    }
}
