import ArgumentParser
import GreenMineShared

/// `greenmine downloads list`: the downloads and the support contact, as last synced.
struct DownloadsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "列出资料 List the downloads as last synced.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await global.run { context in
            let store = try context.openStore(.read)
            let cached = try store.read { try PortalCache.load($0) }
            if context.json { return try context.emitJSON(cached?.portal) }
            let presenter = PortalPresenter(context: context)
            guard let (portal, fetchedAt) = cached else {
                return context.output.line(presenter.supportLine(nil))
            }
            if portal.downloads.isEmpty {
                context.say("没有可下载的资料（同步于 \(context.time(fetchedAt))）。",
                            "No downloads (as synced at \(context.time(fetchedAt))).")
            } else {
                context.say("资料下载（同步于 \(context.time(fetchedAt))）：", "Downloads (as synced at \(context.time(fetchedAt))):")
                presenter.downloadLines(portal.downloads).forEach { context.output.line($0) }
                context.say("取回：greenmine downloads get 编号 --out 文件夹", "Fetch one: greenmine downloads get NO. --out DIR")
            }
            context.output.line(presenter.supportLine(portal))
        }
    }
}
