import Crypto
import Foundation

/// The systemd user service and timer that run `greenmine sync` for one home
/// (`$XDG_CONFIG_HOME/systemd/user/greenmine-sync-<id>.{service,timer}`; the id comes from the
/// home's path, so several homes each have their own).
struct SyncTimer {
    var home: HomeDirectory
    var variables: [String: String]

    /// Whether `systemctl --user` took the timer.
    enum Enabling: Equatable {
        case enabled
        case unavailable(String)
    }

    /// The unit name without suffix.
    var unitName: String {
        let digest = SHA256.hash(data: Data(home.url.path.utf8))
        return "greenmine-sync-" + digest.prefix(4).map { String(format: "%02x", $0) }.joined()
    }

    var unitDirectory: URL {
        let config = variables["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((variables["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path) + "/.config")
        return URL(fileURLWithPath: config).appendingPathComponent("systemd/user")
    }

    var serviceURL: URL { unitDirectory.appendingPathComponent(unitName + ".service") }
    var timerURL: URL { unitDirectory.appendingPathComponent(unitName + ".timer") }

    /// This program's own path, for `ExecStart`.
    static func currentExecutable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments.first ?? "greenmine"
    }

    /// Writes both units (replacing older ones).
    func install(period: Duration, executable: String) throws -> (service: URL, timer: URL) {
        try FileManager.default.createDirectory(at: unitDirectory, withIntermediateDirectories: true)
        let minutes = max(1, period.components.seconds / 60)
        var environment = ""
        if let lang = variables["LANG"], !lang.isEmpty { environment = "Environment=LANG=\(lang)\n" }
        let service = """
            [Unit]
            Description=GreenMine sync of \(Self.unitEscaped(home.url.path))
            Wants=network-online.target
            After=network-online.target

            [Service]
            Type=oneshot
            \(environment)ExecStart=\(Self.unitEscaped(Self.quoted(executable))) sync --home \(Self.unitEscaped(Self.quoted(home.url.path)))
            # 3 = incomplete (the link went away): the next run continues; not a unit failure.
            SuccessExitStatus=2 3

            """
        let timer = """
            [Unit]
            Description=GreenMine sync of \(Self.unitEscaped(home.url.path)) every \(minutes) min

            [Timer]
            OnBootSec=2min
            OnUnitActiveSec=\(minutes)min
            # greenmine-period=\(minutes)m

            [Install]
            WantedBy=timers.target

            """
        try Data(service.utf8).write(to: serviceURL, options: .atomic)
        try Data(timer.utf8).write(to: timerURL, options: .atomic)
        return (serviceURL, timerURL)
    }

    /// `systemctl --user daemon-reload` and `enable --now` the timer.
    func enable() -> Enabling {
        guard let systemctl = Self.find("systemctl", path: variables["PATH"]) else {
            return .unavailable("systemctl not found")
        }
        for arguments in [["--user", "daemon-reload"], ["--user", "enable", "--now", unitName + ".timer"]] {
            let (status, output) = Self.run(systemctl, arguments)
            guard status == 0 else {
                let said = output.trimmingCharacters(in: .whitespacesAndNewlines)
                return .unavailable(said.isEmpty ? "systemctl exited \(status)" : String(said.prefix(200)))
            }
        }
        return .enabled
    }

    /// The period written in the installed timer, nil when none is installed.
    func installedPeriod() -> String? {
        guard let text = try? String(contentsOf: timerURL, encoding: .utf8) else { return nil }
        let marker = "# greenmine-period="
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(marker) }) else { return "?" }
        return String(line.dropFirst(marker.count))
    }

    /// What systemd says of the timer.
    func activeState() -> String {
        guard let systemctl = Self.find("systemctl", path: variables["PATH"]) else { return "systemctl not found" }
        let (_, output) = Self.run(systemctl, ["--user", "is-active", unitName + ".timer"])
        let said = output.trimmingCharacters(in: .whitespacesAndNewlines)
        return said.isEmpty ? "unknown" : String(said.prefix(200))
    }

    /// Disables (best effort) and deletes both units; false when none was installed.
    func remove() throws -> Bool {
        let present = [serviceURL, timerURL].filter { FileManager.default.fileExists(atPath: $0.path) }
        guard !present.isEmpty else { return false }
        let systemctl = Self.find("systemctl", path: variables["PATH"])
        if let systemctl { _ = Self.run(systemctl, ["--user", "disable", "--now", unitName + ".timer"]) }
        for url in present { try FileManager.default.removeItem(at: url) }
        if let systemctl { _ = Self.run(systemctl, ["--user", "daemon-reload"]) }
        return true
    }

    /// The crontab line for systems without systemd: every N minutes below an hour, every N hours
    /// (on the hour) from an hour up, once a day from a day up. `%` is cron's line break: escaped.
    func cronLine(period: Duration, executable: String) -> String {
        let minutes = max(1, period.components.seconds / 60)
        let when = minutes < 60 ? "*/\(minutes) * * * *" : minutes < 24 * 60 ? "0 */\(minutes / 60) * * *" : "0 0 * * *"
        let command = "\(Self.quoted(executable)) sync --home \(Self.quoted(home.url.path)) >/dev/null 2>&1"
        return when + " " + command.replacingOccurrences(of: "%", with: "\\%")
    }

    /// Text for a unit file: `%` (a specifier), `$` (a variable) and `\` are doubled.
    static func unitEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "%%")
            .replacingOccurrences(of: "$", with: "$$")
    }

    static func quoted(_ text: String) -> String {
        text.allSatisfy({ $0.isLetter || $0.isNumber || "/._-+".contains($0) }) ? text
            : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    static func find(_ program: String, path: String?) -> String? {
        for directory in (path ?? "").split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static func run(_ executable: String, _ arguments: [String]) -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do {
            try process.run()
        } catch {
            return (127, error.localizedDescription)
        }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
