import ArgumentParser
import Foundation
import GreenMineShared

/// Opens the data directory and builds the admin service.
func adminService(_ options: DataOptions) async throws -> AdminService {
    AdminService(services: try await options.services())
}

/// A refusal shown on the command line: code, English and Chinese message, non-zero exit.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
}

/// Turns a service refusal into a command-line error.
func commandError(_ error: ServiceError) -> CommandFailure {
    CommandFailure(description: "\(error.detail.code): \(error.detail.message)"
                   + (error.detail.messageZh.map { "\n\($0)" } ?? ""))
}

/// `greenmine-server users …`.
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "Manage accounts.",
        subcommands: [AddUser.self, ListUsers.self, ResetPassword.self])

    /// `users add`.
    struct AddUser: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add an account.")
        @OptionGroup var dataOptions: DataOptions
        @Option var username: String
        @Option(help: "enterprise, county, city, province, assessor or ministry.") var role: String
        @Option(help: "Credit code of the enterprise's organisation.") var org: String?
        @Option(help: "Division code of a reviewer.") var region: String?
        @Option(help: "Assessment agency of an assessor.") var agency: String?
        @Flag(help: "Read the password from standard input.") var passwordStdin = false

        func validate() throws {
            guard Role(rawValue: role) != nil else {
                throw ValidationError("--role must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard passwordStdin else { throw ValidationError("give the password with --password-stdin") }
        }

        func run() async throws {
            guard let role = Role(rawValue: role) else { return }
            let password = try readSecretLine()
            do {
                let user = try await adminService(dataOptions).addUser(
                    NewUser(username: username, role: role, orgId: org, region: region, agency: agency),
                    password: password)
                print("added \(user.username) (\(user.role.rawValue)) id \(user.id)")
            } catch let error as ServiceError {
                throw commandError(error)
            }
        }
    }

    /// `users list`.
    struct ListUsers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List accounts.")
        @OptionGroup var dataOptions: DataOptions

        func run() async throws {
            let users = try await dataOptions.services().accounts.users()
            print(["username", "role", "org", "region", "agency", "must-change", "id"].joined(separator: "\t"))
            for user in users {
                print([user.username, user.role.rawValue, user.orgId ?? "-", user.region ?? "-", user.agency ?? "-",
                       user.mustChangePassword ? "yes" : "no", user.id].joined(separator: "\t"))
            }
        }
    }

    /// `users reset-password`.
    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-password",
            abstract: "Reset a password to a generated initial one that must be changed at the next login.")
        @OptionGroup var dataOptions: DataOptions
        @Option var username: String

        func run() async throws {
            let services = try await dataOptions.services()
            guard let (user, _) = try await services.accounts.credentials(username: username) else {
                throw ValidationError("no user \(username)")
            }
            let password = try await services.auth.resetPassword(userId: user.id)
            print("initial password for \(user.username) (shown once; must be changed at next login): \(password)")
        }
    }
}

/// `greenmine-server orgs add`.
struct OrgsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "orgs", abstract: "Manage organisations.",
                                                    subcommands: [AddOrg.self])

    /// `orgs add`.
    struct AddOrg: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add an enterprise.")
        @OptionGroup var dataOptions: DataOptions
        @Option var creditCode: String
        @Option var name: String
        @Option var region: String

        func run() async throws {
            do {
                try await adminService(dataOptions).addOrganisation(
                    Organisation(creditCode: creditCode, name: name, region: region))
                print("added \(name) (\(creditCode))")
            } catch let error as ServiceError {
                throw commandError(error)
            }
        }
    }
}

/// `greenmine-server licenses import FILE.csv`.
struct LicensesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "licenses", abstract: "The licence registry.",
                                                    subcommands: [Import.self])

    /// `licenses import`.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import licences from CSV; bad rows are reported by line (exit status 2), good rows kept.")
        @OptionGroup var dataOptions: DataOptions
        @Argument var file: String

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8)
            else { throw ValidationError("cannot read \(file) as UTF-8 text") }
            let report = try await adminService(dataOptions).importLicences(csv: text)
            print("imported \(report.licences.count) licence(s)")
            for error in report.errors {
                FileHandle.standardError.write(Data("line \(error.line): \(error.message.en) / \(error.message.zh)\n".utf8))
            }
            if !report.errors.isEmpty { throw ExitCode(2) }
        }
    }
}

/// `greenmine-server catalogue import FILE.json`.
struct CatalogueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "catalogue", abstract: "Indicator catalogues.",
                                                    subcommands: [Import.self])

    /// `catalogue import`.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "import", abstract: "Import a catalogue (JSON).")
        @OptionGroup var dataOptions: DataOptions
        @Argument var file: String

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ValidationError("cannot read \(file)")
            }
            do {
                let catalogue = try await adminService(dataOptions).importCatalogue(json: data)
                print("imported catalogue \(catalogue.id) version \(catalogue.version) (\(catalogue.allItems.count) items)")
            } catch let error as ServiceError {
                throw commandError(error)
            }
        }
    }
}

/// `greenmine-server db …`: moving an installation between backends.
struct DbCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "db", abstract: "The server's database.",
                                                    subcommands: [Copy.self])

    /// `db copy --from DIR --to postgres://…`.
    struct Copy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "copy",
            abstract: "Copy an embedded installation (its SQLite database) into an empty PostgreSQL database.",
            discussion: """
                Stop the server on DIR first. Every row is copied in one transaction: on any error nothing \
                is copied. The files stay in DIR/blobs: start the instances with --data DIR (or a folder \
                holding a copy of DIR/blobs) and --database URL.
                """)
        @Option(help: "The embedded installation's data directory.") var from: String
        @Option(help: "The PostgreSQL database: postgres://user[:password]@host[:port]/database.") var to: String

        func validate() throws {
            _ = try PostgresDatabase.configuration(url: to)
        }

        func run() async throws {
            let source = DataOptions(data: from)
            guard FileManager.default.fileExists(atPath: source.databasePath) else {
                throw CommandFailure(description: "在 \(from) 中找不到数据库 greenmine.sqlite — no greenmine.sqlite in \(from)")
            }
            let sqlite = try ServerDatabase.open(path: source.databasePath)
            let target = try await PostgresDatabase.open(url: to)
            defer { target.close() }
            do {
                for (table, rows) in try await DatabaseCopy.copy(from: sqlite, to: target) {
                    print("\(table)\t\(rows)")
                }
            } catch let refused as DatabaseCopy.CopyRefused {
                throw CommandFailure(description: refused.description)
            }
            print("copied \(from) to PostgreSQL; serve it with --data \(from) --database <url>")
        }
    }
}
