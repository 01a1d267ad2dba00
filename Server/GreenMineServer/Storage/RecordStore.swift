import Foundation
import GreenMineShared

/// A record as the server stores it: the wire record plus who created it.
public struct StoredRecord: Sendable, Hashable {
    public var record: GreenMineShared.Record
    /// The client that created it (its own later versions never count as foreign to it).
    public var creatorClient: UUID?

    public init(record: GreenMineShared.Record, creatorClient: UUID?) {
        self.record = record
        self.creatorClient = creatorClient
    }
}

/// One past version of a record, as the merge rule needs it.
public struct VersionInfo: Sendable, Hashable {
    public var version: Int
    /// The client that made it (nil for changes made by the server itself).
    public var clientId: UUID?
    /// The dotted field paths it changed (`@state`, `@attachments`, `@deleted` for the envelope).
    public var changedPaths: [String]
}

extension VersionInfo {
    /// A version as `record_versions` keeps it (both backends). Unreadable `changed_paths` throw: read as
    /// "no change", a foreign change would be overwritten by a merge without a conflict.
    init(stored record: UUID, version: Int, client: String?, changedPaths: String) throws {
        do {
            self.init(version: version, clientId: client.flatMap({ UUID(text: $0) }),
                      changedPaths: try WireCoding.decoder().decode([String].self, from: Data(changedPaths.utf8)))
        } catch {
            throw StoredDataCorrupt(what: "record_versions.changed_paths of \(record.storedString) version \(version)",
                                    reason: "\(error)")
        }
    }
}

/// A blob the server holds, complete and hash-verified.
public struct BlobInfo: Sendable, Hashable {
    public var sha256: String
    public var size: Int64
    public var mime: String
}

/// One audit event to write (the process monitoring log).
public struct AuditEntry: Sendable, Hashable {
    public var recordId: UUID
    public var action: String
    public var actor: AuthenticatedUser
    public var serverTime: Date
    public var deviceTime: Date?
    public var fromState: RecordState?
    public var toState: RecordState?
    public var version: Int
    public var comment: String?
}

/// The reads and writes the sync service makes inside one transaction (async: PostgreSQL's driver is;
/// the SQLite store runs the body on its writer's thread, `CallingThreadExecutor`).
public protocol RecordTransaction: Sendable {
    /// The user a client id is bound to and the last seq applied for it.
    func client(_ id: UUID) async throws -> (userId: String, lastSeq: Int)?
    /// Binds a client id to a user and records its last applied seq.
    func setClient(_ id: UUID, userId: String, lastSeq: Int) async throws
    /// The stored result of a mutation already applied.
    func storedResult(client: UUID, seq: Int) async throws -> MutationResult?
    /// Stores a mutation's result.
    func storeResult(client: UUID, _ result: MutationResult) async throws
    /// A record whatever its visibility (to refuse duplicate ids).
    func exists(_ id: UUID) async throws -> Bool
    /// A record if, and only if, the user may see it.
    func visibleRecord(_ id: UUID, to user: AuthenticatedUser) async throws -> StoredRecord?
    /// A record for the server's own use (a parent's facts).
    func record(_ id: UUID) async throws -> StoredRecord?
    /// The snapshot of one version of a record, whatever its visibility.
    func snapshot(of id: UUID, version: Int) async throws -> GreenMineShared.Record?
    /// The versions after `version`, oldest first.
    func versions(of id: UUID, after version: Int) async throws -> [VersionInfo]
    /// Writes a new version: the current row, a snapshot, and a new change sequence number.
    func save(_ stored: StoredRecord, parent: GreenMineShared.Record?, changedPaths: [String], userId: String, clientId: UUID?,
              at: Date) async throws
    /// Gives a record's children a new change number and their parent's visibility (after a parent's
    /// state or agency changed), so readers who can now see them pull them.
    func touchChildren(of parent: GreenMineShared.Record, at: Date) async throws
    /// Writes an audit event.
    func audit(_ entry: AuditEntry) async throws
    /// True when an approved pre-application of this organisation has this licence number.
    func approvedPreApplicationExists(licence: String, orgId: String) async throws -> Bool
    /// The live children of a record of a kind.
    func children(of parent: UUID, kind: RecordKind) async throws -> [GreenMineShared.Record]
    /// True when a live record of this kind belongs to this user (one profile per user).
    func ownedRecordExists(kind: RecordKind, ownerUser: String) async throws -> Bool
    /// A complete blob.
    func blob(_ sha256: String) async throws -> BlobInfo?
    /// True when authorities could ever see the record (it was submitted once).
    func wasUnderReview(_ id: UUID) async throws -> Bool
    /// The licence registry's entry for a number, inside the transaction.
    func licence(_ number: String) async throws -> LicenceInfo?
    /// A complete blob this user may attach: its organisation (or agency) uploaded those bytes or
    /// attached them before. Anyone else is told the server lacks it, as for a hash nobody has.
    func attachableBlob(_ sha256: String, by user: AuthenticatedUser) async throws -> BlobInfo?
    /// Increments and returns a named counter (certificate numbers).
    func nextCounter(_ name: String) async throws -> Int
    /// Every assessment agency the server keeps (`agencies add`), by code.
    func agencies() async throws -> [Agency]
    /// An imported catalogue.
    func catalogue(_ id: String) async throws -> Catalogue?
    /// Stores a validated catalogue (replacing one with the same id) with the time of its import.
    func importCatalogue(_ catalogue: Catalogue, at: Date) async throws
    /// The id of the catalogue in force: the one imported last; nil when none was imported.
    func catalogueInForce() async throws -> String?
    /// Runs `body` so that everything it wrote is undone when it throws (a savepoint): a mutation
    /// refused half way leaves nothing behind, while the rest of its batch goes on.
    func undoingOnError<T>(_ body: () async throws -> T) async throws -> T
}

/// One page of a pull, with record bodies as stored JSON (never decoded and re-encoded).
public struct PullPage: Sendable {
    /// Record JSON bodies, in change order.
    public var records: [String]
    public var gone: [UUID]
    /// The change number of the last row looked at.
    public var cursor: Int64
    public var more: Bool
    /// The last seq applied for the client the pull named (0 when it named none, or one not yet seen).
    public var lastSeq = 0
}

/// Versioned records as the sync path uses them: the transactional side for pushes and the read side
/// for pulls and history (`SyncService` needs nothing more).
public protocol SyncRecordStore: Sendable {
    /// Runs `body` in one write transaction.
    func write<T: Sendable>(_ body: @escaping @Sendable (any RecordTransaction) async throws -> T) async throws -> T
    /// The last seq applied for a client of this user (0 when none).
    func lastSeq(client: UUID, user: AuthenticatedUser) async throws -> Int
    /// Changes after `cursor` that the user may see, and those now out of their sight, with the
    /// `lastSeq` of `client` when one is named (`greenmine` names its own on every pull), read in one
    /// snapshot: one read on SQLite, one statement on PostgreSQL.
    func pull(user: AuthenticatedUser, after cursor: Int64, limit: Int, client: UUID?) async throws -> PullPage
    /// The current version of a record the user may see; nil when they may not.
    func visibleRecord(_ id: UUID, user: AuthenticatedUser) async throws -> GreenMineShared.Record?
    /// The audit events of a record the user may see; nil when they may not.
    func history(of id: UUID, user: AuthenticatedUser) async throws -> [HistoryEvent]?
}

extension SyncRecordStore {
    /// A page for a pull that names no client.
    public func pull(user: AuthenticatedUser, after cursor: Int64, limit: Int) async throws -> PullPage {
        try await pull(user: user, after: cursor, limit: limit, client: nil)
    }
}

/// Versioned records with the web console's reads on top: what a server runs on.
public protocol RecordStore: SyncRecordStore, ConsoleAdminReads {
    /// The console's work queue: records the user may see now in an awaited kind and state.
    func queue(_ query: QueueQuery, user: AuthenticatedUser) async throws -> QueuePage
    /// The signed certificate JSON of the certificate with this number (public verification), if any.
    func signedCertificate(number: String) async throws -> String?
    /// The live children of a record that the user may see, oldest first (the console's record page).
    func visibleChildren(of parent: UUID, user: AuthenticatedUser) async throws -> [GreenMineShared.Record]
    /// The catalogue an application is scored against (`CatalogueRecord.id(forApplication:…)`): the
    /// sample, an imported one, or nil when the server holds no catalogue of that id.
    func scoringCatalogue(forApplication application: GreenMineShared.Record,
                          assessment: GreenMineShared.Record?) async throws -> Catalogue?
}
