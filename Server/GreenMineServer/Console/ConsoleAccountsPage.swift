import Foundation
import GreenMineShared

/// 账号管理: the accounts a user may reset (`ResetScope`), searchable by user name, and the answer to
/// a reset, which shows the initial password once.
enum ConsoleAccountsPage {
    static func render(_ layout: ConsoleLayout, session: ConsoleSession, search: String?, after: String?,
                       page: AccountPage, regions: RegionTable) -> HTML {
        let t = layout.t
        let language = layout.language
        let rows: [HTML] = page.users.map { user in
            let region = user.region.map { regions.displayPath(of: $0) } ?? ""
            return """
                <tr><td>\(user.username)</td><td>\(user.role.label.text(language))</td>
                <td>\(user.orgName ?? user.agency ?? "")</td><td>\(region)</td>
                <td>\(user.mustChangePassword ? t(ConsoleText.yes) : "")</td>
                <td><form method="post" action="/console/accounts/\(HTML.query(user.id))/reset">
                <input type="hidden" name="csrf" value="\(session.csrf)">
                <button type="submit">\(t(ConsoleText.resetPassword))</button></form></td></tr>
                """
        }
        var links: [HTML] = []
        if after != nil {
            links.append("<a href=\"\(link("/console/accounts", search: search, after: nil))\">\(t(ConsoleText.firstPage))</a> ")
        }
        if let next = page.next {
            links.append("<a href=\"\(link("/console/accounts", search: search, after: next))\">\(t(ConsoleText.nextPage))</a>")
        }
        let table: HTML = rows.isEmpty ? "<p class=\"muted\">\(t(ConsoleText.noAccounts))</p>" : """
            <table><thead><tr><th>\(t(ConsoleText.username))</th><th>\(t(ConsoleText.role))</th>
            <th>\(t(ConsoleText.organisation))</th><th>\(t(ConsoleText.region))</th>
            <th>\(t(ConsoleText.mustChangeColumn))</th><th>\(t(ConsoleText.action))</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
        return layout.page(t(ConsoleText.accounts), """
            <form method="get" action="/console/accounts" class="box filters">
            <div><label for="q">\(t(ConsoleText.accountSearch))</label><input type="search" id="q" name="q" value="\(search)"></div>
            <div><button type="submit">\(t(ConsoleText.filter))</button></div>
            </form>
            <p><a href="\(link("/console/accounts.csv", search: search, after: nil))">\(t(ConsoleText.exportCSV))</a></p>
            \(table)
            <p>\(links)</p>
            """)
    }

    /// The answer to a reset: the initial password, on this page only (never in an address).
    static func reset(_ layout: ConsoleLayout, result: PasswordResetResponse) -> HTML {
        let t = layout.t
        return layout.page(t(ConsoleText.resetPassword), """
            <p class="ok">\(t(ConsoleText.resetDone))</p>
            <table><tr><th>\(t(ConsoleText.username))</th><td>\(result.username)</td></tr>
            <tr><th>\(t(ConsoleText.initialPassword))</th><td><code class="secret">\(result.initialPassword)</code></td></tr></table>
            <p><a href="/console/accounts">\(t(ConsoleText.backToAccounts))</a></p>
            """)
    }

    static func link(_ path: String, search: String?, after: String?) -> String {
        var parts: [String] = []
        if let search, !search.isEmpty { parts.append("q=" + HTML.query(search)) }
        if let after { parts.append("after=" + HTML.query(after)) }
        return path + (parts.isEmpty ? "" : "?" + parts.joined(separator: "&"))
    }

    /// The header of the accounts CSV.
    static func csvHeader(_ language: Language) -> [String] {
        [ConsoleText.username, ConsoleText.role, ConsoleText.organisation, ConsoleText.region,
         ConsoleText.mustChangeColumn].map { $0.text(language) }
    }

    /// The rows of the accounts CSV.
    static func csvRows(_ users: [UserInfo], language: Language, regions: RegionTable) -> [[String]] {
        users.map { user in
            [user.username, user.role.label.text(language), user.orgName ?? user.agency ?? "",
             user.region.map { regions.displayPath(of: $0) } ?? "",
             user.mustChangePassword ? ConsoleText.yes.text(language) : ""]
        }
    }
}
