import Foundation

/// Where a command writes: standard output for results, standard error for messages.
public protocol OutputSink: Sendable {
    /// Writes text to standard output as is.
    func write(_ text: String)
    /// Writes text to standard error as is.
    func writeError(_ text: String)
}

extension OutputSink {
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
