import ArgumentParser
import Foundation
import GRDB

/// `--data DIR` (where the server keeps its database and blobs) and `--database URL` (a PostgreSQL
/// server instead of the SQLite file, for several instances sharing `--data`'s blob folder).
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "Data directory (SQLite database and blob folder; with --database, the blob folder only).")
    var data: String = "./greenmine-data"

    @Option(name: .long, help: ArgumentHelp(
        "A PostgreSQL server to keep the records on instead of the SQLite file: postgres://user[:password]@host[:port]/database (or ?host=/socket/folder). Instances sharing it must share --data's blob folder.",
        valueName: "url"))
    var database: String?

    init() {}

    /// The options of the installation in `data` (SQLite).
    init(data: String) {
        self.data = data
    }

    func validate() throws {
        if let database { _ = try PostgresDatabase.configuration(url: database) }
    }

    /// The database path inside the data directory.
    var databasePath: String { (data as NSString).appendingPathComponent("greenmine.sqlite") }
    /// The blob folder inside the data directory.
    var blobPath: String { (data as NSString).appendingPathComponent("blobs") }

    /// Creates the data directory and its blob folder (0700).
    func makeFolders() throws {
        for path in [data, blobPath] {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        }
    }

    /// Creates the data directory (0700) and opens the migrated SQLite database.
    func openDatabase() throws -> DatabasePool {
        try makeFolders()
        return try ServerDatabase.open(path: databasePath)
    }

    /// The stores: the PostgreSQL server `--database` names (migrated), or the data directory's SQLite file.
    func storage() async throws -> ServerStorage {
        guard let database else { return .sqlite(try openDatabase()) }
        try makeFolders()
        return .postgres(try await PostgresDatabase.open(url: database))
    }

    /// The services over these stores and this data directory's blob folder.
    func services(consoleIdleLimit: TimeInterval = 30 * 60, trustedProxies: Set<String> = []) async throws
        -> AppServices {
        try await AppServices(storage: try await storage(), blobs: BlobDirectory(root: blobPath),
                              consoleIdleLimit: consoleIdleLimit, trustedProxies: trustedProxies)
    }
}

/// Reads one line (a password) from standard input, without the newline.
func readSecretLine() throws -> String {
    guard let line = readLine(strippingNewline: true), !line.isEmpty else {
        throw ValidationError("expected the password on standard input")
    }
    return line
}
