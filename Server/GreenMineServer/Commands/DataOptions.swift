import ArgumentParser
import Foundation
import GRDB

/// `--data DIR`: where the server keeps its database and blobs.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "Data directory (SQLite database and blob folder).")
    var data: String = "./greenmine-data"

    /// The database path inside the data directory.
    var databasePath: String { (data as NSString).appendingPathComponent("greenmine.sqlite") }
    /// The blob folder inside the data directory.
    var blobPath: String { (data as NSString).appendingPathComponent("blobs") }

    /// Creates the data directory (0700) and opens the migrated database.
    func openDatabase() throws -> DatabasePool {
        let manager = FileManager.default
        for path in [data, blobPath] {
            try manager.createDirectory(atPath: path, withIntermediateDirectories: true,
                                        attributes: [.posixPermissions: 0o700])
        }
        return try ServerDatabase.open(path: databasePath)
    }

    /// The services over this data directory's database and blob folder.
    func services(consoleIdleLimit: TimeInterval = 30 * 60) async throws -> AppServices {
        try await AppServices(storage: .sqlite(try openDatabase()), blobs: BlobDirectory(root: blobPath),
                              consoleIdleLimit: consoleIdleLimit)
    }
}

/// Reads one line (a password) from standard input, without the newline.
func readSecretLine() throws -> String {
    guard let line = readLine(strippingNewline: true), !line.isEmpty else {
        throw ValidationError("expected the password on standard input")
    }
    return line
}
