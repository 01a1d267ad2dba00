import ArgumentParser
import Foundation
import GreenMineShared

/// `greenmine sync`: sends queued changes, then fetches what changed on the server.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "同步 Upload attached files, send queued changes, then fetch the server's changes.",
        usage: HelpUsage.of("greenmine sync", "[--every <DURATION>]"),
        discussion: """
        Small things first: the changes that do not wait for a file (form data, submits, other \
        records) are pushed and the server's changes pulled before large files upload, so a slow \
        video holds back only its own attachment. Uploads are resumable and sized to the link (a \
        cut upload continues where it stopped, also after a restart; progress with rate and time \
        left on stderr). When the link drops after the server has answered, the sync waits it out \
        (up to 90 s) and continues. Only one sync runs at a time on a home. Each run adds a line to \
        sync.log in the home, which status summarises.
        Exit status: 0 when everything went through; 2 when it finished but some changes were \
        refused or conflict (listed, and shown by status); 3 when the link or the server went away \
        (incomplete: what was acknowledged is kept, the next sync continues); 1 when it stopped on \
        something you must act on (log in again, …).
        With --every it runs again after each period (e.g. --every 15m) until interrupted; \
        `greenmine schedule install` runs it from a systemd user timer instead.
        退出状态：0 全部成功；2 同步完成但有修改被拒绝或冲突；
        3 网络或服务器中断，未完成部分下次同步继续；1 需要处理的错误（如重新登录）。
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
                let outcome = try await SyncRun(context: context, store: workspace.store, api: api).once()
                if outcome.exitStatus != 0 { throw ExitCode(outcome.exitStatus) }
                return
            }
            while true {
                let outcome = try await SyncRun(context: context, store: workspace.store, api: api).once()
                if outcome == .sessionLost { throw ExitCode(1) }
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

/// How one sync ended, and the exit status that says so.
enum SyncOutcome: Equatable {
    case complete
    case refused
    case incomplete
    case failed
    /// Failed because the session is gone: retrying is pointless until the user logs in.
    case sessionLost
    /// Another sync of this home was running: nothing was done (incomplete for the exit status).
    case busy

    var exitStatus: Int32 {
        switch self {
        case .complete: 0
        case .refused: 2
        case .incomplete, .busy: 3
        case .failed, .sessionLost: 1
        }
    }

    var logged: SyncLog.Outcome {
        switch self {
        case .complete: .complete
        case .refused: .refused
        case .incomplete, .busy: .incomplete
        case .failed, .sessionLost: .failed
        }
    }
}

/// One sync with its progress and summary printed, and its line in `sync.log`.
struct SyncRun {
    var context: CommandContext
    var store: Store
    var api: APIClient

    func once() async throws -> SyncOutcome {
        let lock: SyncLock
        do {
            lock = try SyncLock.acquire(home: context.home)
        } catch let error as ClientError where error.code == "sync_running" {
            // Another run (the timer, a manual sync) is at it: this one has nothing to add, and
            // nothing failed. It leaves no line in sync.log; the other run does.
            context.note(error.message.zh, error.message.en)
            return .busy
        }
        defer { lock.release() }
        let environment = context.environment
        let patience = Self.patience(environment)
        let engine = SyncEngine(store: store, api: api, retry: environment.retry,
                                patience: SyncRetry.patience(patience, base: environment.retry), patienceLimit: patience,
                                now: environment.now, makeUUID: environment.makeUUID,
                                blobs: BlobStore(home: context.home), uploadChunkSize: Self.chunkSize(environment))
        var summary = SyncSummary()
        var failure: (error: ClientError, transient: Bool)?
        let uploads = UploadProgressLine(context: context)
        do {
            try await engine.run(summary: &summary) { event in show(event, uploads: uploads) }
        } catch {
            failure = (ErrorPresentation.clientError(error), Self.isTransient(error))
        }
        uploads.interrupt()
        if context.json {
            try context.emitJSON(summary)
        }
        let outcome: SyncOutcome
        if let failure {
            context.report(failure.error)
            if failure.transient {
                outcome = .incomplete
                let said = incomplete(failure.error, engine.tally)
                context.note(said.zh, said.en)
            } else {
                let lost = ["unauthorized", "password_change_required"].contains(failure.error.code)
                outcome = lost ? .sessionLost : .failed
                context.note("同步未完成；已确认的部分已保存。", "The sync did not finish; what was acknowledged is saved.")
            }
        } else if summary.problems.isEmpty {
            outcome = .complete
            if !context.json { context.say("同步完成。", "Sync complete.") }
        } else {
            outcome = .refused
            let problems = summary.problems
            context.note("同步完成，但有 \(problems.count) 项修改没有按原样被接受：",
                         "Sync complete, but \(problems.count) change(s) did not go through as sent:")
            for outcome in problems { context.output.errorLine("  " + describe(outcome)) }
        }
        let totals = engine.tally.totals
        SyncLog(home: context.home).append(SyncLog.Entry(
            at: environment.now(), outcome: outcome.logged, pushed: summary.outcomes.count,
            pulled: summary.pulledRecords, uploadedBytes: summary.uploadedBytes, filesOnServer: totals.onServer,
            filesTotal: totals.total, unfinished: engine.tally.largestUnfinished,
            error: failure.map { APIErrorDetail(code: $0.error.code, message: $0.error.message.en, messageZh: $0.error.message.zh) }))
        return outcome
    }

    /// The one line said when the link or the server went away: how much of the files is on the server.
    func incomplete(_ error: ClientError, _ tally: UploadTally) -> (zh: String, en: String) {
        let lost = error.code == "unreachable"
        let head = lost ? (zh: "连接中断", en: "Link lost") : (zh: "同步未完成", en: "The sync did not finish")
        let (onServer, total) = tally.totals
        guard total > 0, onServer < total else {
            return ("\(head.zh)；服务器已确认的部分已保存，下次同步时继续。",
                    "\(head.en); what the server acknowledged is saved, and the next sync continues.")
        }
        let held = ByteSize.text(onServer), all = ByteSize.text(total)
        return ("\(head.zh)；附件 \(all) 中已有 \(held) 保存在服务器上，下次同步时继续。",
                "\(head.en); \(held) of \(all) of attachments are on the server; the next sync continues.")
    }

    /// True when the sync stopped because the link or the server went away, not on a refusal.
    static func isTransient(_ error: any Error) -> Bool {
        if let error = error as? APIError { return error.isTransient || error.code == "too_many_uploads" }
        if let error = error as? ClientError { return error.code == "blob_missing" }
        return error is URLError
    }

    /// How long a sync waits out an outage: `GREENMINE_LINK_PATIENCE` (seconds, 1 to 3,600) when set,
    /// else the environment's (90 s).
    static func patience(_ environment: ClientEnvironment) -> Duration {
        guard let text = environment.variables["GREENMINE_LINK_PATIENCE"], let value = Int(text),
              (1...3600) ~= value else { return environment.linkPatience }
        return .seconds(value)
    }

    /// The largest upload `PATCH` (requests are sized to the measured link below it):
    /// `GREENMINE_UPLOAD_CHUNK` (bytes, 64 KiB to 64 MiB) when set; else the environment's (8 MiB).
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
        case .deferred(let count):
            context.note("\(count) 项添加附件的修改等待文件上传，其余修改先行同步。",
                         "\(count) attach change(s) wait for their files; everything else goes first.")
        case .pushing(let count, let remaining):
            context.say("推送 \(count) 项修改（共 \(remaining) 项待同步）…", "Pushing \(count) change(s) (\(remaining) queued)…")
        case .result(let outcome):
            context.output.line("  " + describe(outcome))
        case .resending(let after):
            context.note("服务器只收到第 \(after) 号修改，从第 \(after + 1) 号重新发送…",
                         "The server has changes up to #\(after); resending from #\(after + 1)…")
        case .retrying(let reason, let attempt, let delay):
            let seconds = String(format: "%.1f", delay.inSeconds)
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
