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

    func run() async throws {
        let database = try dataOptions.openDatabase()
        var logger = Logger(label: "greenmine-server")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let services = AppServices(database: database)
        let app = buildApplication(services, host: host, port: port, logger: logger) { [host] actualPort in
            FileHandle.standardOutput.write(Data("greenmine-server listening on http://\(host):\(actualPort)\n".utf8))
        }
        logger.info("starting", metadata: ["data": "\(dataOptions.data)", "host": "\(host)", "port": "\(port)"])
        try await app.runService()
        logger.info("stopped")
    }
}
