import Foundation
import GreenMineShared

/// 评估评分表: the catalogue's prerequisites and items with the points given, the totals, every pass
/// rule met or not and the verdict — all from `Catalogue.score`, the computation the server makes at
/// approval. For the assigned agency's assessor it is a form (save, preview) with the report upload.
enum ConsoleScoresheetView {
    /// Points as people read them: `800`, `787.5`.
    static func points(_ value: Double) -> String {
        guard value.isFinite else { return String(value) }
        let rounded = (value * 100).rounded() / 100
        if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int(rounded)) }
        var text = String(format: "%.2f", rounded)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }

    static func render(_ layout: ConsoleLayout, session: ConsoleSession, related: ConsoleRelated) -> HTML {
        let t = layout.t
        guard let application = related.application else { return "" }
        guard let catalogue = related.catalogue else {
            return "<h2 id=\"scoresheet\">\(t(ConsoleText.scoresheet))</h2><p class=\"error\">\(t(ConsoleText.catalogueMissing))</p>"
        }
        if related.assessment == nil, !related.canScore {
            return "<h2 id=\"scoresheet\">\(t(ConsoleText.scoresheet))</h2><p class=\"muted\">\(t(ConsoleText.noAssessment))</p>"
        }
        let message: HTML = related.message.map { message in
            "<p class=\"\(message.ok ? "ok" : "error")\">\(message.text.text(layout.language))</p>"
        } ?? ""
        let notice: HTML = catalogue.notice.map { "<p class=\"notice\">\($0.text(layout.language))</p>" } ?? ""
        let table = sheetTable(layout, catalogue: catalogue, related: related, editable: related.canScore)
        let result = rules(layout, catalogue: catalogue, related: related)
        let heading: HTML = """
            <h2 id="scoresheet">\(t(ConsoleText.scoresheet))</h2>\(message)
            <p>\(t(ConsoleText.catalogue)): \(catalogue.name.text(layout.language)) (\(catalogue.id) · \(catalogue.version))</p>\(notice)
            """
        let reports = reportList(layout, related)
        guard related.canScore else {
            let summary: HTML = related.summary.isEmpty ? "" : "<p><strong>\(t(ConsoleText.conclusion))</strong>: \(related.summary)</p>"
            return "\(heading)\(table)\(result)\(summary)\(reports)"
        }
        let version = related.assessment?.version ?? 0
        let action = "/console/records/\(application.id.wireString)"
        return """
            \(heading)
            <form id="sheet" method="post" action="\(action)/scoresheet" class="box sheet" data-min-total="\(points(catalogue.passRules.minTotal))" data-min-share="\(String(catalogue.passRules.minPrimaryShare))">
            <input type="hidden" name="csrf" value="\(session.csrf)">
            <input type="hidden" name="version" value="\(version)">
            \(table)
            <label for="summary">\(t(ConsoleText.conclusion))</label>
            <textarea id="summary" name="summary">\(related.summary)</textarea>
            <p><button type="submit" name="do" value="preview" class="secondary">\(t(ConsoleText.preview))</button>
            <button type="submit" name="do" value="save">\(t(ConsoleText.saveScores))</button></p>
            </form>
            \(result)
            \(reports)
            <form method="post" action="\(action)/report" enctype="multipart/form-data" class="box">
            <input type="hidden" name="csrf" value="\(session.csrf)">
            <label for="report">\(t(ConsoleText.reportUpload))</label>
            <input type="file" id="report" name="report" accept="application/pdf,.pdf" required>
            <p class="muted">\(t(ConsoleText.reportLimit))</p>
            <p><button type="submit">\(t(ConsoleText.upload))</button></p>
            </form>
            <script src="/console/static/scoresheet.js" defer></script>
            """
    }

    /// The prerequisites and items, with the points per primary and the total.
    static func sheetTable(_ layout: ConsoleLayout, catalogue: Catalogue, related: ConsoleRelated, editable: Bool) -> HTML {
        let t = layout.t
        let language = layout.language
        let score = related.score
        var evidence: [String: Int] = [:]
        for record in related.evidence {
            if let code = record.text("evidence.indicator") { evidence[code, default: 0] += 1 }
        }
        let prerequisites: [HTML] = catalogue.prerequisites.map { prerequisite in
            let met = related.sheet.prerequisites[prerequisite.code]
            let cell: HTML
            if editable {
                let typed = related.typed["p.\(prerequisite.code)"] ?? met.map { $0 ? "yes" : "no" } ?? ""
                let name = "p.\(prerequisite.code)"
                func radio(_ value: String, _ label: LocalizedText) -> HTML {
                    let id = "p-\(prerequisite.code)-\(value.isEmpty ? "unset" : value)"
                    let checked: HTML = typed == value ? " checked" : ""
                    return "<input type=\"radio\" id=\"\(id)\" name=\"\(name)\" value=\"\(value)\"\(checked)><label class=\"inline\" for=\"\(id)\">\(t(label))</label> "
                }
                cell = "\(radio("yes", ConsoleText.met))\(radio("no", ConsoleText.notMet))\(radio("", ConsoleText.unstated))"
            } else {
                cell = answer(layout, met)
            }
            return "<tr><td>\(prerequisite.code)</td><td colspan=\"3\">\(prerequisite.name.text(language))</td><td>\(cell)</td></tr>"
        }
        var rows: [HTML] = []
        for primary in catalogue.primaries {
            let primaryScore = score?.primaries.first { $0.code == primary.code }
            let got = primaryScore.map { points($0.points) } ?? "0"
            rows.append("""
                <tr class="primary"><th>\(primary.code)</th><th colspan="2">\(primary.name.text(language))</th>
                <th>\(points(primary.maxPoints))</th><th><output id="primary-\(primary.code)" data-max="\(points(primary.maxPoints))">\(got)</output></th></tr>
                """)
            for secondary in primary.secondaries {
                for item in secondary.items {
                    let given = related.sheet.items[item.code]
                    let cell: HTML
                    if editable {
                        let value = related.typed["s.\(item.code)"] ?? given.map(points) ?? ""
                        cell = """
                            <input type="number" class="points" name="s.\(item.code)" value="\(value)" min="0" max="\(points(item.maxPoints))" step="any" data-primary="\(primary.code)" aria-label="\(item.code)">
                            """
                    } else {
                        cell = HTML(stringLiteral: given.map(points).map(HTML.escape) ?? "–")
                    }
                    let count = evidence[item.code] ?? 0
                    let link: HTML = count > 0 ? " <a class=\"muted\" href=\"#ev-\(item.code)\">\(t(ConsoleText.evidenceCount)) \(count)</a>" : ""
                    rows.append("""
                        <tr><td>\(item.code)</td><td>\(secondary.name.text(language))</td><td>\(item.name.text(language))\(link)</td>
                        <td>\(points(item.maxPoints))</td><td>\(cell)</td></tr>
                        """)
                }
            }
        }
        let total = score.map { points($0.total) } ?? "0"
        return """
            <table class="scoresheet"><thead><tr><th>\(t(ConsoleText.code))</th><th colspan="2">\(t(ConsoleText.indicatorItem))</th>
            <th>\(t(ConsoleText.maxPoints))</th><th>\(t(ConsoleText.pointsGiven))</th></tr></thead>
            <tbody><tr class="primary"><th colspan="5">\(t(ConsoleText.prerequisites))</th></tr>\(prerequisites)\(rows)</tbody>
            <tfoot><tr><th colspan="3">\(t(ConsoleText.total))</th><th>\(points(catalogue.maxTotal))</th>
            <th><output id="total">\(total)</output></th></tr></tfoot></table>
            """
    }

    static func answer(_ layout: ConsoleLayout, _ met: Bool?) -> HTML {
        switch met {
        case true?: "<span class=\"pass\">\(layout.t(ConsoleText.met))</span>"
        case false?: "<span class=\"fail\">\(layout.t(ConsoleText.notMet))</span>"
        case nil: "<span class=\"muted\">\(layout.t(ConsoleText.unstated))</span>"
        }
    }

    /// Every pass rule met or not, and the verdict with its reasons, from `Catalogue.score`.
    static func rules(_ layout: ConsoleLayout, catalogue: Catalogue, related: ConsoleRelated) -> HTML {
        let t = layout.t
        let language = layout.language
        guard let score = related.score else { return "" }
        func mark(_ met: Bool) -> HTML {
            met ? "<td class=\"pass\">✓ \(t(ConsoleText.ruleMet))</td>" : "<td class=\"fail\">✗ \(t(ConsoleText.ruleNotMet))</td>"
        }
        var rows: [HTML] = catalogue.prerequisites.map { prerequisite in
            "<tr><td>\(t(ConsoleText.prerequisite)) \(prerequisite.code) \(prerequisite.name.text(language))</td>\(mark(related.sheet.prerequisites[prerequisite.code] == true))</tr>"
        }
        rows.append("""
            <tr id="rule-total"><td>\(t(ConsoleText.totalRule)) \(points(score.total)) ≥ \(points(catalogue.passRules.minTotal))</td>\(mark(catalogue.meetsTotal(score.total)))</tr>
            """)
        for primary in score.primaries {
            let minimum = catalogue.passRules.minPrimaryShare * primary.maxPoints
            rows.append("""
                <tr id="rule-\(primary.code)"><td>\(primary.code) \(primary.name.text(language)): \(points(primary.points)) ≥ \(points(minimum)) (\(points(catalogue.passRules.minPrimaryShare * 100))% × \(points(primary.maxPoints)))</td>\(mark(catalogue.meetsShare(primary)))</tr>
                """)
        }
        let verdict: HTML = score.passed
            ? "<p class=\"ok verdict\" id=\"verdict\">\(t(ConsoleText.passes))</p>"
            : "<p class=\"error verdict\" id=\"verdict\">\(t(ConsoleText.doesNotPass))</p>"
        let reasons: [HTML] = score.reasons.map { "<li>\($0.message.text(language))</li>" }
        return """
            <h3>\(t(ConsoleText.passRules))</h3>
            <table class="rules"><tbody>\(rows)</tbody></table>
            \(verdict)\(reasons.isEmpty ? "" : HTML("<ul class=\"reasons\">\(reasons)</ul>"))
            """
    }

    /// The assessment's reports, each openable in the browser's PDF viewer.
    static func reportList(_ layout: ConsoleLayout, _ related: ConsoleRelated) -> HTML {
        let reports = related.assessment?.attachments.filter { $0.slot == "assessment.report" } ?? []
        guard !reports.isEmpty else {
            return "<h3>\(layout.t(ConsoleText.reports))</h3><p class=\"muted\">\(layout.t(ConsoleText.noReports))</p>"
        }
        let files: [HTML] = reports.map { ConsoleRecordSections.file(layout, $0) }
        return "<h3>\(layout.t(ConsoleText.reports))</h3><div class=\"files\">\(files)</div>"
    }
}
