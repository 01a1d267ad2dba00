import ArgumentParser
import Foundation
import GreenMineShared

/// `greenmine pre attach ID FILE…`: attaches images to a pre-application offline.
struct PreAttachCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attach", abstract: "添加预申报材料 Attach images to a pre-application.",
        usage: HelpUsage.of("greenmine pre attach", "<id> [--name <NAME>] <FILE> ..."),
        discussion: """
        Images only (JPEG, PNG, WebP, HEIC), at most 10 files of 10 MB each; the type is judged by the \
        file's content, never its name. Each file is copied into the home's blob store, so moving the \
        original changes nothing; the next `greenmine sync` uploads it. All files or none are attached.
        仅限图片，最多 10 个、每个不超过 10 MB；按文件内容判断类型。文件会复制到
        本地附件库，下次同步时上传。全部添加成功或全部不添加。
        """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "编号或其前缀 The id or a unique prefix.")
    var id: String

    @OptionGroup var files: AttachmentFiles

    func run() async throws {
        try await global.run { context in
            let (workspace, _) = try context.workspace()
            let result = try workspace.attach(files.sources, to: id, kinds: [.preApplication],
                                              slot: .named("pre.image"), blobs: BlobStore(home: context.home))
            try AttachmentReport(context: context).attached(result.files, to: result.record)
        }
    }
}
