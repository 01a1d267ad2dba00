import ArgumentParser
import Foundation
import GreenMineShared

/// `greenmine login`: signs in to a server and keeps the session in the home folder.
struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "登录服务器 Log in to a GreenMine server.",
        usage: HelpUsage.of("greenmine login", "--server <URL> --user <NAME> [--password-stdin]"),
        discussion: """
        Asks for the password without echo, or reads it from standard input with --password-stdin. \
        The session token is kept in the home folder (mode 0600).
        输入密码时不回显；使用 --password-stdin 时从标准输入读取密码。
        """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("服务器地址 Server URL, e.g. http://127.0.0.1:8080.", valueName: "URL"))
    var server: String

    @Option(name: .long, help: ArgumentHelp("用户名 User name.", valueName: "NAME"))
    var user: String

    @Flag(name: .long, help: "从标准输入读取密码 Read the password from stdin.")
    var passwordStdin = false

    func run() async throws {
        try await global.run { context in
            let url = try ServerAddress.parse(server)
            let username = user.trimmingCharacters(in: .whitespaces)
            guard !username.isEmpty else {
                throw ClientError(code: "username_empty", zh: "用户名不能为空", en: "the user name is empty")
            }
            let password = try PasswordPrompt.read(context, prompt: context.text("密码：", "Password: "),
                                                   fromStdin: passwordStdin)
            let store = try context.openStore()
            let api = APIClient(transport: context.environment.transport(url), token: nil,
                                timeout: context.environment.requestTimeout)
            let response = try await api.login(LoginRequest(username: username, password: password))
            let keyring = APIClient(transport: context.environment.transport(url), token: response.token,
                                    timeout: context.environment.lookupTimeout)
            let keys = await KeyRing.fetch(api: keyring)
            let reset = try SessionKeeper.adopt(response, server: url, store: store, context: context, keys: keys)
            await LicencePrefetch.refresh(store: store, api: keyring, now: context.environment.now())
            await AgencyPrefetch.refresh(store: store, api: keyring, now: context.environment.now())
            await PortalPrefetch.refresh(store: store, api: keyring, now: context.environment.now())
            if reset {
                context.note("本机原有的数据属于其他账户或服务器，已清除（没有待同步的修改）。",
                             "The data in this home belonged to another account or server and was cleared (nothing was queued).")
            }
            if context.json {
                try context.emitJSON(WhoamiReport(user: response.user, server: url.absoluteString, loggedIn: true,
                                                  online: true))
            } else {
                let who = response.user
                context.say("已登录：\(who.username)（\(who.role.label.zh)\(who.orgName.map { "，\($0)" } ?? "")）",
                            "Logged in as \(who.username) (\(who.role.label.en)\(who.orgName.map { ", \($0)" } ?? "")).")
            }
            if response.user.mustChangePassword {
                context.note("管理员已重置您的密码：请立即运行 greenmine passwd 修改密码，修改前不能进行其他操作。",
                             "An administrator reset your password: run greenmine passwd now; nothing else works until you change it.")
            }
        }
    }
}

/// The server URL a user typed, checked.
enum ServerAddress {
    static func parse(_ text: String) throws -> URL {
        var trimmed = text.trimmingCharacters(in: .whitespaces)
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty else {
            throw ClientError(code: "server_url",
                              zh: "服务器地址“\(text)”无效：应形如 http://主机:端口",
                              en: "'\(text)' is not a server URL: use http://host:port")
        }
        return url
    }
}

/// Reads a password: from standard input (one line), or prompted without echo.
enum PasswordPrompt {
    static func read(_ context: CommandContext, prompt: String, fromStdin: Bool) throws -> String {
        let input = context.environment.input
        if !fromStdin, input.isInteractive { context.output.writeError(prompt) }
        guard let line = fromStdin ? input.readLine() : input.readSecret(), !line.isEmpty else {
            throw ClientError(code: "password_empty", zh: "没有输入密码", en: "no password was given")
        }
        return line
    }
}
