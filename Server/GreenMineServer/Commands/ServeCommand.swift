import ArgumentParser
import Foundation
import Hummingbird
import Logging
import NIOCore

/// `greenmine-server serve`: runs the HTTP API until SIGINT or SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the server.")

    @OptionGroup var dataOptions: DataOptions
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0 picks a free one and prints it).") var port = 8080
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel = "info"
    @Option(help: "Seconds a request head may take (slow clients are closed after it).")
    var headerTimeout: Double = 30
    @Option(help: "Seconds a kept connection may stay idle between requests.")
    var idleTimeout: Double = 65
    @Option(help: "Bytes per second a request body must bring, on average over --body-rate-window.")
    var bodyMinRate = 1024
    @Option(help: "Seconds over which the body rate is averaged (time the server waits for bytes).")
    var bodyRateWindow: Double = 60
    @Option(help: "Seconds without a byte read or written after which any connection is closed.")
    var stallTimeout: Double = 120
    @Option(help: "Connections from one address (over it, its oldest idle one is closed; else 503).")
    var maxConnectionsPerAddress = 64
    @Option(help: "Connections in all (default: what the descriptor limit, ulimit -n, leaves room for).")
    var maxConnections: Int?
    @Option(help: "Minutes a web console session may go unused before it is logged out.")
    var consoleIdleMinutes = 30
    @Option(help: ArgumentHelp(
        "A balancer's IP address (repeatable): for requests from it, X-Forwarded-For's last entry is the client's address (login throttling). Ignored from anyone else.",
        valueName: "ip"))
    var trustedProxy: [String] = []
    @Flag(help: "On an empty data directory, seed the demonstration data first and print its accounts.")
    var demo = false

    func validate() throws {
        for (name, value) in [("--header-timeout", headerTimeout), ("--idle-timeout", idleTimeout),
                              ("--body-rate-window", bodyRateWindow), ("--stall-timeout", stallTimeout)]
            where !(value > 0 && value <= 86_400) {
            throw ValidationError("\(name) must be a number of seconds above 0 and at most 86400")
        }
        guard bodyMinRate >= 0 else { throw ValidationError("--body-min-rate must be 0 or more") }
        guard maxConnectionsPerAddress >= 1 else { throw ValidationError("--max-connections-per-address must be 1 or more") }
        guard (1...1440).contains(consoleIdleMinutes) else {
            throw ValidationError("--console-idle-minutes must be 1 to 1440")
        }
        if let maxConnections, maxConnections < 1 { throw ValidationError("--max-connections must be 1 or more") }
        for address in trustedProxy where (try? SocketAddress(ipAddress: address, port: 0)) == nil {
            throw ValidationError("--trusted-proxy must be an IP address, not '\(address)'")
        }
    }

    /// The connection limits from the flags.
    var limits: ConnectionLimits {
        func amount(_ seconds: Double) -> TimeAmount { .nanoseconds(Int64(seconds * 1e9)) }
        return ConnectionLimits(headerReadTimeout: amount(headerTimeout), idleTimeout: amount(idleTimeout),
                                bodyMinimumRate: bodyMinRate, bodyRateWindow: amount(bodyRateWindow),
                                stallTimeout: amount(stallTimeout), maxConnectionsPerAddress: maxConnectionsPerAddress,
                                maxConnections: maxConnections)
    }

    func run() async throws {
        LargeAllocations.returnToSystemWhenFreed()
        var logger = Logger(label: "greenmine-server")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let services = try await dataOptions.services(consoleIdleLimit: TimeInterval(consoleIdleMinutes) * 60,
                                                      trustedProxies: Set(trustedProxy))
        if demo, try await services.accounts.users().isEmpty {
            let accounts = try await DemoData.seed(AdminService(services: services), services: services)
            var text = "demo accounts (passwords are shown only now):\n"
            for account in accounts {
                text += "  \(account.username)\t\(account.role.rawValue)\t\(account.password)\t\(account.note)\n"
            }
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        let app = buildApplication(services, host: host, port: port, logger: logger,
                                   limits: limits) { [host] actualPort in
            FileHandle.standardOutput.write(Data("greenmine-server listening on http://\(host):\(actualPort)\n".utf8))
        }
        logger.info("starting", metadata: ["data": "\(dataOptions.data)", "host": "\(host)", "port": "\(port)",
                                           "database": "\(dataOptions.database == nil ? "sqlite" : "postgres")"])
        // Abandoned uploads expire, and a report a crash left mid-receipt (no upload row names it) is
        // removed once unwritten for ten minutes: sweep at start and every ten minutes.
        let sweeper = Task {
            while !Task.isCancelled {
                if let removed = try? await services.uploads.removeExpired(), removed > 0 {
                    logger.info("removed expired uploads", metadata: ["count": "\(removed)"])
                }
                let abandoned = await services.uploads.removeAbandonedReceiving()
                if abandoned > 0 { logger.info("removed files left mid-receipt", metadata: ["count": "\(abandoned)"]) }
                try? await Task.sleep(for: .seconds(600))
            }
        }
        defer { sweeper.cancel() }
        try await app.runService()
        logger.info("stopped")
    }
}
