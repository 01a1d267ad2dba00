import ArgumentParser

/// `greenmine notices`: 通知公告, with read and unread kept on this device.
struct NoticesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notices", abstract: "通知公告 Notices from the departments (read/unread kept on this device).",
        subcommands: [NoticesListCommand.self, NoticesShowCommand.self, NoticesReadCommand.self],
        defaultSubcommand: NoticesListCommand.self)
}
