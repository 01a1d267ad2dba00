import ArgumentParser

/// `greenmine schedule`: periodic sync from a systemd user timer.
struct ScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule", abstract: "定时同步 Sync periodically from a systemd user timer.",
        discussion: """
        install writes a systemd user service and timer that run `greenmine sync` for this home \\
        (default every 15 minutes) and enables the timer; status says whether it is installed and \\
        how the last sync ended; remove disables and deletes it. Where systemd is absent the files \\
        are still written and the command says what to run instead (cron, or sync --every). Runs \\
        never overlap: sync holds a lock on the home.
        install 写入并启用 systemd 用户定时器（默认每 15 分钟同步一次）；
        status 查看状态；remove 删除。
        """,
        subcommands: [ScheduleInstallCommand.self, ScheduleStatusCommand.self, ScheduleRemoveCommand.self],
        defaultSubcommand: ScheduleStatusCommand.self)
}
