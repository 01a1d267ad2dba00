import Crypto
import Foundation
import GRDB

/// What this machine can do at most, measured in the same run as the figures beside it (issue 15), so
/// that runs on different machines compare as ratios: SQLite's row rate and SHA-256's speed.
struct MachineLimits {
    /// Rows per second SQLite inserts in one transaction (WAL, synchronous = NORMAL, the server's
    /// settings): rows of a random 36-character text key, an integer and 300 bytes of text, through a
    /// prepared statement, into a table keyed by the text (as the server's tables are keyed by UUIDs).
    var sqliteRowsPerSecond: Double
    /// Bytes per second swift-crypto's SHA-256 hashes, in 1 MiB buffers (as uploads are hashed).
    var sha256BytesPerSecond: Double

    static let rows = 200_000
    static let hashedBytes = 512 << 20

    /// Each measured three times; the best of three is the limit (the machine's noise only slows).
    static func measure() throws -> MachineLimits {
        var rows = 0.0
        var hash = 0.0
        for _ in 0..<3 {
            rows = max(rows, try sqliteRowRate())
            hash = max(hash, sha256Rate())
        }
        return MachineLimits(sqliteRowsPerSecond: rows, sha256BytesPerSecond: hash)
    }

    static func sqliteRowRate() throws -> Double {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("greenmine-bench-rows-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        let queue = try DatabaseQueue(path: folder.appendingPathComponent("rows.sqlite").path, configuration: configuration)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE rows (id TEXT PRIMARY KEY NOT NULL, n INTEGER NOT NULL, body TEXT NOT NULL)")
        }
        let keys = (0..<rows).map { _ in UUID().uuidString.lowercased() }
        let body = String(repeating: "x", count: 300)
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            try queue.write { db in
                let statement = try db.makeStatement(sql: "INSERT INTO rows (id, n, body) VALUES (?, ?, ?)")
                for (index, key) in keys.enumerated() {
                    try statement.execute(arguments: [key, index, body])
                }
            }
        }
        return Double(rows) / SyncBenchmarks.seconds(elapsed)
    }

    static func sha256Rate() -> Double {
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        for index in buffer.indices { buffer[index] = UInt8(truncatingIfNeeded: index &* 31 &+ 7) }
        let clock = ContinuousClock()
        var hasher = SHA256()
        let elapsed = clock.measure {
            for _ in 0..<(hashedBytes >> 20) { buffer.withUnsafeBytes { hasher.update(bufferPointer: $0) } }
            _ = hasher.finalize()
        }
        return Double(hashedBytes) / SyncBenchmarks.seconds(elapsed)
    }

    func print() {
        line("machine: SQLite rows in one transaction (WAL, NORMAL)", String(format: "%.0f rows/s", sqliteRowsPerSecond),
             "best of 3, 200,000 rows of ~340 bytes")
        line("machine: SHA-256", String(format: "%.2f GB/s", sha256BytesPerSecond / 1e9), "best of 3, 512 MiB")
    }
}
