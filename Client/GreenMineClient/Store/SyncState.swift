import Foundation
import GRDB
import GreenMineShared

/// The one row of sync bookkeeping: who this installation is, where it syncs, how far it got.
public struct SyncState: Sendable, Hashable {
    /// This installation's id, made once.
    public var clientId: UUID
    /// The seq the next queued mutation gets (gapless from 1).
    public var nextSeq: Int
    /// The pull cursor; nil before the first pull.
    public var cursor: String?
    /// The last seq the server acknowledged.
    public var lastSeqAcked: Int
    /// When the last sync went through completely.
    public var lastSyncAt: Date?
    /// The server logged in to.
    public var serverURL: String?
    /// The user logged in as (kept after logout so the store's owner is known).
    public var user: UserInfo?

    /// The row; it always exists once the store is open.
    static func load(_ db: Database) throws -> SyncState {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM sync_state WHERE id = 1") else {
            throw StoreError.corrupt(what: "sync state", reason: "missing")
        }
        let what = "sync state"
        guard let clientId = UUID(text: row["client_id"] as String) else {
            throw StoreError.corrupt(what: what, reason: "bad client id")
        }
        return SyncState(
            clientId: clientId, nextSeq: row["next_seq"], cursor: row["cursor"], lastSeqAcked: row["last_seq_acked"],
            lastSyncAt: try StoreJSON.date(row["last_sync_at"], what: what), serverURL: row["server_url"],
            user: try (row["user"] as String?).map { try StoreJSON.decode(UserInfo.self, $0, what: what) })
    }

    static func exists(_ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM sync_state WHERE id = 1)") ?? false
    }

    static func createIfMissing(_ db: Database, clientId: UUID) throws {
        try db.execute(sql: "INSERT OR IGNORE INTO sync_state (id, client_id) VALUES (1, ?)",
                       arguments: [clientId.lowercased])
    }

    /// Hands out the next seq (inside the caller's transaction, so a rollback leaves no gap).
    static func takeSeq(_ db: Database) throws -> Int {
        let seq = try load(db).nextSeq
        try db.execute(sql: "UPDATE sync_state SET next_seq = ? WHERE id = 1", arguments: [seq + 1])
        return seq
    }

    static func setCursor(_ db: Database, _ cursor: String) throws {
        try db.execute(sql: "UPDATE sync_state SET cursor = ? WHERE id = 1", arguments: [cursor])
    }

    static func setLastSeqAcked(_ db: Database, _ seq: Int) throws {
        try db.execute(sql: "UPDATE sync_state SET last_seq_acked = MAX(last_seq_acked, ?) WHERE id = 1",
                       arguments: [seq])
    }

    /// The highest seq ever sent to the server; queued mutations above it were never sent.
    static func maxSeqSent(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT max_seq_sent FROM sync_state WHERE id = 1") ?? 0
    }

    /// Notes, before a batch goes out, the highest seq in it.
    static func noteSent(_ db: Database, through seq: Int) throws {
        try db.execute(sql: "UPDATE sync_state SET max_seq_sent = MAX(max_seq_sent, ?) WHERE id = 1",
                       arguments: [seq])
    }

    static func setLastSync(_ db: Database, _ date: Date) throws {
        try db.execute(sql: "UPDATE sync_state SET last_sync_at = ? WHERE id = 1", arguments: [StoreJSON.date(date)])
    }

    static func setSession(_ db: Database, serverURL: String, user: UserInfo) throws {
        try db.execute(sql: "UPDATE sync_state SET server_url = ?, user = ? WHERE id = 1",
                       arguments: [serverURL, try StoreJSON.encode(user)])
    }

    static func setUser(_ db: Database, _ user: UserInfo) throws {
        try db.execute(sql: "UPDATE sync_state SET user = ? WHERE id = 1", arguments: [try StoreJSON.encode(user)])
    }

    /// Forgets everything learnt from a server (records, cursor, conflicts, rejections, notices read,
    /// uploads in progress there, the home page's contact and downloads) and starts a new client identity; only allowed when nothing is queued.
    static func resetServerData(_ db: Database, newClientId: UUID) throws {
        try db.execute(sql: """
            DELETE FROM records; DELETE FROM conflicts; DELETE FROM rejections; DELETE FROM notices_read;
            DELETE FROM licences; DELETE FROM uploads; DELETE FROM portal;
            UPDATE sync_state SET client_id = ?, next_seq = 1, cursor = NULL, last_seq_acked = 0,
                last_sync_at = NULL, max_seq_sent = 0 WHERE id = 1;
            """, arguments: [newClientId.lowercased])
    }
}
