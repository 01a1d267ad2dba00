import ArgumentParser
import Foundation

/// `greenmine schedule remove`: disables and deletes the timer.
struct ScheduleRemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "删除定时同步 Disable and delete the timer.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await global.run { context in
            let timer = SyncTimer(home: context.home, variables: context.environment.variables)
            if try timer.remove() {
                context.say("定时同步已删除。", "Periodic sync removed.")
            } else {
                context.say("定时同步未安装，无需删除。", "Periodic sync was not installed.")
            }
        }
    }
}
