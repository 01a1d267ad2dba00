import ArgumentParser

/// `greenmine downloads`: 资料下载, the documents the ministry or the province publishes (issue 14).
struct DownloadsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "downloads", abstract: "资料下载 Documents the ministry or your province publishes.",
        discussion: """
        The list comes with each sync and is shown offline as last synced; a file is fetched from \
        the server when asked for.
        列表随每次同步更新，离线时显示上次同步的内容；文件在取回时从服务器下载。
        """,
        subcommands: [DownloadsListCommand.self, DownloadsGetCommand.self],
        defaultSubcommand: DownloadsListCommand.self)
}
