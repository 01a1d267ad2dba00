import Foundation

/// Everything a command takes from the world outside it — environment variables, clock, ids, terminal,
/// network, editor — so tests can replace each one.
public struct ClientEnvironment: Sendable {
    /// Environment variables (`GREENMINE_HOME`, `LANG`, `EDITOR`, …).
    public var variables: [String: String]
    /// The clock.
    public var now: @Sendable () -> Date
    /// Makes new record, conflict and client ids.
    public var makeUUID: @Sendable () -> UUID
    /// Where results and messages go.
    public var output: any OutputSink
    /// Where answers and passwords come from.
    public var input: any LineInput
    /// Makes the HTTP transport for a server.
    public var transport: @Sendable (URL) -> any APITransport
    /// How sync retries transient failures.
    public var retry: RetryPolicy
    /// Opens `$EDITOR`.
    public var editor: any EditorLauncher
    /// The time zone times are shown in.
    public var timeZone: TimeZone
    /// How long an optional online look-up (licence registry, `whoami`) may take before the
    /// command falls back to what the store knows.
    public var lookupTimeout: TimeInterval
    /// How long a sync request may take.
    public var requestTimeout: TimeInterval
    /// Sleeps between runs of `sync --every`.
    public var sleep: @Sendable (Duration) async throws -> Void
    /// The largest upload `PATCH` (requests are sized to the link below it).
    public var uploadChunkSize: Int
    /// How long a sync whose server has answered waits out an outage before it stops (incomplete).
    public var linkPatience: Duration
    /// Limits on the store's read-write connections (none in production; tests make SQLite refuse
    /// writes with them, as a full disk or a read-only home would).
    public var storeLimits = StoreLimits()

    public init(
        variables: [String: String], now: @escaping @Sendable () -> Date,
        makeUUID: @escaping @Sendable () -> UUID, output: any OutputSink, input: any LineInput,
        transport: @escaping @Sendable (URL) -> any APITransport, retry: RetryPolicy,
        editor: any EditorLauncher, timeZone: TimeZone, lookupTimeout: TimeInterval = 3,
        requestTimeout: TimeInterval = 60,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        uploadChunkSize: Int = 8 << 20, linkPatience: Duration = .seconds(90)
    ) {
        self.variables = variables
        self.now = now
        self.makeUUID = makeUUID
        self.output = output
        self.input = input
        self.transport = transport
        self.retry = retry
        self.editor = editor
        self.timeZone = timeZone
        self.lookupTimeout = lookupTimeout
        self.requestTimeout = requestTimeout
        self.sleep = sleep
        self.uploadChunkSize = uploadChunkSize
        self.linkPatience = linkPatience
    }

    /// The real world: this process's environment, clock, terminal and network.
    public static var live: ClientEnvironment {
        ClientEnvironment(
            variables: ProcessInfo.processInfo.environment,
            now: { Date() },
            makeUUID: { UUID() },
            output: StandardOutput(),
            input: StandardInput(),
            transport: { HTTPClientTransport(baseURL: $0) },
            retry: .standard,
            editor: ShellEditorLauncher(),
            timeZone: .current
        )
    }

    /// The environment commands run in; tests bind their own with `$current.withValue`.
    @TaskLocal public static var current: ClientEnvironment = .live
}
