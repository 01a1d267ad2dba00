import Foundation
import GreenMineShared
import Testing
@testable import GreenMineClient

/// `greenmine schedule` writes a systemd user timer; every sync leaves a line in `sync.log` that
/// `status` summarises.
struct ScheduleAndSyncLogTests {
    /// A folder on PATH with a `systemctl` that records its arguments and answers `answer`.
    private func fakeSystemctl(_ home: TestHome, exitStatus: Int32 = 0) throws -> (bin: URL, log: URL) {
        let bin = home.root.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let log = home.root.appendingPathComponent("systemctl.log")
        let script = """
            #!/bin/sh
            echo "$@" >> '\(log.path)'
            [ "$2" = "is-active" ] && echo active
            exit \(exitStatus)

            """
        let url = bin.appendingPathComponent("systemctl")
        try Data(script.utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        return (bin, log)
    }

    @Test func installWritesTheUnitsAndEnablesTheTimer() async throws {
        let home = await TestHome.loggedIn()
        let (bin, log) = try fakeSystemctl(home)
        let config = home.root.appendingPathComponent("config")
        home.extraVariables = ["PATH": bin.path, "XDG_CONFIG_HOME": config.path]
        let install = await home.run(["schedule", "install", "--every", "30m"])
        #expect(install.status == 0, "\(install.stderr)")
        #expect(install.stdout.contains("Periodic sync enabled: every 30m"))
        let timer = SyncTimer(home: home.home, variables: home.extraVariables)
        let service = try String(contentsOf: timer.serviceURL, encoding: .utf8)
        #expect(service.contains("sync --home \(home.home.url.path)"))
        #expect(service.contains("SuccessExitStatus=2 3"))
        let unit = try String(contentsOf: timer.timerURL, encoding: .utf8)
        #expect(unit.contains("OnUnitActiveSec=30min"))
        let calls = try String(contentsOf: log, encoding: .utf8)
        #expect(calls.contains("--user daemon-reload"))
        #expect(calls.contains("--user enable --now \(timer.unitName).timer"))
        let status = await home.run(["schedule", "status"])
        #expect(status.stdout.contains("installed, every 30m"), "\(status.stdout)")
        #expect(status.stdout.contains("systemd: active"))
        let remove = await home.run(["schedule", "remove"])
        #expect(remove.stdout.contains("Periodic sync removed."))
        #expect(!FileManager.default.fileExists(atPath: timer.timerURL.path))
        #expect(try String(contentsOf: log, encoding: .utf8).contains("--user disable --now"))
        #expect(await home.run(["schedule", "status"]).stdout.contains("not installed"))
    }

    @Test func withoutSystemdTheFilesAreWrittenAndCronIsOffered() async throws {
        let home = await TestHome.loggedIn()
        let empty = home.root.appendingPathComponent("empty-bin")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        home.extraVariables = ["PATH": empty.path, "XDG_CONFIG_HOME": home.root.appendingPathComponent("c").path]
        let install = await home.run(["schedule", "install"])
        #expect(install.status == 0, "\(install.stderr)")
        #expect(install.stderr.contains("No systemd user timers here (systemctl not found)"))
        #expect(install.stdout.contains("*/15 * * * * "))
        #expect(install.stdout.contains("sync --home"))
        let refused = await home.run(["schedule", "install", "--every", "20s"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("at least one minute"))
    }

    @Test func statusSaysHowTheLastSyncEnded() async throws {
        let home = await TestHome.loggedIn()
        _ = await home.newPre()
        home.server.offline = true
        #expect(await home.run(["sync"]).status == 3)
        let log = SyncLog(home: home.home)
        let failed = try #require(log.last())
        #expect(failed.outcome == .incomplete)
        #expect(failed.error?.code == "unreachable")
        home.clock.advance(12 * 60)
        #expect(await home.run(["status"]).stdout.contains("Last sync 12 min ago: link lost; the next sync continues"))
        home.server.offline = false
        #expect(await home.run(["sync"]).status == 0)
        #expect(log.last()?.outcome == .complete)
        #expect(log.last()?.pushed == 1)
        #expect(await home.run(["status"]).stdout.contains("Last sync just now: complete"))
        home.language = "zh_CN.UTF-8"
        #expect(await home.run(["status"]).stdout.contains("上次同步：刚才，全部完成"))
    }

    @Test func anUnfinishedFileIsNamedWithItsShare() {
        let entry = SyncLog.Entry(
            at: Date(timeIntervalSince1970: 0), outcome: .incomplete, pushed: 3, pulled: 0, uploadedBytes: 0,
            filesOnServer: 7_500_000, filesTotal: 21_500_000,
            unfinished: UploadTally.File(name: "现场视频.mp4", sha256: "", total: 20_000_000, onServer: 12_600_000),
            error: nil)
        let line = SyncLogSummary.line(entry, now: Date(timeIntervalSince1970: 12 * 60))
        #expect(line.en == "Last sync 12 min ago: link lost, 63 % of 现场视频.mp4 saved on the server; the next sync continues")
        #expect(line.zh.contains("“现场视频.mp4”已有 63% 保存在服务器上"))
    }
}

/// Paths with characters systemd and cron read specially.
struct SyncTimerEscapingTests {
    @Test func percentDollarAndBackslashAreEscaped() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("timer-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let home = HomeDirectory(url: root.appendingPathComponent("资料 100%$HOME"))
        let timer = SyncTimer(home: home, variables: ["XDG_CONFIG_HOME": root.appendingPathComponent("c").path])
        _ = try timer.install(period: .seconds(7200), executable: "/usr/bin/greenmine")
        let service = try String(contentsOf: timer.serviceURL, encoding: .utf8)
        #expect(service.contains("资料 100%%$$HOME"))
        #expect(!service.contains("100%$"))
        let cron = timer.cronLine(period: .seconds(7200), executable: "/usr/bin/greenmine")
        #expect(cron.hasPrefix("0 */2 * * * "))
        #expect(cron.contains("100\\%$HOME"))
        #expect(timer.cronLine(period: .seconds(900), executable: "g").hasPrefix("*/15 * * * * "))
        #expect(timer.cronLine(period: .seconds(2 * 86_400), executable: "g").hasPrefix("0 0 * * * "))
    }
}
