import Foundation
import GRDB
import GreenMineShared

/// The stores a server runs on: one backend's implementation of every storage protocol. Services are
/// built from this and never see the database behind it.
public struct ServerStorage: Sendable {
    public var accounts: any AccountStore
    public var records: any RecordStore
    public var registry: any RegistryStore
    public var uploads: any UploadStore
    public var settings: any SettingsStore
    public var portal: any PortalStore
    public var loginFailures: any LoginFailureStore

    public init(accounts: any AccountStore, records: any RecordStore, registry: any RegistryStore,
                uploads: any UploadStore, settings: any SettingsStore, portal: any PortalStore,
                loginFailures: any LoginFailureStore) {
        self.accounts = accounts
        self.records = records
        self.registry = registry
        self.uploads = uploads
        self.settings = settings
        self.portal = portal
        self.loginFailures = loginFailures
    }

    /// The embedded default: everything in one SQLite database (`ServerDatabase.open`).
    public static func sqlite(_ database: any DatabaseWriter, regions: RegionTable = .standard) -> ServerStorage {
        ServerStorage(accounts: SQLiteAccountStore(writer: database),
                      records: SQLiteRecordStore(writer: database, regions: regions),
                      registry: SQLiteRegistryStore(writer: database),
                      uploads: SQLiteUploadStore(writer: database, regions: regions),
                      settings: SQLiteSettingsStore(writer: database),
                      portal: SQLitePortalStore(writer: database),
                      loginFailures: SQLiteLoginFailureStore(writer: database))
    }

    /// Several instances on one PostgreSQL server (`PostgresDatabase.open`): every store shared.
    public static func postgres(_ database: PostgresDatabase, regions: RegionTable = .standard) -> ServerStorage {
        ServerStorage(accounts: PostgresAccountStore(database: database),
                      records: PostgresRecordStore(database: database, regions: regions),
                      registry: PostgresRegistryStore(database: database),
                      uploads: PostgresUploadStore(database: database, regions: regions),
                      settings: PostgresSettingsStore(database: database),
                      portal: PostgresPortalStore(database: database),
                      loginFailures: PostgresLoginFailureStore(database: database))
    }
}
