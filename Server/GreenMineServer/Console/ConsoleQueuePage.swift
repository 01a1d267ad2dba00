import Foundation
import GreenMineShared

/// 待办: what awaits a role's action, read off the Shared workflow table.
enum ConsoleWorkQueue {
    /// Whether a transition the role may take from this state is one something waits for: removing a
    /// listed mine and reassigning an application already with an agency are the authority's initiative,
    /// not a step a pending review waits on.
    static func isAwaited(_ transition: Transition, from state: RecordState) -> Bool {
        transition != .remove && !(transition == .assign && state == .assessing)
    }

    /// The reviewed kinds and states from which this role has a transition to take.
    static func awaited(for role: Role) -> [QueuePair] {
        var pairs: [QueuePair] = []
        for rule in WorkflowTable.rules where rule.roles.contains(role) {
            for kind in RecordKind.allCases where rule.kinds.contains(kind) && WorkflowTable.reviewedKinds.contains(kind) {
                for state in RecordState.allCases where rule.from.contains(state) && isAwaited(rule.transition, from: state) {
                    let pair = QueuePair(kind: kind, state: state)
                    if !pairs.contains(pair) { pairs.append(pair) }
                }
            }
        }
        return pairs
    }
}

/// The work queue page.
enum ConsoleQueuePage {
    static func render(_ layout: ConsoleLayout, query: QueueQuery, page: QueuePage, regions: RegionTable) -> HTML {
        let t = layout.t
        let language = layout.language
        let kinds = RecordKind.allCases.filter { kind in query.awaited.contains { $0.kind == kind } }
        let states = RecordState.allCases.filter { state in query.awaited.contains { $0.state == state } }
        func option(_ value: String, _ label: String, selected: Bool) -> HTML {
            selected ? "<option value=\"\(value)\" selected>\(label)</option>" : "<option value=\"\(value)\">\(label)</option>"
        }
        let kindOptions = [option("", t(ConsoleText.all), selected: query.kind == nil)]
            + kinds.map { option($0.rawValue, $0.label.text(language), selected: query.kind == $0) }
        let stateOptions = [option("", t(ConsoleText.all), selected: query.state == nil)]
            + states.map { option($0.rawValue, $0.label.text(language), selected: query.state == $0) }
        let counts: [HTML] = query.awaited.compactMap { pair in
            guard let count = page.counts[pair], count > 0 else { return nil }
            return "<span>\(pair.kind.label.text(language)) · \(pair.state.label.text(language)): \(count)</span>"
        }
        let rows: [HTML] = page.records.map { record in
            let name = record.text("basic.mineName") ?? record.text("basic.holder") ?? record.id.wireString
            return """
                <tr><td><a href="/console/records/\(record.id.wireString)">\(name)</a></td>
                <td>\(record.kind.label.text(language))</td><td>\(record.state.label.text(language))</td>
                <td>\(record.region.map { regions.displayPath(of: $0) } ?? "")</td>
                <td>\(record.text(FormSchema.licencePath) ?? "")</td>
                <td>\(ConsoleLayout.time(record.updatedAt))</td></tr>
                """
        }
        var links: [HTML] = []
        if query.after != nil {
            links.append("<a href=\"\(pageLink(query, after: nil))\">\(t(ConsoleText.firstPage))</a> ")
        }
        if let next = page.next {
            links.append("<a href=\"\(pageLink(query, after: next))\">\(t(ConsoleText.nextPage))</a>")
        }
        let table: HTML = rows.isEmpty ? "<p class=\"muted\">\(t(ConsoleText.nothingAwaits))</p>" : """
            <table><thead><tr><th>\(t(ConsoleText.mineName))</th><th>\(t(ConsoleText.kind))</th><th>\(t(ConsoleText.state))</th>
            <th>\(t(ConsoleText.region))</th><th>\(t(ConsoleText.licence))</th><th>\(t(ConsoleText.updated))</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
        return layout.page(t(ConsoleText.queue), """
            <form method="get" action="/console/" class="box filters">
            <div><label for="kind">\(t(ConsoleText.kind))</label><select id="kind" name="kind">\(kindOptions)</select></div>
            <div><label for="state">\(t(ConsoleText.state))</label><select id="state" name="state">\(stateOptions)</select></div>
            <div><label for="region">\(t(ConsoleText.region))</label><input type="text" id="region" name="region" value="\(query.region)" placeholder="130102"></div>
            <div><label for="q">\(t(ConsoleText.search))</label><input type="search" id="q" name="q" value="\(query.search)"></div>
            \(dateAndSortControls(layout, query: query))
            <div><button type="submit">\(t(ConsoleText.filter))</button></div>
            </form>
            <p class="counts">\(counts)</p>
            \(table)
            <p>\(links)</p>
            """)
    }

    /// The queue's address with its filters, order and a cursor.
    static func pageLink(_ query: QueueQuery, after: QueueCursor?) -> String {
        var parts: [String] = []
        if let kind = query.kind { parts.append("kind=" + kind.rawValue) }
        if let state = query.state { parts.append("state=" + state.rawValue) }
        if let region = query.region, !region.isEmpty { parts.append("region=" + HTML.query(region)) }
        if let search = query.search, !search.isEmpty { parts.append("q=" + HTML.query(search)) }
        if let from = query.updatedFrom { parts.append("from=" + ConsoleQueueDates.day(from)) }
        if let before = query.updatedBefore {
            parts.append("to=" + ConsoleQueueDates.day(before.addingTimeInterval(-ConsoleQueueDates.dayLength)))
        }
        if query.sort != .newest { parts.append("sort=" + query.sort.rawValue) }
        if let after { parts.append("after=" + HTML.query(after.text)) }
        return "/console/" + (parts.isEmpty ? "" : "?" + parts.joined(separator: "&"))
    }
}
