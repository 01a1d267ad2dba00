import ArgumentParser
import Foundation
import GreenMineShared

/// `greenmine assess report APP_ID FILE…`: attaches the assessment report (PDF).
struct AssessReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "上传评估报告 Attach the assessment report (PDF).",
        usage: HelpUsage.of("greenmine assess report", "<id> [--name <NAME>] <FILE> ..."),
        discussion: """
        At most 3 PDF files of up to 50 MB each; the type is judged by the file's content, never its \
        name. Each file is copied into the home's blob store and uploaded at the next `greenmine sync`, before the push. Allowed while \
        the application is being assessed, for your agency's assessors.
        最多 3 个 PDF 文件，每个不超过 50 MB，按文件内容判断类型；文件复制到本地附件库，
        下次同步时上传。仅限本机构的评估人员在“评估中”时上传。
        """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "新设申请编号或其前缀 The application's id or a prefix.")
    var id: String

    @OptionGroup var files: AttachmentFiles

    func run() async throws {
        try await global.run { context in
            let (workspace, _) = try context.workspace()
            let result = try workspace.attachReport(id, sources: files.sources, blobs: BlobStore(home: context.home))
            try AttachmentReport(context: context).attached(result.files, to: result.record)
        }
    }
}
