import ArgumentParser
import GreenMineShared

/// `greenmine conflicts show ID`: one conflict, or all of one record's.
struct ConflictsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "查看冲突 Show a conflict or a record's conflicts.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: """
        冲突或记录的编号（或其前缀）
        A conflict's or a record's id, or a unique prefix.
        """)
    var id: String

    func run() async throws {
        try await global.run { context in
            let (workspace, _) = try context.workspace(.read)
            let views = try workspace.conflicts(id)
            if context.json { return try context.emitJSON(views.map(\.conflict)) }
            context.output.write(ConflictPresenter(context: context).table(views))
            let short = RecordPresenter.shortId(views[0].conflict.id)
            context.say("处理：greenmine conflicts resolve \(short) --mine | --theirs | --set 字段=值",
                        "Resolve: greenmine conflicts resolve \(short) --mine | --theirs | --set PATH=VALUE")
        }
    }
}
