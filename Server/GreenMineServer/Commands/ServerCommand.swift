import ArgumentParser
import GreenMineShared

/// The `greenmine-server` command: serves the directory and administers its data.
public struct ServerCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "greenmine-server",
        abstract: "全国绿色矿山名录 服务器 — GreenMine server: versioned records, review workflow, certificates.",
        version: ProductVersion.current,
        subcommands: [ServeCommand.self, UsersCommand.self, OrgsCommand.self, LicensesCommand.self,
                      CatalogueCommand.self, AgenciesCommand.self, PortalCommand.self, SeedDemoCommand.self,
                      DbCommand.self]
    )

    public init() {}
}
