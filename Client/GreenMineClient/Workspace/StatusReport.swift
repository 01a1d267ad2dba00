import Foundation
import GRDB
import GreenMineShared

/// The 首页: the account, what the store holds, what waits for the server, and what needs attention.
public struct StatusReport: Codable, Sendable, Hashable {
    /// Records of one kind in one state.
    public struct Count: Codable, Sendable, Hashable {
        public var kind: RecordKind
        public var state: RecordState
        public var count: Int
    }

    /// A reviewer's latest comment on a record that came back (returned or rejected), pulled with it.
    public struct LatestComment: Codable, Sendable, Hashable {
        public var recordId: UUID
        public var kind: RecordKind
        public var state: RecordState
        public var event: HistoryEvent
    }

    public var user: UserInfo?
    public var server: String?
    /// True when a session token is stored.
    public var loggedIn: Bool
    public var clientId: UUID
    public var counts: [Count]
    /// Mutations queued for the server.
    public var queuedChanges: Int
    public var openConflicts: Int
    /// Refusals the user has not looked at.
    public var unseenRejections: [Rejection]
    public var unreadNotices: Int
    /// When the last sync went through completely.
    public var lastSyncAt: Date?
    /// The files queued attaches need uploaded (the next sync uploads them first).
    public var pendingUploads: PendingUploads
    /// How the last sync run ended, from `sync.log` (also runs nobody watched: `--every`, the timer).
    public var lastRun: SyncLog.Entry?
    /// The latest comment on each of the (at most 5) most recently changed returned or rejected records.
    public var latestComments: [LatestComment] = []
    /// The support contact and downloads as last synced (nil: never fetched), and when.
    public var portal: PortalResponse?
    public var portalFetchedAt: Date?

    /// The kinds the home page counts: the business records, not profiles, notices or catalogues.
    public static let homeKinds: Set<RecordKind> = [.preApplication, .application, .evidence, .assessment, .appeal,
                                                    .certificate]

    /// Reads the report in one snapshot.
    static func load(store: Store, home: HomeDirectory) throws -> StatusReport {
        let token = try SessionTokenFile(home: home).read()
        let lastRun = SyncLog(home: home).last()
        return try store.read { db in
            let state = try SyncState.load(db)
            let counts = try RecordCounts.all(db)
            let cached = try PortalCache.load(db)
            return StatusReport(
                user: state.user, server: state.serverURL, loggedIn: token != nil, clientId: state.clientId,
                counts: counts, queuedChanges: try OutboxEntry.count(db), openConflicts: try LocalConflict.openCount(db),
                unseenRejections: try Rejection.list(db, all: false), unreadNotices: try NoticesRead.unreadCount(db),
                lastSyncAt: state.lastSyncAt, pendingUploads: try PendingUploads.load(db), lastRun: lastRun,
                latestComments: try latestComments(db), portal: cached?.portal, portalFetchedAt: cached?.fetchedAt)
        }
    }

    /// Returned or rejected records (read through the kind-and-state index) with their newest comment.
    static func latestComments(_ db: Database) throws -> [LatestComment] {
        let locals = try LocalRecord.fetchAll(db, sql: """
            SELECT * FROM records WHERE kind IN ('preApplication', 'application', 'appeal')
              AND state IN ('returned', 'rejected') AND deleted = 0 ORDER BY updated_local DESC LIMIT 5
            """)
        return locals.compactMap { local in
            guard let event = ProcessTrail.comments(of: local.working).first else { return nil }
            return LatestComment(recordId: local.id, kind: local.kind, state: local.working.state, event: event)
        }
    }
}
