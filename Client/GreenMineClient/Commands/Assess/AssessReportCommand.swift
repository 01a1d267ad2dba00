import ArgumentParser
import Foundation
import GreenMineShared

/// `greenmine assess report APP_ID FILE…`: attaches the assessment report (PDF).
struct AssessReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "上传评估报告 Attach the assessment report (PDF, at most 3 files of 50 MB).",
        discussion: """
        The file must be a PDF by its content. It is copied into the home's blob store and uploaded \
        at the next `greenmine sync`, before the push. Allowed while the application is being assessed.
        须为 PDF（按文件内容判断），复制到本地附件库，下次同步时上传。仅在评估中可上传。
        """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "新设申请编号或其前缀 The application's id or a unique prefix.")
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
