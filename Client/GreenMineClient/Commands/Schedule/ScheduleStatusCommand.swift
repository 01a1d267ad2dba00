import ArgumentParser
import Foundation

/// `greenmine schedule status`: whether the timer is installed and active, and the last sync.
struct ScheduleStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "定时同步状态 Is the timer on; the last sync.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await global.run { context in
            let timer = SyncTimer(home: context.home, variables: context.environment.variables)
            if let installed = timer.installedPeriod() {
                context.say("定时同步：已安装，间隔 \(installed)（\(timer.timerURL.path)）",
                            "Periodic sync: installed, every \(installed) (\(timer.timerURL.path))")
                context.say("systemd：\(timer.activeState())", "systemd: \(timer.activeState())")
            } else {
                context.say("定时同步：未安装（greenmine schedule install）",
                            "Periodic sync: not installed (greenmine schedule install)")
            }
            if let run = SyncLog(home: context.home).last() {
                let line = SyncLogSummary.line(run, now: context.environment.now())
                context.say(line.zh, line.en)
            }
        }
    }
}
