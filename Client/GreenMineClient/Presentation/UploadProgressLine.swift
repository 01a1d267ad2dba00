import Foundation

/// The upload progress line on standard error: bytes, share, rate and time left. On a terminal one
/// line is rewritten in place; otherwise (a log, a pipe) a plain line is written at most once a
/// second per file, and always at the start and the end.
final class UploadProgressLine {
    private let context: CommandContext
    private let terminal: Bool
    private var lastLine: ContinuousClock.Instant?
    private var lastFile: String?
    private var open = false

    init(context: CommandContext) {
        self.context = context
        self.terminal = context.output.errorIsTerminal
    }

    /// Shows one step of an upload.
    func show(_ progress: UploadProgress) {
        let now = ContinuousClock.now
        let first = lastFile != progress.sha256
        if !terminal, !first, !progress.finished, let last = lastLine, now - last < .seconds(1) { return }
        lastLine = now
        lastFile = progress.sha256
        let line = text(progress)
        if terminal {
            context.output.writeError("\r\u{1B}[2K" + line + (progress.finished ? "\n" : ""))
            open = !progress.finished
        } else {
            context.output.errorLine(line)
        }
    }

    /// Ends a line left open on a terminal before other output.
    func interrupt() {
        if terminal, open {
            context.output.writeError("\n")
            open = false
        }
    }

    /// The line for one step.
    func text(_ progress: UploadProgress) -> String {
        let name = DisplayWidth.truncate(AttachmentName.visible(progress.name), to: 32)
        let share = progress.total > 0 ? Int((Double(progress.sent) * 100 / Double(progress.total)).rounded(.down)) : 100
        let amounts = "\(ByteSize.text(progress.sent)) / \(ByteSize.text(progress.total)) (\(share)%)"
        let rate = progress.bytesPerSecond > 0 ? "  " + ByteSize.rate(progress.bytesPerSecond) : ""
        let resumed = progress.resumedFrom > 0 && progress.sent == progress.resumedFrom
            ? context.text("（从 \(ByteSize.text(progress.resumedFrom)) 处继续）", " (resuming at \(ByteSize.text(progress.resumedFrom)))")
            : ""
        if progress.finished {
            return context.text("上传 \(name)  \(amounts)\(rate)  完成 ✓", "Upload \(name)  \(amounts)\(rate)  done ✓")
        }
        let left = progress.secondsLeft.map { context.text("  剩余 \(ByteSize.duration($0))", "  \(ByteSize.duration($0)) left") } ?? ""
        return context.text("上传 \(name)  \(amounts)\(rate)\(left)\(resumed)", "Upload \(name)  \(amounts)\(rate)\(left)\(resumed)")
    }
}
