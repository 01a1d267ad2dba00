import ArgumentParser
import Foundation
import GreenMineShared

/// The options every command takes: where the data lives, which language, JSON or tables.
public struct GlobalOptions: ParsableArguments {
    // Help texts: a line holding Chinese must fit the help column by itself (HelpTextTests).
    @Option(name: .long, help: ArgumentHelp("""
        数据目录 Data folder (default: $GREENMINE_HOME,
        $XDG_DATA_HOME/greenmine or ~/.local/share/greenmine).
        """, valueName: "DIR"))
    public var home: String?

    @Option(name: .long, help: ArgumentHelp("""
        界面语言 Language of the output: zh or en
        (default: from $LC_ALL, $LC_MESSAGES or $LANG).
        """, valueName: "zh|en"))
    public var lang: String?

    @Flag(name: .long, help: "以 JSON 输出，供脚本使用 Print JSON for scripts.")
    public var json = false

    public init() {}

    public func validate() throws {
        if let lang, Language(rawValue: lang.lowercased()) == nil {
            throw ValidationError("--lang must be zh or en (--lang 只能是 zh 或 en), not '\(lang)'")
        }
    }

    /// The language: `--lang`, else `LC_ALL`, `LC_MESSAGES` or `LANG`.
    func language(_ variables: [String: String]) -> Language {
        if let lang, let language = Language(rawValue: lang.lowercased()) { return language }
        let locale = [variables["LC_ALL"], variables["LC_MESSAGES"], variables["LANG"]]
            .compactMap { $0 }.first { !$0.isEmpty }
        return Language.from(localeIdentifier: locale)
    }

    /// Runs a command body with its context; any error is shown in the user's language on standard
    /// error and ends the process with a non-zero status.
    func run(_ body: (CommandContext) async throws -> Void) async throws {
        let environment = ClientEnvironment.current
        let context = CommandContext(
            environment: environment, language: language(environment.variables), json: json,
            home: HomeDirectory.resolve(option: home, variables: environment.variables))
        do {
            try await body(context)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            let failure = ErrorPresentation.clientError(error, home: context.home)
            context.report(failure)
            throw ExitCode(failure.exitCode)
        }
    }
}
