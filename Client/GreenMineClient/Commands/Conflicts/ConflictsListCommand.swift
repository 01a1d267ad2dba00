import ArgumentParser
import GreenMineShared

/// `greenmine conflicts list`: every open conflict.
struct ConflictsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "冲突列表 List open conflicts.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await global.run { context in
            let (workspace, _) = try context.workspace(.read)
            let views = try workspace.openConflicts()
            if context.json { return try context.emitJSON(views.map(\.conflict)) }
            guard !views.isEmpty else { return context.say("没有未处理的冲突。", "No open conflicts.") }
            context.output.write(ConflictPresenter(context: context).table(views))
        }
    }
}
