import ArgumentParser
import Foundation
import GreenMineShared

/// `greenmine downloads get N --out DIR|FILE`: fetches a published document, resumably, checked
/// against its SHA-256 (through `BlobDownload`, like `get`).
struct DownloadsGetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get", abstract: "取回资料 Fetch a download into a folder or file.",
        usage: HelpUsage.of("greenmine downloads get", "<NO.> --out <DIR|FILE> [--force]"),
        discussion: """
        With a folder as --out (an existing one, or any path ending in /, made when missing) the file \
        keeps its published name (made safe). A cut download is resumed by running the command again.
        --out 为文件夹（已有的，或以 / 结尾、不存在时自动创建）时使用资料的文件名；
        中断后再次运行即续传。
        """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("资料编号 The download's number (greenmine downloads).", valueName: "NO."))
    var number: Int

    @Option(name: .long, help: ArgumentHelp("保存到 The folder (or file).", valueName: "DIR|FILE"))
    var out: String

    @Flag(name: .long, help: "覆盖已有文件 Replace the file when it exists.")
    var force = false

    func run() async throws {
        try await global.run { context in
            let (workspace, session) = try context.workspace()
            let download = try workspace.store.read { try PortalCache.download($0, id: number) }
            let file = AttachmentRef(slot: "portal", sha256: download.sha256, size: download.size, mime: download.mime,
                                     name: download.name)
            var isFolder: ObjCBool = false
            var target = URL(fileURLWithPath: out)
            if out.hasSuffix("/") {
                // A folder asked for by its trailing slash: made when missing, as `get --all` does.
                try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
                target.appendPathComponent(AllAttachmentsDownload.fileNames([file])[0])
            } else if FileManager.default.fileExists(atPath: target.path, isDirectory: &isFolder), isFolder.boolValue {
                target.appendPathComponent(AllAttachmentsDownload.fileNames([file])[0])
            }
            let result = try await BlobDownload(context: context, session: session)
                .fetch(file, to: target, force: force, context: context)
            if context.json {
                return try context.emitJSON(GetResultJSON(file: file, path: target.path, source: result.source,
                                                          resumedFrom: result.resumedFrom))
            }
            let resumed = result.resumedFrom > 0
                ? context.text("，从 \(ByteSize.text(result.resumedFrom)) 处续传", ", resumed at \(ByteSize.text(result.resumedFrom))")
                : ""
            context.say("已将“\(AttachmentName.visible(download.title))”（\(ByteSize.text(download.size))，SHA-256 已校验）"
                        + "写入 \(target.path)\(resumed)。",
                        "Wrote “\(AttachmentName.visible(download.title))” (\(ByteSize.text(download.size)), SHA-256 checked) "
                        + "to \(target.path)\(resumed).")
        }
    }
}
