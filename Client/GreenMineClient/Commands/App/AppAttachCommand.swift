import ArgumentParser
import Foundation
import GreenMineShared

/// `greenmine app attach ID --slot pdf|image|video FILE…`: attaches files to an application offline.
struct AppAttachCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attach", abstract: "添加申请材料 Attach PDFs, images or videos to an application.",
        usage: HelpUsage.of("greenmine app attach", "<id> [--slot <pdf|image|video>] [--name <NAME>] <FILE> ..."),
        discussion: """
        Slots: pdf (at most 10 files of 10 MB), image (10 files of 10 MB), video (5 files of 100 MB). \
        Without --slot each file goes to the slot its content calls for. The type is judged by the \
        file's content, never its name. Files are copied into the home's blob store and uploaded at \
        the next `greenmine sync`. All files or none are attached.
        材料类别：pdf（最多 10 个，每个不超过 10 MB）、image（图片，10 个，10 MB）、
        video（视频，5 个，100 MB）；未给出 --slot 时按文件内容归类，类型按文件内容
        判断。文件复制到本地附件库，下次同步时上传；全部添加成功或全部不添加。
        """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "编号或其前缀 The id or a unique prefix.")
    var id: String

    @Option(name: .long, help: ArgumentHelp("材料类别 The slot: pdf, image or video (default: by content).",
                                            valueName: "pdf|image|video"))
    var slot: String?

    @OptionGroup var files: AttachmentFiles

    func validate() throws {
        if let slot, !["pdf", "image", "video"].contains(slot.lowercased()) {
            throw ValidationError("--slot must be pdf, image or video (--slot 只能是 pdf、image 或 video), not '\(slot)'")
        }
    }

    func run() async throws {
        try await global.run { context in
            let (workspace, _) = try context.workspace()
            let choice: SlotChoice = slot.map { .named("app.\($0.lowercased())") } ?? .byContent(.application)
            let result = try workspace.attach(files.sources, to: id, kinds: [.application], slot: choice,
                                              blobs: BlobStore(home: context.home))
            try AttachmentReport(context: context).attached(result.files, to: result.record)
        }
    }
}
