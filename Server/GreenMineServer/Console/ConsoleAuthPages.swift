import GreenMineShared

/// The log-in, change-password, refusal and error pages.
enum ConsoleAuthPages {
    static func login(_ layout: ConsoleLayout, csrf: String, error: String? = nil, username: String = "") -> HTML {
        let t = layout.t
        return layout.page(t(ConsoleText.login), """
            \(error.map { HTML("<p class=\"error\">\($0)</p>") } ?? "")
            <form method="post" action="/console/login" class="box narrow">
            <input type="hidden" name="csrf" value="\(csrf)">
            <label for="username">\(t(ConsoleText.username))</label>
            <input type="text" id="username" name="username" value="\(username)" autocomplete="username" required>
            <label for="password">\(t(ConsoleText.password))</label>
            <input type="password" id="password" name="password" autocomplete="current-password" required>
            <p><button type="submit">\(t(ConsoleText.login))</button></p>
            </form>
            """)
    }

    static func password(_ layout: ConsoleLayout, session: ConsoleSession, message: HTML = "") -> HTML {
        let t = layout.t
        let forced: HTML = session.user.info.mustChangePassword
            ? HTML("<p class=\"notice\">\(t(ConsoleText.mustChange))</p>") : ""
        return layout.page(t(ConsoleText.changePassword), """
            \(forced)\(message)
            <form method="post" action="/console/password" class="box narrow">
            <input type="hidden" name="csrf" value="\(session.csrf)">
            <label for="current">\(t(ConsoleText.currentPassword))</label>
            <input type="password" id="current" name="current" autocomplete="current-password" required>
            <label for="new">\(t(ConsoleText.newPassword))</label>
            <input type="password" id="new" name="new" autocomplete="new-password" required>
            <p><button type="submit">\(t(ConsoleText.changePassword))</button></p>
            </form>
            """)
    }

    static func message(_ layout: ConsoleLayout, title: String, text: String, kind: String = "error") -> HTML {
        layout.page(title, """
            <p class="\(kind)">\(text)</p>
            """)
    }
}
