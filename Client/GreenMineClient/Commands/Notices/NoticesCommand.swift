import ArgumentParser

/// `greenmine notices`: 通知公告, with read and unread kept on this device.
struct NoticesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notices", abstract: "通知公告 Notices from the departments.",
        discussion: """
        Which notices were read is kept on this device. Provinces and the ministry post with \
        `greenmine notice post`.
        已读、未读状态保存在本机。省级和部级用 greenmine notice post 发布。
        """,
        subcommands: [NoticesListCommand.self, NoticesShowCommand.self, NoticesReadCommand.self, NoticesPostCommand.self],
        defaultSubcommand: NoticesListCommand.self, aliases: ["notice"])
}
