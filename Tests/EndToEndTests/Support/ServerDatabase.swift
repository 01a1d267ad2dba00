import Foundation
import GRDB
import GreenMineShared

/// The server's SQLite file read directly (read-only), to assert what the server really holds.
struct ServerDatabase {
    let path: String

    init(dataDirectory: URL) {
        path = dataDirectory.appendingPathComponent("greenmine.sqlite").path
    }

    /// One row of `records`: the current version of a record and its wire body.
    struct StoredRecord: Sendable {
        var id: UUID
        var kind: String
        var version: Int
        var state: String
        var record: GreenMineShared.Record
    }

    private struct RawRecord: Sendable {
        var id: String
        var kind: String
        var version: Int
        var state: String
        var body: String
    }

    func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read(body)
    }

    /// Every record the server holds (catalogues and other server-made kinds included), by id.
    func records() throws -> [UUID: StoredRecord] {
        let rows: [RawRecord] = try read { db in
            try Row.fetchAll(db, sql: "SELECT id, kind, version, state, body FROM records").map { row in
                let id: String = row["id"]
                let kind: String = row["kind"]
                let version: Int = row["version"]
                let state: String = row["state"]
                let body: String = row["body"]
                return RawRecord(id: id, kind: kind, version: version, state: state, body: body)
            }
        }
        var result: [UUID: StoredRecord] = [:]
        for row in rows {
            let (id, kind, version, state, body) = (row.id, row.kind, row.version, row.state, row.body)
            guard let uuid = UUID(uuidString: id) else { throw HarnessError("server record id \(id) is not a UUID") }
            let record = try WireCoding.decode(GreenMineShared.Record.self, from: Data(body.utf8))
            result[uuid] = StoredRecord(id: uuid, kind: kind, version: version, state: state, record: record)
        }
        return result
    }

    /// The records of the kinds enterprises make (what the tests create), by id.
    func enterpriseRecords() throws -> [UUID: StoredRecord] {
        let kinds: Set<String> = ["preApplication", "application", "profile", "evidence", "appeal"]
        return try records().filter { kinds.contains($0.value.kind) }
    }

    func record(_ id: UUID) throws -> StoredRecord? {
        try records()[id]
    }

    /// The stored versions of a record, in order.
    func versions(of id: UUID) throws -> [Int] {
        try read { db in
            try Int.fetchAll(db, sql: "SELECT version FROM record_versions WHERE lower(record_id) = lower(?) ORDER BY version",
                             arguments: [id.uuidString])
        }
    }

    /// The audit events of a record: (action, version, device time present).
    func audit(of id: UUID) throws -> [(action: String, version: Int, deviceTime: Double?)] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT action, version, device_time FROM audit_events WHERE lower(record_id) = lower(?) ORDER BY seq
                """, arguments: [id.uuidString]).map { row in
                let action: String = row["action"]
                let version: Int = row["version"]
                let deviceTime: Double? = row["device_time"]
                return (action, version, deviceTime)
            }
        }
    }

    /// The server time of a record's first audit event (when its creation was applied).
    func firstEventTime(of id: UUID) throws -> Date? {
        try read { db in
            try Double.fetchOne(db, sql: "SELECT min(server_time) FROM audit_events WHERE lower(record_id) = lower(?)",
                                arguments: [id.uuidString])
        }.map { Date(timeIntervalSince1970: $0) }
    }

    /// The stored results of one client's mutations: seq → status.
    func mutationResults(client: String) throws -> [Int: String] {
        let rows = try read { db in
            try Row.fetchAll(db, sql: "SELECT seq, status FROM mutation_results WHERE lower(client_id) = lower(?)",
                             arguments: [client]).map { row -> (Int, String) in
                let seq: Int = row["seq"]
                let status: String = row["status"]
                return (seq, status)
            }
        }
        return Dictionary(rows, uniquingKeysWith: { first, _ in first })
    }

    /// The last seq the server applied for a client (nil when it never pushed).
    func lastSeq(client: String) throws -> Int? {
        try read { db in
            try Int.fetchOne(db, sql: "SELECT last_seq FROM clients WHERE lower(client_id) = lower(?)", arguments: [client])
        }
    }

    func integrityCheck() throws -> [String] {
        try read { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
    }
}
