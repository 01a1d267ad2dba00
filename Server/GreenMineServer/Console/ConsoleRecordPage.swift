import Foundation
import GreenMineShared

/// What the record page shows besides the record: the outcome of an action just tried, if any.
struct ConsoleOutcome: Sendable {
    /// The transition tried, its comment and agency as typed (kept when it was not applied).
    var transition: Transition
    var comment: String
    var agency: String
    /// Why it was not applied (nil when it was).
    var refusal: LocalizedText? = nil
    /// The version the reviewer had seen, when the record moved meanwhile.
    var movedFrom: Int? = nil
}

/// Everything the record page is drawn from.
struct ConsoleRecordView: Sendable {
    var record: Record
    var findings: [Finding]
    var history: [HistoryEvent]
    /// The transitions this role may take in this state (the Shared workflow table).
    var actions: [Transition]
    var agencies: [Agency]
    var outcome: ConsoleOutcome?
    /// Linked records, evidence and the scoresheet.
    var related = ConsoleRelated()
}

/// 记录详情: the forms by the Shared schema, findings, attachments, opinions, history and actions.
enum ConsoleRecordPage {
    /// The transitions the role may take on this record in its state: the table's roles and from-states,
    /// and the role's scope (the remaining preconditions are decided when the action is applied).
    static func actions(for user: AuthenticatedUser, record: Record, parent: Record?, regions: RegionTable)
        -> [Transition] {
        let subject = WorkflowSubject(record: record, parent: parent)
        guard Workflow.scopeViolation(actor: user.actor, subject: subject, regions: regions) == nil else { return [] }
        return WorkflowTable.transitions(for: record.kind).filter { transition in
            guard let rule = WorkflowTable.rule(transition, kind: record.kind) else { return false }
            return rule.roles.contains(user.info.role) && rule.from.contains(record.state)
        }
    }

    static func render(_ layout: ConsoleLayout, session: ConsoleSession, view: ConsoleRecordView,
                       regions: RegionTable) -> HTML {
        let t = layout.t
        let language = layout.language
        let record = view.record
        let title = (record.text("basic.mineName") ?? record.kind.label.text(language))
        let summary: HTML = """
            <p>\(record.kind.label.text(language)) · \(t(ConsoleText.state)): <strong>\(record.state.label.text(language))</strong>
            · \(t(ConsoleText.version)) \(record.version) · <a href="/console/">\(t(ConsoleText.back))</a></p>
            """
        let related = view.related
        let evidence: HTML = record.kind == .application
            ? "<h2 id=\"evidence\">\(t(ConsoleText.evidence))</h2>\(ConsoleRecordSections.evidence(layout, related))" : ""
        return layout.page(title, """
            <link rel="stylesheet" href="/console/static/record.css">
            \(outcome(layout, view: view))
            \(summary)
            \(actionsSection(layout, session: session, view: view))
            \(contents(layout, record: record, related: related))
            \(ConsoleRecordSections.linked(layout, related))
            <h2 id="forms">\(t(ConsoleText.forms))</h2>
            \(forms(language, record: record, regions: regions))
            <h2 id="files">\(t(ConsoleText.attachments))</h2>
            \(ConsoleRecordSections.attachments(layout, record))
            \(evidence)
            \(ConsoleScoresheetView.render(layout, session: session, related: related))
            <h2 id="findings">\(t(ConsoleText.findings))</h2>
            \(findings(layout, view.findings))
            <h2 id="opinions">\(t(ConsoleText.opinions))</h2>
            \(opinions(layout, view.history))
            <h2 id="history">\(t(ConsoleText.history))</h2>
            \(history(layout, view.history))
            """)
    }

    static func outcome(_ layout: ConsoleLayout, view: ConsoleRecordView) -> HTML {
        guard let outcome = view.outcome else { return "" }
        let t = layout.t
        guard let refusal = outcome.refusal else {
            return "<p class=\"ok\">\(outcome.transition.label.text(layout.language)) · \(t(ConsoleText.applied))</p>"
        }
        guard let from = outcome.movedFrom else {
            return "<p class=\"error\">\(t(ConsoleText.refused))\(refusal.text(layout.language))</p>"
        }
        let changes: [HTML] = view.history.filter { $0.version > from }.map { event in
            let move = event.toState.map { to in
                (event.fromState?.label.text(layout.language) ?? "") + " → " + to.label.text(layout.language)
            } ?? ""
            return "<li>\(event.actorName) (\(event.role.label.text(layout.language))) · \(actionLabel(event.action, layout.language)) \(move) \(event.comment.map { "“" + $0 + "”" } ?? "") · \(ConsoleLayout.time(event.serverTime))</li>"
        }
        return """
            <div class="notice"><p>\(t(ConsoleText.moved))</p>
            <p>\(t(ConsoleText.version)) \(from) → \(view.record.version) · \(t(ConsoleText.state)): \(view.record.state.label.text(layout.language))</p>
            <ul>\(changes)</ul></div>
            """
    }

    static func actionLabel(_ action: String, _ language: Language) -> String {
        Transition(rawValue: action)?.label.text(language) ?? action
    }

    static func actionsSection(_ layout: ConsoleLayout, session: ConsoleSession, view: ConsoleRecordView) -> HTML {
        let t = layout.t
        guard !view.actions.isEmpty else {
            return "<div class=\"box actions\"><h2>\(t(ConsoleText.actions))</h2><p class=\"muted\">\(t(ConsoleText.noActions))</p></div>"
        }
        let forms: [HTML] = view.actions.map { transition in
            // The comment typed for an action that was not applied is kept in that action's form, or in
            // every form when that action is no longer offered.
            let kept = view.outcome.flatMap { tried in
                tried.refusal != nil && (tried.transition == transition || !view.actions.contains(tried.transition))
                    ? tried : nil
            }
            let rule = WorkflowTable.rule(transition, kind: view.record.kind)
            var agency: HTML = ""
            if transition == .assign {
                let options: [HTML] = view.agencies.map { item in
                    item.name == kept?.agency
                        ? "<option value=\"\(item.name)\" selected>\(item.name)</option>"
                        : "<option value=\"\(item.name)\">\(item.name)</option>"
                }
                agency = """
                    <label for="agency-\(transition.rawValue)">\(t(ConsoleText.agency))</label>
                    <select id="agency-\(transition.rawValue)" name="agency">\(options)</select>
                    """
            }
            let required: HTML = rule?.commentRequired == true ? " required" : ""
            return """
                <form id="act-\(transition.rawValue)" method="post" action="/console/records/\(view.record.id.wireString)/act">
                <input type="hidden" name="csrf" value="\(session.csrf)">
                <input type="hidden" name="transition" value="\(transition.rawValue)">
                <input type="hidden" name="version" value="\(view.record.version)">
                \(agency)
                <label for="comment-\(transition.rawValue)">\(t(ConsoleText.comment))</label>
                <textarea id="comment-\(transition.rawValue)" name="comment"\(required)>\(kept?.comment)</textarea>
                <p><button type="submit">\(transition.label.text(layout.language))</button></p>
                </form>
                """
        }
        return "<div class=\"box actions\"><h2>\(t(ConsoleText.actions))</h2>\(forms)</div>"
    }

    static func forms(_ language: Language, record: Record, regions: RegionTable) -> HTML {
        let sections: [HTML] = FormSchema.sections(for: record.kind).map { section in
            let rows: [HTML] = section.fields.map { field in
                "<tr><th>\(field.label.text(language))</th><td>\(value(record.fields[field.path], field: field, language: language, regions: regions))</td></tr>"
            }
            return "<h3 id=\"sec-\(section.id)\">\(section.title.text(language))</h3><table>\(rows)</table>"
        }
        return HTML.join(sections)
    }

    /// A field's value for people: option labels, 是/否, region names.
    static func value(_ value: JSONValue?, field: FormField, language: Language, regions: RegionTable) -> String {
        guard let value else { return "" }
        switch value {
        case .null: return ""
        case .bool(let flag): return flag ? (language == .zh ? "是" : "yes") : (language == .zh ? "否" : "no")
        case .int(let number): return String(number) + (field.unit.map { " " + $0 } ?? "")
        case .double(let number): return String(number) + (field.unit.map { " " + $0 } ?? "")
        case .string(let text):
            if let option = field.options?.first(where: { $0.value == text }) { return option.label.text(language) }
            if field.type == .region, regions.region(text) != nil { return regions.displayPath(of: text) + " (\(text))" }
            return text
        case .array(let items):
            return items.map { Self.value($0, field: field, language: language, regions: regions) }.joined(separator: "、")
        case .object:
            return String(decoding: (try? WireCoding.encode(value)) ?? Data(), as: UTF8.self)
        }
    }

    static func findings(_ layout: ConsoleLayout, _ findings: [Finding]) -> HTML {
        guard !findings.isEmpty else { return "<p class=\"muted\">\(layout.t(ConsoleText.noFindings))</p>" }
        let items: [HTML] = findings.map { finding in
            "<li class=\"finding-\(finding.severity.rawValue)\">\(finding.path): \(finding.message.text(layout.language))</li>"
        }
        return "<ul>\(items)</ul>"
    }

    /// Links to the page's parts, the forms' sections in the schema's order first (as the manual's
    /// tabs: 基本信息, 联系方式, 建设指标, 建设情况, then 附件).
    static func contents(_ layout: ConsoleLayout, record: Record, related: ConsoleRelated) -> HTML {
        let t = layout.t
        var links: [HTML] = FormSchema.sections(for: record.kind).map { section in
            "<a href=\"#sec-\(section.id)\">\(section.title.text(layout.language))</a>"
        }
        links.append("<a href=\"#files\">\(t(ConsoleText.attachments))</a>")
        if record.kind == .application { links.append("<a href=\"#evidence\">\(t(ConsoleText.evidence))</a>") }
        if related.application != nil { links.append("<a href=\"#scoresheet\">\(t(ConsoleText.scoresheet))</a>") }
        links.append("<a href=\"#findings\">\(t(ConsoleText.findings))</a>")
        links.append("<a href=\"#opinions\">\(t(ConsoleText.opinions))</a>")
        links.append("<a href=\"#history\">\(t(ConsoleText.history))</a>")
        return "<nav class=\"toc\" aria-label=\"\(t(ConsoleText.contents))\">\(links)</nav>"
    }

    static func opinions(_ layout: ConsoleLayout, _ history: [HistoryEvent]) -> HTML {
        let opinions = history.filter { $0.action == Transition.opinion.rawValue }
        guard !opinions.isEmpty else { return "<p class=\"muted\">\(layout.t(ConsoleText.noOpinions))</p>" }
        let items: [HTML] = opinions.map { event in
            "<tr><td>\(event.role.label.text(layout.language))</td><td>\(event.actorName)</td><td>\(event.comment)</td><td>\(ConsoleLayout.time(event.serverTime))</td></tr>"
        }
        return "<table>\(items)</table>"
    }

    static func history(_ layout: ConsoleLayout, _ history: [HistoryEvent]) -> HTML {
        let t = layout.t
        let rows: [HTML] = history.map { event in
            let move = event.toState.map { to in
                (event.fromState?.label.text(layout.language) ?? "") + " → " + to.label.text(layout.language)
            } ?? ""
            return """
                <tr><td>\(event.actorName)</td><td>\(event.role.label.text(layout.language))</td>
                <td>\(actionLabel(event.action, layout.language)) \(move)</td>
                <td>\(ConsoleLayout.time(event.deviceTime))</td><td>\(ConsoleLayout.time(event.serverTime))</td>
                <td>\(event.comment)</td></tr>
                """
        }
        return """
            <table><thead><tr><th>\(t(ConsoleText.who))</th><th>\(t(ConsoleText.role))</th><th>\(t(ConsoleText.action))</th>
            <th>\(t(ConsoleText.deviceTime))</th><th>\(t(ConsoleText.serverTime))</th><th>\(t(ConsoleText.comment))</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
    }
}
