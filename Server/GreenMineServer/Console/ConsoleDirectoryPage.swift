import Foundation
import GreenMineShared

/// 全国绿色矿山名录, public: the listed mines (a valid certificate of an approved application) with
/// their name, province, main mineral, certificate number and date — nothing private.
enum ConsoleDirectoryPage {
    static func render(_ layout: ConsoleLayout, search: String?, after: String?, page: DirectoryPage,
                       regions: RegionTable) -> HTML {
        let t = layout.t
        let rows: [HTML] = page.entries.map { entry in
            """
            <tr><td>\(entry.mineName)</td><td>\(provinceName(entry.province, regions))</td><td>\(entry.mineral)</td>
            <td><a href="/verify/\(HTML.query(entry.number))">\(entry.number)</a></td><td>\(entry.issuedOn)</td></tr>
            """
        }
        var links: [HTML] = []
        if after != nil {
            links.append("<a href=\"\(link("/directory", search: search, after: nil))\">\(t(ConsoleText.firstPage))</a> ")
        }
        if let next = page.next {
            links.append("<a href=\"\(link("/directory", search: search, after: next))\">\(t(ConsoleText.nextPage))</a>")
        }
        let table: HTML = rows.isEmpty ? "<p class=\"muted\">\(t(ConsoleText.noListedMines))</p>" : """
            <table><thead><tr><th>\(t(ConsoleText.mineName))</th><th>\(t(ConsoleText.province))</th>
            <th>\(t(ConsoleText.mineral))</th><th>\(t(ConsoleText.certificateNumber))</th><th>\(t(ConsoleText.issuedOn))</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
        return layout.page(t(ConsoleText.directory), """
            <form method="get" action="/directory" class="box filters">
            <div><label for="q">\(t(ConsoleText.directorySearch))</label><input type="search" id="q" name="q" value="\(search)"></div>
            <div><button type="submit">\(t(ConsoleText.filter))</button></div>
            </form>
            <p><a href="\(link("/directory.csv", search: search, after: nil))">\(t(ConsoleText.exportCSV))</a></p>
            \(table)
            <p>\(links)</p>
            """)
    }

    static func provinceName(_ code: String?, _ regions: RegionTable) -> String {
        code.map { regions.region($0)?.name ?? $0 } ?? ""
    }

    static func link(_ path: String, search: String?, after: String?) -> String {
        ConsoleAccountsPage.link(path, search: search, after: after)
    }

    /// The CSV's header and rows.
    static func csv(_ entries: [DirectoryEntry], language: Language, regions: RegionTable)
        -> (header: [String], rows: [[String]]) {
        let header = [ConsoleText.mineName, ConsoleText.province, ConsoleText.mineral, ConsoleText.certificateNumber,
                      ConsoleText.issuedOn].map { $0.text(language) }
        let rows = entries.map { [$0.mineName, provinceName($0.province, regions), $0.mineral, $0.number, $0.issuedOn] }
        return (header, rows)
    }
}
