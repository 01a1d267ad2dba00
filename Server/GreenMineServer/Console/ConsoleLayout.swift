import Foundation
import GreenMineShared

/// The frame of every console page: header (who, language switch, log out), the body, the footer.
struct ConsoleLayout {
    let language: Language
    /// The signed-in session, when there is one.
    let session: ConsoleSession?
    /// The current path, for the language switch.
    let path: String

    func t(_ text: LocalizedText) -> String {
        text.text(language)
    }

    func page(_ title: String, _ body: HTML) -> HTML {
        let other: Language = language == .zh ? .en : .zh
        let separator = path.contains("?") ? "&" : "?"
        // One leading slash only: `//directory` reaches the same route, but as a link it names a host.
        var local = path
        while local.hasPrefix("//") { local.removeFirst() }
        let switchLink = local + separator + "lang=" + other.rawValue
        var who: HTML = ""
        if let session {
            let info = session.user.info
            who = """
                <span class="who">\(info.username) · \(info.role.label.text(language))</span>
                <a href="/console/password">\(t(ConsoleText.changePassword))</a>
                <form method="post" action="/console/logout"><input type="hidden" name="csrf" value="\(session.csrf)"><button type="submit">\(t(ConsoleText.logout))</button></form>
                """
        }
        return """
            <!DOCTYPE html>
            <html lang="\(language == .zh ? "zh-CN" : "en")">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title) · \(t(ConsoleText.title))</title>
            <link rel="stylesheet" href="/console/static/console.css"></head>
            <body>
            <header><strong>\(t(ConsoleText.title))</strong><nav>\(ConsoleNavigation.links(session, language: language))</nav>
            \(who)<a href="\(switchLink)" lang="\(other.rawValue)">\(t(ConsoleText.language))</a></header>
            <main>
            <h1>\(title)</h1>
            \(body)
            </main>
            <footer>GreenMine</footer>
            </body></html>
            """
    }

    /// A date and time as the console shows them (UTC+8, the offices' time).
    static func time(_ date: Date?) -> String {
        guard let date else { return "" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }
}
