import ArgumentParser
import Foundation
import GreenMineShared

/// `greenmine-server agencies add|list`: the third-party assessment agencies (第三方评估机构).
struct AgenciesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agencies", abstract: "Assessment agencies (reviewers get the list at their next sync).",
        subcommands: [AddAgency.self, ListAgencies.self])

    /// `agencies add NAME`.
    struct AddAgency: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add an agency; assessor accounts and assignments name it by its name or code.")
        @OptionGroup var dataOptions: DataOptions
        @Argument(help: "The agency's name, e.g. 河北绿源第三方评估中心.") var name: String
        @Option(help: "A stable code (letters, digits, - or _); default: the next AGnnnn.") var code: String?
        @Option(name: .customLong("province"),
                help: "A province-level division code it serves; repeat for several; none: every province.")
        var provinces: [String] = []

        func run() async throws {
            do {
                let agency = try await adminService(dataOptions).addAgency(name: name, code: code, provinces: provinces)
                print("added agency \(agency.code) \(agency.name) serving "
                      + (agency.provinces.isEmpty ? "every province" : agency.provinces.joined(separator: ",")))
            } catch let error as ServiceError {
                throw commandError(error)
            }
        }
    }

    /// `agencies list`.
    struct ListAgencies: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the agencies.")
        @OptionGroup var dataOptions: DataOptions
        @Flag(help: "Print the agencies as JSON.") var json = false

        func run() async throws {
            let agencies = try await dataOptions.services().registry.agencies()
            if json {
                print(String(decoding: try WireCoding.encode(AgenciesResponse(agencies: agencies)), as: UTF8.self))
                return
            }
            print(["code", "name", "provinces"].joined(separator: "\t"))
            for agency in agencies {
                print([agency.code, agency.name, agency.provinces.isEmpty ? "*" : agency.provinces.joined(separator: ",")]
                    .joined(separator: "\t"))
            }
        }
    }
}
