import ArgumentParser
import Foundation
import GreenMineShared

/// `greenmine-server seed-demo`: the demonstration data set, passwords printed once.
struct SeedDemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed-demo",
        abstract: "Seed demonstration data (one province, two counties, two enterprises, every role).")
    @OptionGroup var dataOptions: DataOptions
    @Flag(help: "Print the accounts as JSON.") var json = false

    func run() async throws {
        let services = try await dataOptions.services()
        do {
            let accounts = try await DemoData.seed(AdminService(services: services), services: services)
            if json {
                print(String(decoding: try WireCoding.encode(accounts), as: UTF8.self))
            } else {
                print("demo accounts (passwords are shown only now):")
                for account in accounts {
                    print("  \(account.username)\t\(account.role.rawValue)\t\(account.password)\t\(account.note)")
                }
            }
        } catch let error as ServiceError {
            throw commandError(error)
        }
    }
}
