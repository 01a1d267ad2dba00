import Foundation
import GreenMineServer
import GreenMineShared

// greenmine-bench: the benchmarks of DESIGN.md §7. Run in release mode:
//   swift run -c release greenmine-bench [sync]
// Prints each figure beside its budget. Opt-in, not part of the default run: `fieldlink` (issue 10's
// field link: about an hour) and `fieldlink-quick` (under a minute).

func line(_ name: String, _ value: String, _ budget: String) {
    print(name.padding(toLength: 52, withPad: " ", startingAt: 0) + value.padding(toLength: 22, withPad: " ", startingAt: 0)
          + budget)
}

let arguments = Set(CommandLine.arguments.dropFirst())
let runAll = arguments.isEmpty
print("greenmine-bench \(ProductVersion.current) — \(ProcessInfo.processInfo.activeProcessorCount) cores")

// Issue 15: the figures are compared with what this machine can do, measured in this run.
// GREENMINE_BENCH_LIMITS=skip leaves them out of a run meant for a profiler (their ratios then print nan).
let limits = ProcessInfo.processInfo.environment["GREENMINE_BENCH_LIMITS"] == "skip"
    ? MachineLimits(sqliteRowsPerSecond: .nan, sha256BytesPerSecond: .nan) : try MachineLimits.measure()
limits.print()

if arguments.contains("breakdown") {
    for (name, seconds) in try await SyncBenchmarks.pushBreakdown(mutations: 1000) {
        // Each figure is the seconds of 1,000 mutations (the growing store's: a tenth of its 10,000).
        line("  \(name)", String(format: "%.1f µs each", seconds / 1000 * 1e6), "")
    }
    // Ids are parsed with `UUID(text:)`; Foundation's `UUID(uuidString:)` beside it, on the same texts.
    let ids = (0..<200_000).map { $0 % 2 == 0 ? UUID().uuidString : UUID().wireString }
    let clock = ContinuousClock()
    var parsed = (0, 0)
    let foundation = clock.measure { parsed.0 = ids.reduce(0) { $0 + (UUID(uuidString: $1) == nil ? 0 : 1) } }
    let ours = clock.measure { parsed.1 = ids.reduce(0) { $0 + (UUID(text: $1) == nil ? 0 : 1) } }
    guard parsed == (ids.count, ids.count) else { throw BenchError("an id did not parse") }
    line("  parse an id: UUID(text:); Foundation's", String(format: "%.0f ns; %.0f ns", SyncBenchmarks.seconds(ours) / 200_000 * 1e9,
                                                          SyncBenchmarks.seconds(foundation) / 200_000 * 1e9), "200,000 ids, either case")
}

/// The rates of `rounds` runs, best first in the printout: this machine's noise only slows a run, so
/// the best of three is what the code can do here (as the machine's own limits are taken).
func rounds(_ rates: [Double]) -> String {
    rates.map { String(format: "%.0f", $0) }.joined(separator: ", ")
}

/// The push beside the machine's row rate: the target is half of its rows per second ÷ the rows the
/// server writes per mutation (counted). Each measured three times (a new server each); the best counts.
func pushFigures() async throws {
    var pushes: [(perSecond: Double, rowsPerMutation: Double?)] = []
    for _ in 0..<3 { pushes.append(try await SyncBenchmarks.pushCounted(mutations: 10_000, batch: 500)) }
    let push = pushes.max { $0.perSecond < $1.perSecond } ?? pushes[0]
    line("push 10,000 mutations (batches of 500)", String(format: "%.0f mutations/s", push.perSecond),
         "best of 3 (\(rounds(pushes.map(\.perSecond)))); budget ≥ 10,000/s")
    /// The machine's row rate ÷ the rows the server writes per mutation: what a push is a ratio of.
    func ceiling(rows: Double) -> Double { limits.sqliteRowsPerSecond / rows }
    if let rows = push.rowsPerMutation {
        line("  rows written per mutation; machine rows/s ÷ rows", String(format: "%.2f; %.0f /s", rows, ceiling(rows: rows)),
             String(format: "ratio %.2f (target ≥ 0.50)", push.perSecond / ceiling(rows: rows)))
    }
    // `greenmine`'s own client (AsyncHTTPClient, gzip both ways), the same batches; the rows per mutation
    // are those counted above.
    var clients: [Double] = []
    for _ in 0..<3 { clients.append(try await SyncBenchmarks.pushAsClient(mutations: 10_000, batch: 500)) }
    let client = clients.max() ?? 0
    line("push 10,000 through greenmine's APIClient", String(format: "%.0f mutations/s", client),
         String(format: "ratio %.2f (target ≥ 0.50), ", client / ceiling(rows: push.rowsPerMutation ?? 5))
            + "best of 3 (\(rounds(clients)))")
    var sockets: [(perSecond: Double, rowsPerMutation: Double)] = []
    for _ in 0..<3 { sockets.append(try await SyncBenchmarks.pushOverSocket(mutations: 10_000, batch: 500)) }
    let socket = sockets.max { $0.perSecond < $1.perSecond } ?? sockets[0]
    line("push 10,000 over one plain socket (server alone)", String(format: "%.0f mutations/s", socket.perSecond),
         String(format: "ratio %.2f (target ≥ 0.50), ", socket.perSecond / ceiling(rows: socket.rowsPerMutation))
            + "best of 3 (\(rounds(sockets.map(\.perSecond))))")
}

if arguments.contains("push") {
    try await pushFigures()
}

if runAll || arguments.contains("upload") {
    let figures = try await UploadBenchmark.run()
    line("100 MB attachment, greenmine sync → server", String(format: "%.0f MB/s", figures.megabytesPerSecond),
         "budget ≥ 200 MB/s")
    line("  curl --data-binary, same bytes, same server", String(format: "%.0f MB/s", figures.curlMegabytesPerSecond),
         String(format: "ratio %.2f (target ≥ 0.8)", figures.megabytesPerSecond / figures.curlMegabytesPerSecond))
    line("  CPU seconds: greenmine sync + server", String(format: "%.2f + %.2f s", figures.syncCPU.client,
                                                           figures.syncCPU.server), "")
    line("  CPU seconds: curl + server", String(format: "%.2f + %.2f s", figures.curlCPU.client, figures.curlCPU.server), "")
    line("  upload ÷ machine SHA-256 speed", String(format: "%.2f", figures.megabytesPerSecond * 1e6 / limits.sha256BytesPerSecond), "")
    line("  peak memory during the upload: client / server", String(format: "%.1f / %.1f MB", Double(figures.clientPeak) / 1e6,
                                                   Double(figures.serverPeak) / 1e6), "VmHWM: with the mapped binary and libraries")
    line("  private memory (RssAnon) peak: client / server", String(format: "%.1f / %.1f MB",
                                                                    Double(figures.clientAnonymousPeak) / 1e6,
                                                                    Double(figures.serverAnonymousPeak) / 1e6),
         "target ≤ 32 MB each")
    line("  server peak before it (seeded, two logins' scrypt)", String(format: "%.1f MB", Double(figures.serverLifePeakBefore) / 1e6),
         figures.serverPeakWasReset ? "(reset before the upload)" : "(could not reset: the upload's figure includes it)")
    line("  8 logins at once: server VmHWM / RssAnon peak", String(format: "%.1f / %.1f MB", Double(figures.loginsPeak) / 1e6,
                                                                     Double(figures.loginsAnonymousPeak) / 1e6),
         String(format: "%.2f s; scrypt holds 16 MiB while it runs", figures.loginsSeconds))
    line("  bytes resent after a cut at half way", "\(figures.resentAfterCut) bytes",
         String(format: "(%.1f s for both syncs)", figures.cutRunSeconds))
}

if runAll || arguments.contains("client") {
    for records in [1_000, 100_000] {
        let figures = try await ClientCommandBenchmark.run(records: records)
        line("greenmine, home of \(records) records: first sync", String(format: "%.2f s", figures.firstSync),
             String(format: "%.0f records/s", Double(records) / figures.firstSync)
                + (records >= 100_000 ? String(format: " (target ≥ 50,000; %.2f × machine rows/s), best of %d (",
                                                Double(records) / figures.firstSync / limits.sqliteRowsPerSecond,
                                                figures.firstSyncs.count)
                   + rounds(figures.firstSyncs.map { Double(records) / $0 }) + ")" : ""))
        line("  its CPU (the best run): client / server", String(format: "%.2f / %.2f s", figures.firstSyncCPU.client,
                                                  figures.firstSyncCPU.server), "")
        line("  greenmine status (median of 5)", String(format: "%.0f ms", figures.status * 1000), "")
        line("  no-op greenmine sync (median of 5)", String(format: "%.0f ms", figures.noOpSync * 1000), "")
    }
}

if runAll || arguments.contains("console") {
    let (fill, figures) = try await ConsoleBenchmark.run(records: 100_000, rounds: 200)
    line("console: 100,000 submitted records filled", String(format: "%.0f s", fill), "")
    for figure in figures {
        let budget = figure.name.hasPrefix("record") ? "budget p99 < 50 ms" : "budget p99 < 100 ms"
        line("  \(figure.name)", String(format: "%.1f / %.1f ms", figure.p50 * 1000, figure.p99 * 1000),
             budget + String(format: " (p50 / p99; %d bytes)", figure.bytes))
    }
}

if runAll || arguments.contains("load") {
    let loaded = try await LoadBenchmark.run(records: 100_000, connections: 32, seconds: 10, rounds: 3, floor: true)
    line("authenticated no-op pulls, real server, 32 conns", String(format: "%.0f /s", loaded.perSecond),
         "target ≥ 10,000/s (budget ≥ 3,000/s); best of 3 (\(rounds(loaded.rounds)))")
    if let floor = loaded.floor {
        // The same server and load generator without the store: what HTTP, routing and the middlewares
        // cost on this machine, the ceiling of any request's rate here.
        line("  floor: GET /healthz with the token, same load", String(format: "%.0f /s", floor),
             String(format: "pulls ÷ floor %.2f; ", loaded.perSecond / floor) + "best of 3 (\(rounds(loaded.floorRounds)))")
    }
    line("  latency p50 / p99", String(format: "%.1f / %.1f ms", loaded.p50 * 1000, loaded.p99 * 1000),
         "target p99 < 20 ms (budget < 50 ms)")
    line("  requests in 10 s; server peak memory", String(format: "%d; %.1f MB", loaded.requests, Double(loaded.serverPeak) / 1e6), "")
}

if arguments.contains("load-postgres") {
    // The same loaded pulls with the server on PostgreSQL (GREENMINE_BENCH_POSTGRES names a server the
    // bench may create a scratch database on).
    guard let postgres = ProcessInfo.processInfo.environment["GREENMINE_BENCH_POSTGRES"], !postgres.isEmpty else {
        throw BenchError("load-postgres: set GREENMINE_BENCH_POSTGRES to a PostgreSQL server URL")
    }
    let loaded = try await LoadBenchmark.run(records: 100_000, connections: 32, seconds: 10, rounds: 3,
                                             postgres: postgres)
    line("PostgreSQL: no-op pulls, real server, 32 conns", String(format: "%.0f /s", loaded.perSecond),
         "budget ≥ 3,000/s; best of 3 (\(rounds(loaded.rounds)))")
    line("  latency p50 / p99", String(format: "%.1f / %.1f ms", loaded.p50 * 1000, loaded.p99 * 1000),
         "budget p99 < 50 ms")
}

if runAll || arguments.contains("sync") {
    try await pushFigures()

    let small = try await BenchServer.start(name: "small")
    try await Workload.fill(small, records: 1_000)
    let smallToken = try await small.http.login("demo-ent1", try small.password("demo-ent1"))
    let smallCursor = try await SyncBenchmarks.latestCursor(server: small, token: smallToken)

    let large = try await BenchServer.start(name: "large")
    try await Workload.fill(large, records: 100_000)
    let largeToken = try await large.http.login("demo-ent1", try large.password("demo-ent1"))
    let pullRate = try await SyncBenchmarks.initialPull(server: large, token: largeToken, expected: 100_000, limit: 5000)
    line("initial pull of 100,000 records (pages of 5,000)", String(format: "%.0f records/s", pullRate), "budget ≥ 50,000/s")
    let largeCursor = try await SyncBenchmarks.latestCursor(server: large, token: largeToken)

    let smallNoOp = try await SyncBenchmarks.noOpPull(server: small, token: smallToken, cursor: smallCursor, rounds: 2000)
    let largeNoOp = try await SyncBenchmarks.noOpPull(server: large, token: largeToken, cursor: largeCursor, rounds: 2000)
    line("no-op pull, store of 1,000 records", String(format: "%.3f ms", smallNoOp * 1000), "")
    line("no-op pull, store of 100,000 records", String(format: "%.3f ms", largeNoOp * 1000),
         String(format: "ratio %.2f (budget ≤ 1.30)", largeNoOp / smallNoOp))
    small.stop()
    large.stop()
}

if arguments.contains("backends") {
    // Issue 13: the sync figures through HTTP on SQLite and on PostgreSQL in the same run
    // (GREENMINE_BENCH_POSTGRES names a server the bench may create databases on).
    guard let postgres = ProcessInfo.processInfo.environment["GREENMINE_BENCH_POSTGRES"], !postgres.isEmpty else {
        throw BenchError("backends: set GREENMINE_BENCH_POSTGRES to a PostgreSQL server URL")
    }
    for (name, server) in [("SQLite", nil), ("PostgreSQL", postgres)] as [(String, String?)] {
        let pushRate = try await SyncBenchmarks.push(mutations: 10_000, batch: 500, postgres: server)
        line("\(name): push 10,000 mutations (batches of 500)", String(format: "%.0f mutations/s", pushRate), "")
        let large = try await BenchServer.start(name: "large", postgres: server)
        try await Workload.fill(large, records: 100_000)
        let token = try await large.http.login("demo-ent1", try large.password("demo-ent1"))
        let pullRate = try await SyncBenchmarks.initialPull(server: large, token: token, expected: 100_000, limit: 5000)
        line("\(name): initial pull of 100,000 (pages of 5,000)", String(format: "%.0f records/s", pullRate), "")
        let cursor = try await SyncBenchmarks.latestCursor(server: large, token: token)
        let noOp = try await SyncBenchmarks.noOpPull(server: large, token: token, cursor: cursor, rounds: 2000)
        line("\(name): no-op pull, store of 100,000", String(format: "%.3f ms", noOp * 1000), "")
        large.stop()
        await large.dropDatabase()
        let loaded = try await LoadBenchmark.run(records: 100_000, connections: 32, seconds: 10, postgres: server)
        line("\(name): no-op pulls, server binary, 32 conns", String(format: "%.0f /s", loaded.perSecond),
             String(format: "p50 / p99 %.1f / %.1f ms", loaded.p50 * 1000, loaded.p99 * 1000))
    }
}

if arguments.contains("stores") {
    // The sync path without HTTP on each backend (set GREENMINE_BENCH_POSTGRES for PostgreSQL).
    for backend in try await StoreBenchmark.backends() {
        let rates = try await StoreBenchmark.measure(backend, mutations: 10_000)
        line("\(backend.name): push 10,000 through SyncService", String(format: "%.0f mutations/s", rates.push), "batches of 500")
        line("\(backend.name): initial pull of them, decoded", String(format: "%.0f records/s", rates.pull), "pages of 5,000")
        await backend.close()
    }
}

if arguments.contains("fieldlink") || arguments.contains("fieldlink-quick") {
    try await FieldLinkBenchmark.main(arguments: arguments)
}
