import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a command reads what the user types: answers, confirmations and passwords.
public protocol LineInput: Sendable {
    /// The next line without its newline, or nil at the end of input.
    func readLine() -> String?
    /// The next line read without echo when the input is a terminal (passwords).
    func readSecret() -> String?
    /// True when a person is typing at a terminal (prompts then make sense).
    var isInteractive: Bool { get }
}

/// The process's standard input.
public struct StandardInput: LineInput {
    public init() {}

    public func readLine() -> String? {
        Swift.readLine(strippingNewline: true)
    }

    public var isInteractive: Bool { isatty(STDIN_FILENO) == 1 }

    public func readSecret() -> String? {
        guard isInteractive else { return readLine() }
        var saved = termios()
        guard tcgetattr(STDIN_FILENO, &saved) == 0 else { return readLine() }
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        defer {
            _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine()
    }
}

/// Lines given in advance, for tests and scripted input.
public final class ScriptedInput: LineInput, @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String]

    /// Input made of these lines, in order.
    public init(_ lines: [String]) {
        self.lines = lines
    }

    /// Input made of the lines of a text.
    public convenience init(text: String) {
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        self.init(lines)
    }

    public func readLine() -> String? {
        lock.withLock { lines.isEmpty ? nil : lines.removeFirst() }
    }

    public func readSecret() -> String? { readLine() }

    public var isInteractive: Bool { false }

    /// The lines not read yet.
    public var remaining: [String] { lock.withLock { lines } }
}
