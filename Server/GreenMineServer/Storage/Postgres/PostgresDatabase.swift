import Foundation
import GreenMineShared
import Logging
import PostgresNIO

/// A PostgreSQL server that the stores of every instance share (issue 13): a connection pool that runs
/// while its owner does, with the schema migrated once however many instances start at the same time.
public final class PostgresDatabase: Sendable {
    /// The pool; queries go through it.
    public let client: PostgresClient
    /// At most this many connections in the `prepared` pool (the main pool keeps postgres-nio's 20): an
    /// instance opens up to 28, so three stay under PostgreSQL's default `max_connections` of 100.
    static let preparedConnections = 8

    /// A second pool, for the reads run as prepared statements (`preparedRows`) and nothing else: its
    /// connections plan those once (`plan_cache_mode=force_generic_plan`), a mode that would take the
    /// planning by value from every other query if the main pool had it.
    let prepared: PostgresClient
    let logger: Logger
    private let runner: Task<Void, Never>

    private init(configuration: PostgresClient.Configuration, logger: Logger) {
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        var planOnce = configuration
        planOnce.options.additionalStartupParameters.append(("plan_cache_mode", "force_generic_plan"))
        planOnce.options.maximumConnections = Self.preparedConnections
        let prepared = PostgresClient(configuration: planOnce, backgroundLogger: logger)
        self.client = client
        self.prepared = prepared
        self.logger = logger
        self.runner = Task {
            await withDiscardingTaskGroup { group in
                group.addTask { await client.run() }
                group.addTask { await prepared.run() }
            }
        }
    }

    /// Connects to `url` and migrates the schema (`PostgresSchema`).
    public static func open(url: String, logger: Logger = Logger(label: "greenmine.postgres")) async throws
        -> PostgresDatabase {
        let database = PostgresDatabase(configuration: try configuration(url: url), logger: logger)
        do {
            try await PostgresSchema.migrate(database)
        } catch {
            database.close()
            throw error
        }
        return database
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws. What
    /// `body` threw comes out as it was (postgres-nio wraps it in `PostgresTransactionError`, which would
    /// hide a refusal such as a `ServiceError` from the HTTP layer); a failed BEGIN, COMMIT or rollback
    /// comes out wrapped.
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T)
        async throws -> T {
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch let wrapped as PostgresTransactionError {
            if let thrown = wrapped.closureError, wrapped.rollbackError == nil { throw thrown }
            throw wrapped
        }
    }

    /// Every row of one statement (`?` placeholders, `PostgresSQL`) run on a pooled connection.
    func rows(_ sql: String, _ values: [SQLArgument] = []) async throws -> [PostgresRandomAccessRow] {
        let logger = self.logger
        return try await client.withConnection { connection in
            try await PostgresSQL.rows(connection, sql, values, logger: logger)
        }
    }

    /// Every row of one statement run as a prepared statement on the `prepared` pool, planned once per
    /// connection (`PostgresSQL.preparedRows`): for reads run often whose planning dominates. If it fails,
    /// that connection is closed (postgres-nio keeps a failed preparation for the connection's life, so a
    /// passing failure — a lock timeout during a migration — would stay) and the statement runs once
    /// more, unprepared, on the main pool: its error, if it fails again, is the answer.
    func preparedRows(_ sql: String, _ values: [SQLArgument] = []) async throws -> [PostgresRandomAccessRow] {
        let logger = self.logger
        do {
            return try await prepared.withConnection { connection in
                do {
                    return try await PostgresSQL.preparedRows(connection, sql, values, logger: logger)
                } catch {
                    try? await connection.close()
                    throw error
                }
            }
        } catch {
            logger.warning("prepared read failed; run unprepared", metadata: ["error": "\(String(reflecting: error))"])
            return try await rows(sql, values)
        }
    }

    /// Stops the pool; queries after this fail.
    public func close() {
        runner.cancel()
    }

    /// A new, empty database on the server `serverURL` names, for tests and benchmarks; its URL.
    public static func createScratch(on serverURL: String, prefix: String) async throws -> String {
        let name = prefix + "_" + UUID().wireString.replacingOccurrences(of: "-", with: "")
        let admin = try await open(url: serverURL)
        defer { admin.close() }
        try await admin.client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: admin.logger)
        guard var parts = URLComponents(string: serverURL) else { throw PostgresURLError(url: serverURL) }
        parts.path = "/" + name
        guard let url = parts.string else { throw PostgresURLError(url: serverURL) }
        return url
    }

    /// Drops a database `createScratch` made.
    public static func dropScratch(_ url: String, on serverURL: String) async throws {
        guard let name = URLComponents(string: url)?.path.dropFirst(), !name.isEmpty,
              name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { throw PostgresURLError(url: url) }
        let admin = try await open(url: serverURL)
        defer { admin.close() }
        try await admin.client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"),
                                     logger: admin.logger)
    }

    /// `postgres://user[:password]@host[:port]/database`; `?host=/folder` connects through the Unix
    /// socket in that folder instead (as libpq's URLs do). No TLS: the server is on the deployment's
    /// own network or this machine.
    public static func configuration(url: String) throws -> PostgresClient.Configuration {
        guard let parts = URLComponents(string: url), ["postgres", "postgresql"].contains(parts.scheme ?? ""),
              let user = parts.user, !user.isEmpty else {
            throw PostgresURLError(url: url)
        }
        let database = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
        let port = parts.port ?? 5432
        let password = parts.password?.removingPercentEncoding
        let name = database.isEmpty ? nil : database
        if let folder = parts.queryItems?.first(where: { $0.name == "host" })?.value, folder.hasPrefix("/") {
            return .init(unixSocketPath: (folder as NSString).appendingPathComponent(".s.PGSQL.\(port)"),
                         username: user, password: password, database: name)
        }
        guard let host = parts.host, !host.isEmpty else { throw PostgresURLError(url: url) }
        return .init(host: host, port: port, username: user, password: password, database: name, tls: .disable)
    }
}

/// A `--database` value that is not a PostgreSQL URL; said in both languages.
public struct PostgresURLError: Error, CustomStringConvertible {
    public var url: String

    public var description: String {
        "数据库地址应为 postgres://用户[:密码]@主机[:端口]/数据库 — the database must be given as "
            + "postgres://user[:password]@host[:port]/database (or ?host=/socket/folder), not '\(url)'"
    }
}
