import Foundation
import GreenMineShared

/// What a reviewer does in the console with a real browser: log in, open the queue and a record,
/// fill and submit an action's form. Each step goes through the page as a person would (links,
/// fields, buttons), never by building requests.
extension Browser {
    /// Logs in through the login page (any earlier session's cookies are dropped first).
    func logIn(_ base: URL, _ username: String, _ password: String) throws {
        try open(base.appendingPathComponent("console/login"))
        try deleteCookies()
        try open(base.appendingPathComponent("console/login"))
        try find("input[name=username]").type(username)
        try find("input[name=password]").type(password)
        try submitting { try find("form[action='/console/login'] button[type=submit]").click() }
    }

    /// Runs `press` (a click that submits a form) and waits until the next page has loaded: the old
    /// page is marked first, so a click that returns before the navigation is not taken for its end.
    func submitting(_ press: () throws -> Void) throws {
        _ = try script("window.__greenmineOldPage = true;")
        try press()
        _ = try waitForScript("return window.__greenmineOldPage !== true && document.readyState === 'complete' ? 1 : 0;")
    }

    /// Polls a script until it returns something other than 0, false or null (up to 30 s).
    @discardableResult
    func waitForScript(_ source: String, timeout: Double = 30) throws -> Any? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let value = try? script(source)
            if let value, !(value is NSNull), (value as? Int) != 0, (value as? Bool) != false { return value }
            guard Date() < deadline else { throw HarnessError("waited \(Int(timeout)) s for: \(source)") }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    /// Opens the record's page from the work queue, by following its link there.
    func openFromQueue(_ base: URL, recordId: UUID) throws {
        try open(base.appendingPathComponent("console/"))
        try submitting { try find("a[href='/console/records/\(recordId.wireString)']").click() }
    }

    /// Types a comment into an action's form and presses its button.
    func act(_ transition: String, comment: String? = nil, agency: String? = nil) throws {
        let form = try find("form#act-\(transition)")
        if let agency {
            try form.find("select[name=agency] option[value='\(agency)']").click()
        }
        if let comment {
            let box = try form.find("textarea[name=comment]")
            try box.clear()
            try box.type(comment)
        }
        try submitting { try form.find("button[type=submit]").click() }
    }

    /// The transitions whose forms the record page offers.
    var offeredActions: [String] {
        get throws {
            try all("form[id^='act-']").compactMap { try $0.attribute("id") }.map { String($0.dropFirst(4)) }
        }
    }
}
