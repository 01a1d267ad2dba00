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
                return context.say("还没有个人资料。直接填写即可（无需先同步），例如：greenmine profile set profile.name=张三 "
                                   + "profile.mobile=13812345678 profile.email=zhang@example.com",
                                   "No profile yet. Fill it in (no sync needed first), e.g.: greenmine profile set "
                                   + "profile.name=张三 profile.mobile=13812345678 profile.email=zhang@example.com")
            }
            if context.json { return try context.emitJSON(profile.working) }
            context.output.write(RecordPresenter(context: context).fields(profile.working))
        }
    }
}
