import ArgumentParser
import Foundation
import GreenMineShared

/// `greenmine sync`: sends queued changes, then fetches what changed on the server.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "同步 Upload attached files, send queued changes, then fetch the server's changes.",
        usage: HelpUsage.of("greenmine sync", "[--every <DURATION>]"),
        discussion: """
        First uploads the files queued attachments need (resumable: a cut upload continues where it \
        stopped, also after a restart; progress on stderr), then pushes the queued changes in order, \
        then pulls every page of changes. Network failures and \
        server errors (5xx) are retried with growing waits. Only one sync runs at a time on a home. \
        Exit status: 0 when everything went through; 2 when the sync finished but some changes were \
        refused or conflict (they are listed, and shown by status); 1 when the sync could not finish.
        With --every it runs again after each period (e.g. --every 15m) until interrupted.
        退出状态：0 全部成功；2 同步完成但有修改被拒绝或冲突；1 同步未能完成。
        """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("定时同步的间隔 Repeat after this period: 30s, 15m, 1h.",
                                            valueName: "DURATION"))
    var every: String?

    func validate() throws {
        if let every, SyncInterval.parse(every) == nil {
            throw ValidationError("--every needs a period such as 30s, 15m or 1h (间隔应形如 30s、15m、1h), not '\(every)'")
        }
    }

    func run() async throws {
        try await global.run { context in
            let (workspace, session) = try context.workspace()
            let api = try context.api(session)
            guard let period = every.flatMap(SyncInterval.parse) else {
                let status = try await SyncRun(context: context, store: workspace.store, api: api).once()
                if status != 0 { throw ExitCode(status == ExitCode.sessionLost ? 1 : status) }
                return
            }
            while true {
                let status = try await SyncRun(context: context, store: workspace.store, api: api).once()
                if status == ExitCode.sessionLost { throw ExitCode(1) }
                let next = context.environment.now().addingTimeInterval(TimeInterval(period.components.seconds))
                context.note("下次同步：\(context.time(next))", "Next sync at \(context.time(next))")
                do {
                    try await context.environment.sleep(period)
                } catch is CancellationError {
                    return
                }
            }
        }
    }
}

extension ExitCode {
    /// The status `SyncRun` returns when the session is gone and retrying is pointless.
    static let sessionLost: Int32 = 3
}

/// One sync with its progress and summary printed; returns the exit status.
struct SyncRun {
    var context: CommandContext
    var store: Store
    var api: APIClient

    func once() async throws -> Int32 {
        let lock = try SyncLock.acquire(home: context.home)
        defer { lock.release() }
        let environment = context.environment
        let engine = SyncEngine(store: store, api: api, retry: environment.retry, now: environment.now,
                                makeUUID: environment.makeUUID, blobs: BlobStore(home: context.home),
                                uploadChunkSize: Self.chunkSize(environment))
        var summary = SyncSummary()
        var failure: ClientError?
        let uploads = UploadProgressLine(context: context)
        do {
            try await engine.run(summary: &summary) { event in show(event, uploads: uploads) }
        } catch {
            failure = ErrorPresentation.clientError(error)
        }
        uploads.interrupt()
        if context.json {
            try context.emitJSON(summary)
        }
        if let failure {
            context.report(failure)
            context.note("同步未完成；已确认的部分已保存，下次同步时继续。",
                         "The sync did not finish; what was acknowledged is saved and the rest continues at the next sync.")
            let lost = ["unauthorized", "password_change_required"].contains(failure.code)
            return lost ? ExitCode.sessionLost : 1
        }
        let problems = summary.problems
        if problems.isEmpty {
            if !context.json { context.say("同步完成。", "Sync complete.") }
            return 0
        }
        context.note("同步完成，但有 \(problems.count) 项修改没有按原样被接受：",
                     "Sync complete, but \(problems.count) change(s) did not go through as sent:")
        for outcome in problems { context.output.errorLine("  " + describe(outcome)) }
        return 2
    }

    /// Bytes per upload `PATCH`: `GREENMINE_UPLOAD_CHUNK` (bytes, 64 KiB to 64 MiB) when set, for
    /// tuning on a particular link; else the environment's default (8 MiB).
    static func chunkSize(_ environment: ClientEnvironment) -> Int {
        guard let text = environment.variables["GREENMINE_UPLOAD_CHUNK"], let value = Int(text),
              (64 << 10)...(64 << 20) ~= value else { return environment.uploadChunkSize }
        return value
    }

    private func show(_ event: SyncEvent, uploads: UploadProgressLine) {
        if case .uploading(let progress) = event {
            // Progress goes to standard error, so it shows with --json too.
            return uploads.show(progress)
        }
        uploads.interrupt()
        guard !context.json else { return }
        switch event {
        case .pushing(let count, let remaining):
            context.say("推送 \(count) 项修改（共 \(remaining) 项待同步）…", "Pushing \(count) change(s) (\(remaining) queued)…")
        case .result(let outcome):
            context.output.line("  " + describe(outcome))
        case .resending(let after):
            context.note("服务器只收到第 \(after) 号修改，从第 \(after + 1) 号重新发送…",
                         "The server has changes up to #\(after); resending from #\(after + 1)…")
        case .retrying(let reason, let attempt, let delay):
            let seconds = String(format: "%.1f", Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18)
            context.note("\(reason.zh)；\(seconds) 秒后第 \(attempt) 次重试…",
                         "\(reason.en); retry \(attempt) in \(seconds) s…")
        case .pulled(let records, let gone):
            context.say("拉取：\(records) 条记录\(gone > 0 ? "，\(gone) 条不再可见" : "")",
                        "Pulled \(records) record(s)\(gone > 0 ? ", \(gone) no longer visible" : "")")
        case .uploadSkipped(let name, _):
            let shown = AttachmentName.visible(name)
            context.note("服务器已有“\(shown)”，无需上传。", "The server already has “\(shown)”: nothing to upload.")
        case .uploading:
            break
        case .uploadFailed(_, _, let error):
            context.note("✗ 上传失败：[\(error.code)] \(error.messageZh ?? error.message)",
                         "✗ upload failed: [\(error.code)] \(error.message)")
        case .requeued(let seq, let newSeq, let name):
            let shown = AttachmentName.visible(name)
            context.note("#\(seq) 添加附件“\(shown)”：服务器尚未收到文件，已改为第 \(newSeq) 号，上传后重试。",
                         "#\(seq) attach “\(shown)”: the server does not have the file yet; queued again as #\(newSeq), retried after the upload.")
        }
    }

    private func describe(_ outcome: MutationOutcome) -> String {
        let language = context.language
        let action: String
        switch outcome.op {
        case .transition: action = outcome.transition?.label.text(language) ?? "transition"
        case .create: action = context.text("新建", "create")
        case .patch: action = context.text("修改", "change")
        case .delete: action = context.text("删除", "delete")
        case .attach: action = context.text("添加附件", "attach")
        case .detach: action = context.text("移除附件", "detach")
        }
        let what = "#\(outcome.seq) \(action) \(outcome.kind.label.text(language)) \(RecordPresenter.shortId(outcome.recordId))"
        switch outcome.status {
        case .applied:
            return what + context.text(" ✓ 已接受（版本 \(outcome.version ?? 0)）", " ✓ applied (version \(outcome.version ?? 0))")
        case .merged:
            return what + context.text(" ✓ 已合并（版本 \(outcome.version ?? 0)）", " ✓ merged (version \(outcome.version ?? 0))")
        case .conflict:
            return what + context.text(" ⚠ 冲突：\(outcome.conflictPaths.joined(separator: "、"))（greenmine conflicts）",
                                       " ⚠ conflict: \(outcome.conflictPaths.joined(separator: ", ")) (greenmine conflicts)")
        case .rejected:
            let reason = outcome.error.map { "[\($0.code)] \($0.text(language))" } ?? ""
            return what + context.text(" ✗ 被拒绝：\(reason)", " ✗ refused: \(reason)")
        }
    }
}
