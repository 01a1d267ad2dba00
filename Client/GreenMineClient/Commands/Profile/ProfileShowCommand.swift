import ArgumentParser
import GreenMineShared

/// `greenmine profile show`: the profile's fields.
struct ProfileShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "查看个人资料 Show your profile.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await global.run { context in
            let (workspace, _) = try context.workspace(.read)
            guard let profile = try workspace.profile() else {
                if context.json { return try context.emitJSON(Optional<Record>.none) }
                return context.say("本机还没有个人资料：运行 greenmine sync 取得，或用 greenmine profile set 填写。",
                                   "No profile here yet: run greenmine sync to fetch it, or fill it with greenmine profile set.")
            }
            if context.json { return try context.emitJSON(profile.working) }
            context.output.write(RecordPresenter(context: context).fields(profile.working))
        }
    }
}
