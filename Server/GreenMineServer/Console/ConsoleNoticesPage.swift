import Foundation
import GreenMineShared

/// 通知公告: the notices the user may see; a province or the ministry posts one and withdraws its own.
enum ConsoleNoticesPage {
    static func render(_ layout: ConsoleLayout, session: ConsoleSession, notices: [GreenMineShared.Record],
                       canPost: Bool, message: HTML = "", regions: RegionTable) -> HTML {
        let t = layout.t
        let user = session.user.info
        let items: [HTML] = notices.map { notice in
            let scope = notice.region.map { regions.displayPath(of: $0) } ?? t(ConsoleText.wholeScope)
            var withdraw: HTML = ""
            let subject = WorkflowSubject(record: notice)
            if notice.fields[WorkflowFields.owner]?.string == user.id,
               Workflow.deleteViolation(by: user.actor, on: subject, regions: regions) == nil {
                withdraw = """
                    <form method="post" action="/console/notices/\(notice.id.wireString)/withdraw">
                    <input type="hidden" name="csrf" value="\(session.csrf)">
                    <input type="hidden" name="version" value="\(notice.version)">
                    <button type="submit">\(t(ConsoleText.withdraw))</button></form>
                    """
            }
            return """
                <article class="box" id="notice-\(notice.id.wireString)"><h2>\(notice.text("notice.title") ?? "")</h2>
                <p class="muted">\(scope) · \(t(ConsoleText.posted)) \(ConsoleLayout.time(notice.updatedAt))</p>
                <p class="notice-body">\(notice.text("notice.body") ?? "")</p>
                \(withdraw)</article>
                """
        }
        let form: HTML = canPost ? """
            <form method="post" action="/console/notices" class="box">
            <h2>\(t(ConsoleText.postNotice))</h2>
            <input type="hidden" name="csrf" value="\(session.csrf)">
            <label for="title">\(t(ConsoleText.noticeTitle))</label>
            <input type="text" id="title" name="title" maxlength="200" required>
            <label for="body">\(t(ConsoleText.noticeBody))</label>
            <textarea id="body" name="body" required></textarea>
            <label for="region">\(t(ConsoleText.noticeRegion))</label>
            <input type="text" id="region" name="region" placeholder="\(user.region ?? "110000")">
            <p><button type="submit">\(t(ConsoleText.postNotice))</button></p>
            </form>
            """ : ""
        let list: HTML = items.isEmpty ? "<p class=\"muted\">\(t(ConsoleText.noNotices))</p>" : HTML.join(items)
        return layout.page(t(ConsoleText.notices), """
            \(message)
            \(form)
            \(list)
            """)
    }
}
