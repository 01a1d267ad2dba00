import Foundation
import GreenMineShared
import Hummingbird
import Logging

/// Everything the application is built from: storage, services and settings.
public struct AppServices: Sendable {
    public let accounts: any AccountStore
    public let records: any RecordStore
    public let registry: any RegistryStore
    public let auth: AuthService
    public let sync: SyncService
    public let uploads: UploadService
    /// The home page's support contact and downloads.
    public let portal: PortalService
    /// The certificate signing key.
    public let signer: CertificateSigner
    public let environment: ServerEnvironment
    /// How long a console session may go unused before it is logged out (API tokens keep their lifetime).
    public let consoleIdleLimit: TimeInterval
    /// Balancers whose `X-Forwarded-For` names the client (`--trusted-proxy`).
    public let trustedProxies: Set<String>

    /// Services over a backend's stores (`ServerStorage.sqlite(_:)` for the embedded default); the
    /// certificate key comes from its settings store.
    public init(storage: ServerStorage, environment: ServerEnvironment = .live,
                hasher: PasswordHasher = .standard, throttle: (any LoginThrottling)? = nil,
                tokenLifetime: TimeInterval = 30 * 86_400, regions: RegionTable = .standard,
                blobs: BlobDirectory? = nil, consoleIdleLimit: TimeInterval = 30 * 60,
                trustedProxies: Set<String> = []) async throws {
        self.environment = environment
        self.consoleIdleLimit = consoleIdleLimit
        self.trustedProxies = trustedProxies
        self.accounts = storage.accounts
        self.records = storage.records
        self.registry = storage.registry
        // Failed logins are counted in the store every instance shares, unless a test passes its own.
        self.auth = AuthService(accounts: accounts, hasher: hasher,
                                throttle: throttle ?? SharedLoginThrottle(store: storage.loginFailures),
                                environment: environment,
                                tokenLifetime: tokenLifetime)
        let signer = try await CertificateSigner.loadOrCreate(storage.settings)
        self.signer = signer
        self.sync = SyncService(store: records, environment: environment, signer: signer, regions: regions)
        let blobDirectory = blobs ?? BlobDirectory(
            root: (NSTemporaryDirectory() as NSString).appendingPathComponent("greenmine-blobs-\(UUID().storedString)"))
        self.uploads = UploadService(store: storage.uploads, files: blobDirectory, environment: environment)
        self.portal = PortalService(store: storage.portal, uploads: uploads, environment: environment, regions: regions)
    }
}

/// The router with every route and middleware of the API.
public func buildRouter(_ services: AppServices) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    if !services.trustedProxies.isEmpty { router.add(middleware: ForwardedForMiddleware(trusted: services.trustedProxies)) }
    // Outermost but for that, so that it sees the final answer, errors included.
    router.add(middleware: CompressionMiddleware())
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: AuthMiddleware(auth: services.auth))
    AuthController(auth: services.auth, accounts: services.accounts).addRoutes(to: router)
    SyncController(sync: services.sync).addRoutes(to: router)
    RecordsController(sync: services.sync, registry: services.registry, admin: AdminService(services: services))
        .addRoutes(to: router)
    UploadController(uploads: services.uploads, portal: services.portal).addRoutes(to: router)
    PortalController(portal: services.portal).addRoutes(to: router)
    ConsoleController(services: services).addRoutes(to: router)
    // Last: it applies only to requests no endpoint matched (a known path with another method → 405).
    router.add(middleware: MethodNotAllowedMiddleware(
        routes: router.routes.map { ($0.path.description, $0.method.rawValue) }))
    return router
}

/// The application: the router on a host and port, with graceful shutdown on SIGINT and SIGTERM;
/// connections are held to `limits` (timeouts, minimum body rate, caps: `httpServer(limits:)`), and
/// accepting pauses while descriptors run out (`DescriptorHeadroom`).
public func buildApplication(_ services: AppServices, host: String, port: Int, logger: Logger,
                             limits: ConnectionLimits = .standard,
                             onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in })
    -> some ApplicationProtocol {
    Application(
        router: buildRouter(services),
        server: httpServer(limits: limits),
        configuration: .init(address: .hostname(host, port: port), serverName: "greenmine",
                             availableConnectionsDelegate: DescriptorHeadroom()),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
        logger: logger)
}
