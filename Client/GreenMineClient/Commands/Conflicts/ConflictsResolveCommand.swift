import ArgumentParser
import GreenMineShared

/// `greenmine conflicts resolve ID --mine | --theirs | --set PATH=VALUE…`.
struct ConflictsResolveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve", abstract: "处理冲突 Resolve a conflict (or all of a record's).",
        usage: HelpUsage.of("greenmine conflicts resolve", "<id> [--mine] [--theirs] [--set <PATH=VALUE> ...]"),
        discussion: """
        --mine queues your value again, --theirs keeps the server's value, --set queues the values \
        given (one for every conflicting field). The record must still be editable for --mine and --set.
        """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: """
        冲突或记录的编号（或其前缀）
        A conflict's or a record's id, or a unique prefix.
        """)
    var id: String

    @Flag(name: .long, help: "采用本机的值 Send my value again.")
    var mine = false

    @Flag(name: .long, help: "采用服务器的值 Keep the server's value.")
    var theirs = false

    @Option(name: .long, parsing: .upToNextOption,
            help: ArgumentHelp("采用新值 Send these values instead.", valueName: "PATH=VALUE"))
    var set: [String] = []

    func validate() throws {
        let chosen = [mine, theirs, !set.isEmpty].filter { $0 }.count
        guard chosen == 1 else {
            throw ValidationError("choose exactly one of --mine, --theirs, --set PATH=VALUE (请选择 --mine、--theirs 或 --set 其中之一)")
        }
    }

    func run() async throws {
        try await global.run { context in
            let (workspace, _) = try context.workspace()
            let choice: ConflictChoice
            if mine {
                choice = .mine
            } else if theirs {
                choice = .theirs
            } else {
                let views = try workspace.conflicts(id)
                guard let kind = views.first?.record?.kind else {
                    throw ClientError(code: "unknown_id", zh: "冲突所属的记录已不存在，只能选择 --theirs",
                                      en: "the record of this conflict no longer exists; only --theirs is possible")
                }
                var values: [String: JSONValue] = [:]
                for item in try FieldInput.values(set, kind: kind) { values[item.path] = item.value }
                choice = .set(values)
            }
            let resolved = try workspace.resolveConflicts(id, choice: choice)
            if context.json { return try context.emitJSON(resolved) }
            let queued = theirs ? "" : context.text("；新的修改将在下次同步时发送", "; the change is sent at the next sync")
            context.say("已处理 \(resolved.count) 个冲突\(queued)。", "Resolved \(resolved.count) conflict(s)\(queued).")
        }
    }
}
