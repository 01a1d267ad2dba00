import Foundation
import GreenMineShared

/// The record page's attachments (by slot, each shown as its type allows), linked records and
/// evidence grouped by indicator.
enum ConsoleRecordSections {
    /// The files of a record by slot, in the order of the Shared attachment table: images inline (a click
    /// opens the full image over the page, by CSS alone), PDFs in the browser's own viewer, videos streamed.
    static func attachments(_ layout: ConsoleLayout, _ record: Record) -> HTML {
        guard !record.attachments.isEmpty else { return "<p class=\"muted\">\(layout.t(ConsoleText.noAttachments))</p>" }
        let known = AttachmentRules.slots(for: record.kind).map(\.id)
        let slots = known.filter { id in record.attachments.contains { $0.slot == id } }
            + Array(Set(record.attachments.map(\.slot)).subtracting(known)).sorted()
        let groups: [HTML] = slots.map { slot in
            let label = AttachmentRules.slot(slot)?.label.text(layout.language) ?? slot
            let files: [HTML] = record.attachments.filter { $0.slot == slot }.map { file(layout, $0) }
            return "<h3>\(label)</h3><div class=\"files\">\(files)</div>"
        }
        return HTML.join(groups)
    }

    /// One file as its type allows.
    static func file(_ layout: ConsoleLayout, _ item: AttachmentRef) -> HTML {
        let address = "/console/blobs/\(item.sha256)"
        let size = String(format: "%.1f KiB", Double(item.size) / 1024)
        let open: HTML = "<a href=\"\(address)\" target=\"_blank\" rel=\"noopener\">\(item.name)</a>"
        let category = ContentType(mime: item.mime)?.category
        switch category {
        case .image?:
            let view = "view-\(item.sha256.prefix(16))"
            return """
                <figure class="file"><a href="#\(view)"><img class="attachment" src="\(address)" alt="\(item.name)"></a>
                <figcaption>\(open) · \(size)</figcaption></figure>
                <div class="lightbox" id="\(view)"><a class="close" href="#files" title="\(layout.t(ConsoleText.close))">×</a>
                <a href="\(address)" target="_blank" rel="noopener"><img src="\(address)" alt="\(item.name)"></a></div>
                """
        case .video?:
            return """
                <figure class="file"><video class="attachment" controls preload="metadata" src="\(address)"></video>
                <figcaption>\(open) · \(item.mime) · \(size)</figcaption></figure>
                """
        case .pdf?:
            return "<figure class=\"file pdf\"><figcaption>\(open) · PDF · \(size) · \(layout.t(ConsoleText.opensInBrowser))</figcaption></figure>"
        case nil:
            return "<figure class=\"file\"><figcaption>\(open) · \(item.mime) · \(size)</figcaption></figure>"
        }
    }

    /// The parent and the children the user may see, each a link to its own page.
    static func linked(_ layout: ConsoleLayout, _ related: ConsoleRelated) -> HTML {
        let language = layout.language
        var rows: [HTML] = []
        if let parent = related.parent {
            rows.append(row(layout, parent, relation: ConsoleText.parentRecord))
        }
        for child in related.children {
            rows.append(row(layout, child, relation: ConsoleText.childRecord))
        }
        guard !rows.isEmpty else { return "" }
        return """
            <h2 id="linked">\(layout.t(ConsoleText.linkedRecords))</h2>
            <table><thead><tr><th>\(layout.t(ConsoleText.relation))</th><th>\(ConsoleText.kind.text(language))</th>
            <th>\(ConsoleText.state.text(language))</th><th>\(layout.t(ConsoleText.about))</th><th>\(ConsoleText.updated.text(language))</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
    }

    static func row(_ layout: ConsoleLayout, _ record: Record, relation: LocalizedText) -> HTML {
        let language = layout.language
        var about = record.text("basic.mineName") ?? ""
        if record.kind == .evidence { about = record.text("evidence.indicator").map { "\(layout.t(ConsoleText.indicator)) \($0)" } ?? "" }
        if record.kind == .assessment { about = record.text("assessment.summary") ?? "" }
        if record.kind == .appeal { about = record.text("appeal.reason") ?? "" }
        return """
            <tr><td>\(layout.t(relation))</td>
            <td><a href="/console/records/\(record.id.wireString)">\(record.kind.label.text(language))</a></td>
            <td>\(record.state.label.text(language))</td><td>\(String(about.prefix(80)))</td>
            <td>\(ConsoleLayout.time(record.updatedAt))</td></tr>
            """
    }

    /// 评价指标佐证材料: the application's evidence records under the catalogue's indicators (primary,
    /// secondary, item), each with its note and files; evidence naming no item of the catalogue last.
    static func evidence(_ layout: ConsoleLayout, _ related: ConsoleRelated) -> HTML {
        let language = layout.language
        let evidence = related.evidence
        guard !evidence.isEmpty else { return "<p class=\"muted\">\(layout.t(ConsoleText.noEvidence))</p>" }
        var byItem: [String: [Record]] = [:]
        for record in evidence { byItem[record.text("evidence.indicator") ?? "", default: []].append(record) }
        var parts: [HTML] = []
        var placed: Set<String> = []
        for primary in related.catalogue?.primaries ?? [] {
            var secondaries: [HTML] = []
            for secondary in primary.secondaries {
                let items: [HTML] = secondary.items.compactMap { item in
                    guard let records = byItem[item.code] else { return nil }
                    placed.insert(item.code)
                    return group(layout, id: item.code, title: "\(item.code) \(item.name.text(language))", records)
                }
                if !items.isEmpty {
                    secondaries.append("<h4>\(secondary.code) \(secondary.name.text(language))</h4>\(items)")
                }
            }
            if !secondaries.isEmpty {
                parts.append("<h3>\(primary.code) \(primary.name.text(language))</h3>\(secondaries)")
            }
        }
        let others = byItem.keys.filter { !placed.contains($0) }.sorted()
        if !others.isEmpty {
            let items: [HTML] = others.map { code in
                group(layout, id: code, title: code.isEmpty ? layout.t(ConsoleText.noIndicator) : code, byItem[code] ?? [])
            }
            parts.append("<h3>\(layout.t(ConsoleText.otherEvidence))</h3>\(items)")
        }
        return HTML.join(parts)
    }

    static func group(_ layout: ConsoleLayout, id: String, title: String, _ records: [Record]) -> HTML {
        let entries: [HTML] = records.map { record in
            let files: [HTML] = record.attachments.map { file(layout, $0) }
            return """
                <div class="evidence"><p>\(record.text("evidence.note") ?? "") <a class="muted" href="/console/records/\(record.id.wireString)">\(record.state.label.text(layout.language)) · \(ConsoleLayout.time(record.updatedAt))</a></p>
                <div class="files">\(files)</div></div>
                """
        }
        return "<div class=\"box\" id=\"ev-\(id)\"><h5>\(title)</h5>\(entries)</div>"
    }
}
