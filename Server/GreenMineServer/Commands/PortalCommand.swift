import ArgumentParser
import Foundation
import GreenMineShared

/// `greenmine-server portal support|publish|list|withdraw`: what the clients' home page (首页) shows
/// besides records — the technical-support contact and the downloads (clients fetch them at each sync).
struct PortalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portal",
        abstract: "The home page's support contact and downloads (clients get them at their next sync).",
        subcommands: [Support.self, Publish.self, List.self, Withdraw.self])

    /// `--province CODE`: a province's item instead of the ministry's.
    struct Scope: ParsableArguments {
        @Option(help: "A division code in the province it is for (e.g. 130000); none: the ministry's, for everyone.")
        var province: String?
    }

    /// `portal support`.
    struct Support: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "support",
            abstract: "Set the technical-support contact (with no option: show every contact).")
        @OptionGroup var dataOptions: DataOptions
        @OptionGroup var scope: Scope
        @Option(help: "Who answers, e.g. 自然资源部信息中心.") var name: String?
        @Option(help: "Telephone number.") var phone: String?
        @Option(help: "Email address.") var email: String?
        @Option(help: "When they answer, e.g. 工作日 9:00-17:00.") var hours: String?

        func run() async throws {
            let portal = try await dataOptions.services().portal
            do {
                if [name, phone, email, hours].allSatisfy({ $0 == nil }) {
                    let contacts = try await portal.supportContacts()
                    if contacts.isEmpty { print("no support contact set") }
                    for contact in contacts { print(Self.line(contact)) }
                    return
                }
                let contact = try await portal.setSupport(province: scope.province, name: name, phone: phone,
                                                          email: email, hours: hours)
                print("set \(Self.line(contact))")
            } catch let error as ServiceError {
                throw commandError(error)
            }
        }

        static func line(_ contact: SupportContact) -> String {
            [contact.province ?? "ministry", contact.name ?? "-", contact.phone ?? "-", contact.email ?? "-",
             contact.hours ?? "-"].joined(separator: "\t")
        }
    }

    /// `portal publish FILE --title TITLE`.
    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "publish", abstract: "Publish a document (PDF, image or video) as a download.")
        @OptionGroup var dataOptions: DataOptions
        @OptionGroup var scope: Scope
        @Argument(help: "The file.") var file: String
        @Option(help: "Its title, e.g. 绿色矿山评价指标目录（2026年版）.") var title: String

        func run() async throws {
            do {
                let download = try await dataOptions.services().portal.publish(path: file, title: title,
                                                                               province: scope.province)
                print("published #\(download.id) \(download.title) (\(download.name), \(download.size) bytes, "
                      + "\(download.mime)) for \(download.province ?? "everyone")")
            } catch let error as ServiceError {
                throw commandError(error)
            }
        }
    }

    /// `portal list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list",
                                                        abstract: "List the downloads, withdrawn ones too.")
        @OptionGroup var dataOptions: DataOptions

        func run() async throws {
            let downloads = try await dataOptions.services().portal.allDownloads()
            print(["id", "for", "title", "name", "bytes", "published", "withdrawn"].joined(separator: "\t"))
            for (download, withdrawnAt) in downloads {
                print(["\(download.id)", download.province ?? "everyone", download.title, download.name,
                       "\(download.size)", WireCoding.formatDate(download.publishedAt),
                       withdrawnAt.map(WireCoding.formatDate) ?? "-"].joined(separator: "\t"))
            }
        }
    }

    /// `portal withdraw ID`.
    struct Withdraw: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "withdraw", abstract: "Withdraw a download (clients drop it at their next sync).")
        @OptionGroup var dataOptions: DataOptions
        @Argument(help: "The download's number (portal list).") var id: Int

        func run() async throws {
            do {
                try await dataOptions.services().portal.withdraw(id)
                print("withdrew #\(id)")
            } catch let error as ServiceError {
                throw commandError(error)
            }
        }
    }
}
