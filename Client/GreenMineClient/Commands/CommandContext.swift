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

    /// Opens the store, making the home folder first when needed.
    func openStore() throws -> Store {
        do {
            try home.prepare()
        } catch let error as HomeError {
            throw error.clientError
        }
        return try Store.open(at: home.storeURL, makeUUID: environment.makeUUID)
    }

    /// The store and the active session, for commands that work on records.
    func workspace() throws -> (Workspace, Session) {
        let store = try openStore()
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

/// The wire encoder with indentation, for `--json` output.
enum WireCodingPretty {
    static func encoder() -> JSONEncoder {
        let encoder = WireCoding.encoder()
        encoder.outputFormatting.insert(.prettyPrinted)
        return encoder
    }
}
