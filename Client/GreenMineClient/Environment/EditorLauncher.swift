import Foundation

/// Opens a file in the user's text editor and waits until it is closed.
public protocol EditorLauncher: Sendable {
    /// Runs `command` (a shell command such as `vi` or `code --wait`) on the file; returns its exit status.
    func edit(file: URL, command: String) throws -> Int32
}

/// Runs the editor as a child process through `/bin/sh`, with the terminal handed over to it.
public struct ShellEditorLauncher: EditorLauncher {
    public init() {}

    public func edit(file: URL, command: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // The file is passed as "$1", never spliced into the command text.
        process.arguments = ["-c", command + " \"$1\"", "greenmine-editor", file.path]
        process.standardInput = FileHandle.standardInput
        process.standardOutput = FileHandle.standardOutput
        process.standardError = FileHandle.standardError
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
