import ArgumentParser
import GreenMineShared

/// `greenmine app list`: the applications in the store.
struct AppListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "新设申请列表 List the applications.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await global.run { try RecordActions(context: $0, kind: .application).list() }
    }
}
