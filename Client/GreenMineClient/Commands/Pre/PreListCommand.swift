import ArgumentParser
import GreenMineShared

/// `greenmine pre list`: the pre-applications in the store.
struct PreListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "预申报列表 List the pre-applications.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await global.run { try RecordActions(context: $0, kind: .preApplication).list() }
    }
}
