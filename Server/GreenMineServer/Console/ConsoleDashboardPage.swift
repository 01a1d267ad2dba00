import Foundation
import GreenMineShared

/// The ministry's national dashboard: records of a kind by province × state, as a table and as a
/// stacked bar chart drawn by the server in SVG (presentation attributes only: no inline style).
enum ConsoleDashboardPage {
    /// The reviewed kinds the dashboard counts.
    static let kinds: [RecordKind] = [.application, .preApplication, .appeal]
    /// The states shown, in workflow order (drafts are not the authorities' to see).
    static let states: [RecordState] = RecordState.allCases.filter { $0 != .draft }
    /// One colour per state, in `states` order.
    static let colours = ["#8fb9a8", "#5a9bd5", "#f2b134", "#ed8a3f", "#2f6b3f", "#c0392b", "#9b59b6", "#7f8c8d"]

    /// The table's rows: province (nil: none recorded) and its count per state, provinces by code.
    static func table(_ counts: [DashboardCount]) -> [(province: String?, counts: [RecordState: Int])] {
        var byProvince: [String: [RecordState: Int]] = [:]
        for count in counts {
            byProvince[count.province ?? "", default: [:]][count.state, default: 0] += count.count
        }
        return byProvince.keys.sorted().map { key in
            let province: String? = key.isEmpty ? nil : key
            return (province: province, counts: byProvince[key] ?? [:])
        }
    }

    static func provinceName(_ code: String?, _ layout: ConsoleLayout, _ regions: RegionTable) -> String {
        guard let code else { return layout.t(ConsoleText.unknownProvince) }
        return regions.region(code)?.name ?? code
    }

    static func render(_ layout: ConsoleLayout, kind: RecordKind, counts: [DashboardCount],
                       regions: RegionTable) -> HTML {
        let t = layout.t
        let language = layout.language
        let rows = table(counts)
        let kindLinks: [HTML] = kinds.map { other in
            let name = other.label.text(language)
            if other == kind { return HTML("<strong>\(name)</strong> ") }
            return HTML("<a href=\"/console/dashboard?kind=\(other.rawValue)\">\(name)</a> ")
        }
        let head: [HTML] = states.map { "<th>\($0.label.text(language))</th>" }
        let body: [HTML] = rows.map { row in
            let cells: [HTML] = states.map { "<td>\(row.counts[$0] ?? 0)</td>" }
            let total = row.counts.values.reduce(0, +)
            return "<tr><th>\(provinceName(row.province, layout, regions))</th>\(cells)<td>\(total)</td></tr>"
        }
        let totals: [HTML] = states.map { state in
            let sum = rows.reduce(0) { $0 + ($1.counts[state] ?? 0) }
            return HTML("<td>\(sum)</td>")
        }
        let grand = rows.reduce(0) { $0 + $1.counts.values.reduce(0, +) }
        return layout.page(t(ConsoleText.dashboard), """
            <p>\(t(ConsoleText.kind)): \(kindLinks)</p>
            <h2>\(t(ConsoleText.chart))</h2>
            \(chart(rows, layout: layout, regions: regions))
            <p><a href="/console/dashboard.csv?kind=\(kind.rawValue)">\(t(ConsoleText.exportCSV))</a></p>
            <table class="dashboard"><thead><tr><th>\(t(ConsoleText.province))</th>\(head)<th>\(t(ConsoleText.sum))</th></tr></thead>
            <tbody>\(body)</tbody>
            <tfoot><tr><th>\(t(ConsoleText.sum))</th>\(totals)<td>\(grand)</td></tr></tfoot></table>
            """)
    }

    /// Horizontal stacked bars, one per province, with a legend; scaled to the largest province.
    static func chart(_ rows: [(province: String?, counts: [RecordState: Int])], layout: ConsoleLayout,
                      regions: RegionTable) -> HTML {
        let label = 150
        let width = 600
        let bar = 20
        let gap = 8
        let legendHeight = 24 * ((states.count + 3) / 4)
        let largest = max(1, rows.map { $0.counts.values.reduce(0, +) }.max() ?? 1)
        let height = legendHeight + max(1, rows.count) * (bar + gap) + gap
        var parts: [HTML] = []
        for (index, state) in states.enumerated() {
            let x = (index % 4) * 190
            let y = (index / 4) * 24
            parts.append("""
                <rect x="\(x)" y="\(y + 4)" width="14" height="14" fill="\(colours[index % colours.count])"/><text x="\(x + 20)" y="\(y + 16)" font-size="13">\(state.label.text(layout.language))</text>
                """)
        }
        for (row, entry) in rows.enumerated() {
            let y = legendHeight + gap + row * (bar + gap)
            parts.append("""
                <text x="0" y="\(y + 15)" font-size="13">\(provinceName(entry.province, layout, regions))</text>
                """)
            var x = label
            for (index, state) in states.enumerated() {
                let count = entry.counts[state] ?? 0
                guard count > 0 else { continue }
                let length = max(1, count * width / largest)
                parts.append("""
                    <rect x="\(x)" y="\(y)" width="\(length)" height="\(bar)" fill="\(colours[index % colours.count])"><title>\(state.label.text(layout.language)): \(count)</title></rect>
                    """)
                x += length
            }
            let total = entry.counts.values.reduce(0, +)
            parts.append("<text x=\"\(x + 6)\" y=\"\(y + 15)\" font-size=\"13\">\(total)</text>")
        }
        return """
            <svg class="chart" xmlns="http://www.w3.org/2000/svg" width="\(label + width + 60)" height="\(height)" viewBox="0 0 \(label + width + 60) \(height)" role="img" aria-label="\(layout.t(ConsoleText.chart))">
            \(parts)
            </svg>
            """
    }

    /// The table as CSV rows (header first).
    static func csv(_ counts: [DashboardCount], language: Language, regions: RegionTable) -> (header: [String], rows: [[String]]) {
        let rows = table(counts)
        let header = [ConsoleText.province.text(language)] + states.map { $0.label.text(language) }
            + [ConsoleText.sum.text(language)]
        let body = rows.map { row in
            [row.province.map { regions.region($0)?.name ?? $0 } ?? ConsoleText.unknownProvince.text(language)]
                + states.map { String(row.counts[$0] ?? 0) } + [String(row.counts.values.reduce(0, +))]
        }
        return (header, body)
    }
}
