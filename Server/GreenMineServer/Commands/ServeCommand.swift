import ArgumentParser
import Foundation
import Hummingbird
import Logging

/// `greenmine-server serve`: runs the HTTP API until SIGINT or SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the server.")

    @OptionGroup var dataOptions: DataOptions
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0 picks a free one and prints it).") var port = 8080
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel = "info"
    @Flag(help: "On an empty data directory, seed the demonstration data first and print its accounts.")
    var demo = false

    func run() async throws {
        var logger = Logger(label: "greenmine-server")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let services = try dataOptions.services()
        if demo, try await services.accounts.users().isEmpty {
            let accounts = try await DemoData.seed(AdminService(services: services), services: services)
            var text = "demo accounts (passwords are shown only now):\n"
            for account in accounts {
                text += "  \(account.username)\t\(account.role.rawValue)\t\(account.password)\t\(account.note)\n"
            }
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        let app = buildApplication(services, host: host, port: port, logger: logger) { [host] actualPort in
            FileHandle.standardOutput.write(Data("greenmine-server listening on http://\(host):\(actualPort)\n".utf8))
        }
        logger.info("starting", metadata: ["data": "\(dataOptions.data)", "host": "\(host)", "port": "\(port)"])
        // Abandoned uploads expire: sweep at start and every ten minutes.
        let sweeper = Task {
            while !Task.isCancelled {
                if let removed = try? await services.uploads.removeExpired(), removed > 0 {
                    logger.info("removed expired uploads", metadata: ["count": "\(removed)"])
                }
                try? await Task.sleep(for: .seconds(600))
            }
        }
        defer { sweeper.cancel() }
        try await app.runService()
        logger.info("stopped")
    }
}
