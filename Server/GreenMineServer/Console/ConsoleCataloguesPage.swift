import Foundation
import GreenMineShared

/// 评价指标体系: the imported indicator catalogues, the one in force first (ministry).
enum ConsoleCataloguesPage {
    static func render(_ layout: ConsoleLayout, catalogues: [CatalogueSummary]) -> HTML {
        let t = layout.t
        let rows: [HTML] = catalogues.map { catalogue in
            let name = catalogue.name.text(layout.language)
            let sample: HTML = catalogue.isSample ? " <span class=\"muted\">(\(t(ConsoleText.sample)))</span>" : ""
            return """
                <tr><td>\(catalogue.id)</td><td>\(name)\(sample)</td><td>\(catalogue.version)</td>
                <td>\(catalogue.items)</td><td>\(ConsoleLayout.time(catalogue.importedAt))</td>
                <td>\(catalogue.inForce ? t(ConsoleText.inForce) : "")</td></tr>
                """
        }
        let table: HTML = rows.isEmpty ? "<p class=\"muted\">\(t(ConsoleText.noCatalogues))</p>" : """
            <table><thead><tr><th>ID</th><th>\(t(ConsoleText.catalogueName))</th><th>\(t(ConsoleText.version))</th>
            <th>\(t(ConsoleText.catalogueItems))</th><th>\(t(ConsoleText.importedAt))</th><th>\(t(ConsoleText.inForce))</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
        return layout.page(t(ConsoleText.catalogues), table)
    }
}
