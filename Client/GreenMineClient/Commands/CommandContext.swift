import ArgumentParser
import Foundation
import GreenMineShared

/// What a running command works with: environment, language, output mode, home, store.
struct CommandContext: Sendable {
    var environment: ClientEnvironment
    var language: Language
    var json: Bool
    var home: HomeDirectory

    var output: any OutputSink { environment.output }

    /// The terminal's width for wrapped text: `COLUMNS` when set to a sensible number, else 100.
    var terminalColumns: Int {
        guard let text = environment.variables["COLUMNS"], let columns = Int(text), (20...1000).contains(columns) else {
            return 100
        }
        return columns
    }

    /// Text in the user's language.
    func text(_ zh: String, _ en: String) -> String {
        language == .zh ? zh : en
    }

    /// Localized text in the user's language.
    func text(_ localized: LocalizedText) -> String {
        localized.text(language)
    }

    /// Writes a line to standard output.
    func say(_ zh: String, _ en: String) {
        output.line(text(zh, en))
    }

    /// Writes a line to standard error (notes and warnings that are not the command's result).
    func note(_ zh: String, _ en: String) {
        output.errorLine(text(zh, en))
    }

    /// Writes a value as pretty, wire-format JSON on standard output.
    func emitJSON<T: Encodable>(_ value: T) throws {
        let encoder = WireCodingPretty.encoder()
        output.write(String(decoding: try encoder.encode(value), as: UTF8.self) + "\n")
    }

    /// Shows a failure on standard error: text, or the API error envelope with `--json`.
    func report(_ failure: ClientError) {
        if json {
            let body = APIErrorBody(error: APIErrorDetail(code: failure.code, message: failure.message.en,
                                                          messageZh: failure.message.zh))
            if let data = try? WireCodingPretty.encoder().encode(body) {
                output.writeError(String(decoding: data, as: UTF8.self) + "\n")
            }
        } else {
            output.errorLine(text("错误：", "error: ") + failure.message.text(language))
        }
        for detail in failure.details {
            output.errorLine("  " + detail.text(language))
        }
    }

    /// Opens the store, making the home folder first when needed. A command that only reads
    /// (`.read`) still works on a read-only or full home: when the folder or file cannot be written,
    /// or opening for writing fails, the store is opened read-only (never migrated). A command that
    /// writes (`.write`) fails at once with `home_read_only`, `disk_full`, … before it does anything.
    func openStore(_ access: StoreAccess = .write) throws -> Store {
        do {
            try home.prepare()
        } catch let error as HomeError {
            throw error.clientError
        }
        let url = home.storeURL
        let folder = home.url.path
        // Checked first: SQLite would otherwise open a file it may not write read-only behind our
        // back, and fail on its first write.
        if let denied = StoreFiles.writeDenied(folder) ?? (home.hasStore ? StoreFiles.writeDenied(url.path) : nil) {
            let failure = StorageFailure(errno: denied, folder: folder) ?? StorageFailure(.readOnly, folder: folder)
            guard access == .read else { throw failure }
            return try readOnlyStore(after: failure)
        }
        do {
            return try Store.open(at: url, makeUUID: environment.makeUUID, limits: environment.storeLimits)
        } catch let failure as StorageFailure where access == .read && failure.kind.allowsReading {
            return try readOnlyStore(after: failure)
        }
    }

    /// The store opened read-only after opening it for writing failed with `failure`; when that
    /// fails too, the more useful of the two errors.
    private func readOnlyStore(after failure: StorageFailure) throws -> Store {
        guard home.hasStore else { throw failure }
        do {
            return try Store.openReadOnly(at: home.storeURL)
        } catch let second as StorageFailure where !second.kind.allowsReading {
            throw second
        } catch {
            throw failure
        }
    }

    /// The store and the active session, for commands that work on records.
    func workspace(_ access: StoreAccess = .write) throws -> (Workspace, Session) {
        let store = try openStore(access)
        let session = try Session.requireActive(store: store, home: home)
        let workspace = Workspace(store: store, user: session.user, now: environment.now,
                                  makeUUID: environment.makeUUID)
        return (workspace, session)
    }

    /// The API client for the session's server.
    func api(_ session: Session, timeout: TimeInterval? = nil) throws -> APIClient {
        guard let url = session.serverURL else { throw ClientError.notLoggedIn }
        return APIClient(transport: environment.transport(url), token: session.token,
                         timeout: timeout ?? environment.requestTimeout)
    }

    /// A time as the user reads it.
    func time(_ date: Date?) -> String {
        DateText.format(date, timeZone: environment.timeZone)
    }
}

/// What a command does with the store.
enum StoreAccess: Sendable {
    /// It writes (the default): a home that cannot be written is refused before anything happens.
    case write
    /// It only reads: a read-only or full home is opened read-only.
    case read
}

/// The wire encoder with indentation, for `--json` output.
enum WireCodingPretty {
    static func encoder() -> JSONEncoder {
        let encoder = WireCoding.encoder()
        encoder.outputFormatting.insert(.prettyPrinted)
        return encoder
    }
}
