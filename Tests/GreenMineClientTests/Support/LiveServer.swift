import Foundation
import GreenMineServer
import GreenMineShared
import Hummingbird
import Logging

/// The real server (GreenMineServer) on a free loopback port in this process, over a fresh data
/// directory with the demonstration data, for tests that need the real tus endpoints and blobs.
/// Only this file imports the server module, so its names never meet the client's.
final class LiveServer: Sendable {
    let base: URL
    let directory: URL
    /// The demo accounts' passwords, by username (`demo-ent1`, `demo-province`, …).
    let passwords: [String: String]
    private let services: AppServices
    private let task: Task<Void, Error>

    private init(base: URL, directory: URL, passwords: [String: String], services: AppServices,
                 task: Task<Void, Error>) {
        self.base = base
        self.directory = directory
        self.passwords = passwords
        self.services = services
        self.task = task
    }

    static func start() async throws -> LiveServer {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("greenmine-client-live-\(UUID().uuidString.lowercased())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let database = try ServerDatabase.open(path: directory.appendingPathComponent("server.sqlite").path)
        let services = try await AppServices(storage: .sqlite(database), hasher: .fastForTests,
                                   blobs: BlobDirectory(dataDirectory: directory))
        let accounts = try await DemoData.seed(AdminService(services: services), services: services)
        var logger = Logger(label: "client-tests")
        logger.logLevel = .critical
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = buildApplication(services, host: "127.0.0.1", port: 0, logger: logger) { port in
            continuation.yield(port)
        }
        let task = Task { try await app.run() }
        var port = 0
        for await value in ports {
            port = value
            break
        }
        guard port > 0, let base = URL(string: "http://127.0.0.1:\(port)") else {
            task.cancel()
            throw LiveServerError(reason: "the server did not start")
        }
        return LiveServer(base: base, directory: directory,
                          passwords: Dictionary(uniqueKeysWithValues: accounts.map { ($0.username, $0.password) }),
                          services: services, task: task)
    }

    deinit {
        task.cancel()
        try? FileManager.default.removeItem(at: directory)
    }

    /// The demo licence number and credit code of enterprise `n`.
    static func licence(_ n: Int) -> String { DemoData.licence(n) }

    /// Adds a licence for demo enterprise `n` to the registry (a second mine of the same holder).
    func addLicence(_ number: String, enterprise n: Int) async throws {
        try await services.registry.upsertLicences([LicenceInfo(
            number: number, holder: "示例矿业", creditCode: DemoData.creditCode(n), mineName: "第二矿区",
            mainMineral: "水泥用灰岩", miningMethod: "openPit", scale: 50, area: 1, region: DemoData.counties[n - 1],
            validFrom: "2021-01-01", validTo: "2031-12-31")])
    }

    /// Imports an indicator catalogue, as `greenmine-server catalogue import` does.
    func importCatalogue(_ catalogue: Catalogue) async throws {
        _ = try await AdminService(services: services).importCatalogue(json: try catalogue.encodedJSON())
    }

    /// Publishes a file on the home page's downloads, as `greenmine-server portal publish` does.
    func publish(_ file: URL, title: String, province: String? = nil) async throws -> PortalDownload {
        try await services.portal.publish(path: file.path, title: title, province: province)
    }

    /// Sets a support contact, as `greenmine-server portal support` does.
    func setSupport(province: String? = nil, name: String, phone: String, email: String? = nil) async throws {
        _ = try await services.portal.setSupport(province: province, name: name, phone: phone, email: email, hours: nil)
    }

    /// Withdraws a download, as `greenmine-server portal withdraw` does.
    func withdraw(_ id: Int) async throws {
        try await services.portal.withdraw(id)
    }

    /// The server's file of a complete blob, when it holds one.
    func blobFile(_ sha256: String) -> URL? {
        let path = BlobDirectory(dataDirectory: directory).blobPath(sha256)
        return FileManager.default.fileExists(atPath: path) ? URL(fileURLWithPath: path) : nil
    }
}

struct LiveServerError: Error {
    var reason: String
}
