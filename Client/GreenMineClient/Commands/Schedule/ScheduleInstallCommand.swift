import ArgumentParser
import Foundation

/// `greenmine schedule install`: writes and enables the systemd user timer.
struct ScheduleInstallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install", abstract: "安装定时同步 Install and enable the timer.",
        usage: HelpUsage.of("greenmine schedule install", "[--every <DURATION>]"))

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("间隔 Period between syncs: 15m, 1h.", valueName: "DURATION"))
    var every = "15m"

    func validate() throws {
        guard let period = SyncInterval.parse(every), period >= .seconds(60) else {
            throw ValidationError("--every needs a period of at least one minute such as 15m or 1h (间隔至少 1 分钟，如 15m、1h), not '\(every)'")
        }
    }

    func run() async throws {
        try await global.run { context in
            guard let period = SyncInterval.parse(every) else { return }
            let timer = SyncTimer(home: context.home, variables: context.environment.variables)
            let written = try timer.install(period: period, executable: SyncTimer.currentExecutable())
            context.say("已写入：\(written.service.path)", "Written: \(written.service.path)")
            context.say("已写入：\(written.timer.path)", "Written: \(written.timer.path)")
            switch timer.enable() {
            case .enabled:
                context.say("定时同步已启用：每 \(every) 同步一次（systemctl --user list-timers 可查看）。",
                            "Periodic sync enabled: every \(every) (see systemctl --user list-timers).")
            case .unavailable(let why):
                context.note("本机无法使用 systemd 用户定时器（\(why)）。可改用 cron（crontab -e 添加下面一行），或在终端运行 greenmine sync --every \(every)：",
                             "No systemd user timers here (\(why)). Use cron instead (add this line with crontab -e), or run greenmine sync --every \(every) in a terminal:")
                context.output.line(timer.cronLine(period: period, executable: SyncTimer.currentExecutable()))
            }
        }
    }
}
