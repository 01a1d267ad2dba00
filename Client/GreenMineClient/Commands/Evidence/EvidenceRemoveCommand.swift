import ArgumentParser
import GreenMineShared

/// `greenmine evidence remove ID`: removes evidence while it may still be changed (issue 14).
struct EvidenceRemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "删除佐证材料 Remove evidence while it may be changed.",
        usage: HelpUsage.of("greenmine evidence remove", "<id>"))

    @OptionGroup var global: GlobalOptions

    @Argument(help: "佐证材料编号或其前缀 The evidence's id or a prefix.")
    var id: String

    func run() async throws {
        try await global.run { try RecordActions(context: $0, kind: .evidence).delete(id) }
    }
}
