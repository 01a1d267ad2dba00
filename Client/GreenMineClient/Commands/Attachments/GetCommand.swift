import ArgumentParser
import Foundation
import GreenMineShared

/// `greenmine get ID NAME --out FILE`: writes one of a record's files to disk; `get ID --all --out DIR`
/// writes every one of them into a folder (issue 14).
struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get", abstract: "取回附件 Write one of a record's files to a file.",
        usage: HelpUsage.of("greenmine get", "<id> [<NAME|SHA256>] [--all] --out <FILE|DIR> [--force]"),
        discussion: """
        From the home's blob store when it holds the file, else from the server (a cut download is \
        resumed by running the command again). The file is checked against its SHA-256 before it \
        appears at --out. With --all every file of the record goes into the folder --out, one line \
        of progress per file; files already there whole are kept, so running it again resumes. \
        The attachment's own name is never used as a path (a safe version of it is).
        优先从本地附件库复制，否则从服务器下载（中断后再次运行可续传）；
        写入前校验 SHA-256。--all 把记录的全部附件写入文件夹 --out，
        已完整写入的文件不再下载，再次运行即续传。
        """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "编号或其前缀 The record's id or a unique prefix.")
    var id: String

    @Argument(help: ArgumentHelp("""
        附件名称或 SHA-256 前缀
        The file's name or a prefix of its SHA-256.
        """, valueName: "NAME|SHA256"))
    var file: String?

    @Flag(name: .long, help: "全部附件 Every file, into the folder --out.")
    var all = false

    @Option(name: .long, help: ArgumentHelp("保存到 The file (with --all: the folder).",
                                            valueName: "FILE|DIR"))
    var out: String

    @Flag(name: .long, help: "覆盖已有文件 Replace --out when it exists.")
    var force = false

    func run() async throws {
        try await global.run { context in
            let (workspace, session) = try context.workspace()
            if all {
                guard file == nil else {
                    throw ClientError(code: "usage", zh: "--all 与附件名称不能同时给出", en: "give either a file's name or --all, not both")
                }
                return try await AllAttachmentsDownload(context: context, workspace: workspace, session: session)
                    .run(id, folder: URL(fileURLWithPath: out), force: force)
            }
            guard let file else {
                throw ClientError(code: "usage", zh: "请给出附件名称或 SHA-256 前缀，或用 --all 取回全部附件",
                                  en: "give the file's name or a prefix of its SHA-256, or --all for every file")
            }
            let (_, ref) = try workspace.attachment(file, of: id)
            let download = try BlobDownload(context: context, session: session)
            let target = URL(fileURLWithPath: out)
            let result = try await download.fetch(ref, to: target, force: force, context: context)
            if context.json {
                return try context.emitJSON(GetResultJSON(file: ref, path: target.path, source: result.source,
                                                          resumedFrom: result.resumedFrom))
            }
            let name = AttachmentName.visible(ref.name)
            let from = result.source == .local ? context.text("本地附件库", "the local blob store")
                                               : context.text("服务器", "the server")
            let resumed = result.resumedFrom > 0
                ? context.text("，从 \(ByteSize.text(result.resumedFrom)) 处续传", ", resumed at \(ByteSize.text(result.resumedFrom))")
                : ""
            context.say("已将“\(name)”（\(ByteSize.text(ref.size))，SHA-256 已校验）从\(from)写入 \(target.path)\(resumed)。",
                        "Wrote “\(name)” (\(ByteSize.text(ref.size)), SHA-256 checked) from \(from) to \(target.path)\(resumed).")
        }
    }
}

/// `--json` answer of `get`.
struct GetResultJSON: Codable, Sendable {
    var file: AttachmentRef
    var path: String
    var source: DownloadSource
    var resumedFrom: Int64
}

extension BlobDownload {
    /// The download a command uses (`get`, `get --all`, `downloads get`): the home's blob store, the
    /// session's server, the environment's retry policy and chunk size.
    init(context: CommandContext, session: Session) throws {
        self.init(blobs: BlobStore(home: context.home), tus: TusClient(api: try context.api(session)),
                  retry: context.environment.retry, chunkSize: context.environment.uploadChunkSize)
    }

    /// `fetch`, each retry noted on stderr.
    func fetch(_ file: AttachmentRef, to target: URL, force: Bool, context: CommandContext) async throws
        -> (source: DownloadSource, resumedFrom: Int64) {
        try await fetch(file, to: target, force: force) { error, attempt, delay in
            context.note("\(error.clientError.message.zh)；第 \(attempt) 次重试…",
                         "\(error.clientError.message.en); retry \(attempt) in \(delay)…")
        }
    }
}
