import GreenMineShared

/// The header's links: the pages the signed-in role has (the same role checks as the routes), and the
/// public directory for everyone.
enum ConsoleNavigation {
    /// The pages a role may open, as (path, name).
    static func pages(for user: AuthenticatedUser) -> [(String, LocalizedText)] {
        var pages: [(String, LocalizedText)] = [("/console/", ConsoleText.queue)]
        if ResetScope.of(user) != .nobody { pages.append(("/console/accounts", ConsoleText.accounts)) }
        pages.append(("/console/notices", ConsoleText.notices))
        if ConsoleController.isMinistry(user) {
            pages.append(("/console/dashboard", ConsoleText.dashboard))
            pages.append(("/console/catalogues", ConsoleText.catalogues))
        }
        return pages
    }

    static func links(_ session: ConsoleSession?, language: Language) -> HTML {
        var pages: [(String, LocalizedText)] = []
        if let session, session.user.info.role != .enterprise { pages = Self.pages(for: session.user) }
        pages.append(("/directory", ConsoleText.directory))
        return HTML.join(pages.map { path, name in
            HTML("<a href=\"\(path)\">\(name.text(language))</a>")
        })
    }
}
