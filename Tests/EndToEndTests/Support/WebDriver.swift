import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real browser for the console's end-to-end tests: Debian's `chromedriver` (started on a free
/// loopback port) driving a headless `chromium` through W3C WebDriver, plain HTTP/JSON on loopback.
/// `.ci/run` installs both packages; without them the tests fail and say how to install them.
final class Browser: Sendable {
    let driver: ChildProcess
    let driverPort: Int
    let session: String
    let profile: URL
    /// Where screenshots go when `GREENMINE_SCREENSHOTS` names a folder (docs/screenshots when the
    /// README's pictures are remade), else nowhere.
    let screenshotFolder: URL?

    static let driverPath = "/usr/bin/chromedriver"
    static let chromiumPath = "/usr/bin/chromium"

    /// Starts chromedriver and a browser session; `language` is the browser's Accept-Language.
    static func start(logs: URL, language: String = "zh-CN") async throws -> Browser {
        guard FileManager.default.isExecutableFile(atPath: driverPath),
              FileManager.default.isExecutableFile(atPath: chromiumPath) else {
            throw HarnessError("the browser tests need Debian's chromium and chromium-driver: apt-get install -y chromium chromium-driver (.ci/run does this)")
        }
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let driver = try ChildProcess(
            executable: URL(fileURLWithPath: driverPath),
            arguments: ["--port=0", "--log-path=\(logs.appendingPathComponent("chromedriver.log").path)"],
            // Chromium puts its singleton socket under TMPDIR: a long test folder there overflows a
            // socket address (108 bytes) and the browser exits at once, so TMPDIR stays /tmp. Without a UTF-8
            // locale, chromedriver cannot find a file whose name is Chinese.
            environment: ["PATH": "/usr/bin:/bin", "HOME": logs.path, "TMPDIR": "/tmp", "LANG": "C.UTF-8"],
            stdin: nil, outputStem: logs.appendingPathComponent("chromedriver"))
        guard await driver.waitForOutput("started successfully on port", timeout: 30) else {
            driver.signal(SIGKILL)
            throw HarnessError("chromedriver did not start: \(driver.stdoutText()) \(driver.stderrText())")
        }
        let text = driver.stdoutText()
        guard let range = text.range(of: "started successfully on port "),
              let port = Int(text[range.upperBound...].prefix { $0.isNumber }) else {
            driver.signal(SIGKILL)
            throw HarnessError("chromedriver's port is not in its output: \(text)")
        }
        let profile = URL(fileURLWithPath: "/tmp/greenmine-chromium-\(UUID().uuidString.prefix(8))")
        let capabilities: [String: Any] = ["capabilities": ["alwaysMatch": [
            "browserName": "chrome",
            "goog:chromeOptions": [
                "binary": chromiumPath,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--window-size=1280,1000", "--user-data-dir=\(profile.path)", "--lang=\(language)",
                         "--no-first-run", "--no-default-browser-check", "--disable-extensions"],
                "prefs": ["intl.accept_languages": language],
            ] as [String: Any],
        ] as [String: Any]]]
        let reply: Any
        do {
            reply = try WebDriverWire.send(port: port, "POST", "/session", capabilities, timeout: 90)
        } catch {
            driver.signal(SIGKILL)
            throw error
        }
        guard let value = (reply as? [String: Any])?["value"] as? [String: Any],
              let session = value["sessionId"] as? String else {
            driver.signal(SIGKILL)
            throw HarnessError("no WebDriver session: \(reply)")
        }
        let folder = ProcessInfo.processInfo.environment["GREENMINE_SCREENSHOTS"].map { URL(fileURLWithPath: $0) }
        return Browser(driver: driver, driverPort: port, session: session, profile: profile, screenshotFolder: folder)
    }

    private init(driver: ChildProcess, driverPort: Int, session: String, profile: URL, screenshotFolder: URL?) {
        self.driver = driver
        self.driverPort = driverPort
        self.session = session
        self.profile = profile
        self.screenshotFolder = screenshotFolder
    }

    /// Ends the session and the driver (and its browser), and removes the browser's profile.
    func quit() async {
        _ = try? WebDriverWire.send(port: driverPort, "DELETE", "/session/\(session)", nil, timeout: 20)
        driver.signal(SIGTERM)
        if !(await driver.wait(timeout: 5)) { driver.signal(SIGKILL) }
        try? FileManager.default.removeItem(at: profile)
    }

    @discardableResult
    func command(_ method: String, _ path: String, _ body: [String: Any]? = nil) throws -> Any? {
        let reply = try WebDriverWire.send(port: driverPort, method, "/session/\(session)" + path,
                                           body ?? (method == "POST" ? [:] : nil), timeout: 60)
        let value = (reply as? [String: Any])?["value"]
        if let error = value as? [String: Any], let code = error["error"] as? String {
            throw WebDriverError(code: code, message: error["message"] as? String ?? "")
        }
        return value
    }

    // MARK: - Pages

    /// Opens an address and waits for it to load.
    func open(_ url: URL) throws {
        try command("POST", "/url", ["url": url.absoluteString])
    }

    var currentURL: String {
        get throws { try command("GET", "/url") as? String ?? "" }
    }

    var title: String {
        get throws { try command("GET", "/title") as? String ?? "" }
    }

    /// The page's source as the browser holds it.
    var source: String {
        get throws { try command("GET", "/source") as? String ?? "" }
    }

    /// The visible text of the whole page.
    var text: String {
        get throws { try find("body").text }
    }

    /// The first element matching a CSS selector (an error when there is none).
    func find(_ css: String) throws -> Element {
        let value = try command("POST", "/element", ["using": "css selector", "value": css])
        guard let id = Self.elementId(value) else { throw HarnessError("no element \(css): \(String(describing: value))") }
        return Element(browser: self, id: id, selector: css)
    }

    /// Every element matching a CSS selector.
    func all(_ css: String) throws -> [Element] {
        let value = try command("POST", "/elements", ["using": "css selector", "value": css])
        return (value as? [Any] ?? []).compactMap { Self.elementId($0) }.map {
            Element(browser: self, id: $0, selector: css)
        }
    }

    /// Runs a script in the page (only to read what a user sees, e.g. whether an image decoded).
    func script(_ source: String, _ arguments: [Any] = []) throws -> Any? {
        try command("POST", "/execute/sync", ["script": source, "args": arguments])
    }

    /// The cookies the browser holds for the current page.
    var cookies: [[String: Any]] {
        get throws { try command("GET", "/cookie") as? [[String: Any]] ?? [] }
    }

    func deleteCookies() throws {
        try command("DELETE", "/cookie")
    }

    /// A PNG of the window, written as `name.png` in the screenshot folder when one is set.
    @discardableResult
    func screenshot(_ name: String) throws -> Data {
        guard let encoded = try command("GET", "/screenshot") as? String,
              let data = Data(base64Encoded: encoded) else { throw HarnessError("no screenshot") }
        if let folder = screenshotFolder {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try data.write(to: folder.appendingPathComponent(name + ".png"))
        }
        return data
    }

    /// Sets the window size (for screenshots of a whole page).
    func resize(width: Int, height: Int) throws {
        try command("POST", "/window/rect", ["width": width, "height": height])
    }

    static func elementId(_ value: Any?) -> String? {
        (value as? [String: Any])?["element-6066-11e4-a52e-4f735466cecf"] as? String
    }

    /// One element of the page.
    struct Element: Sendable {
        let browser: Browser
        let id: String
        let selector: String

        var text: String {
            get throws { try browser.command("GET", "/element/\(id)/text") as? String ?? "" }
        }

        func attribute(_ name: String) throws -> String? {
            try browser.command("GET", "/element/\(id)/attribute/\(name)") as? String
        }

        func property(_ name: String) throws -> Any? {
            try browser.command("GET", "/element/\(id)/property/\(name)")
        }

        func click() throws {
            try browser.command("POST", "/element/\(id)/click")
        }

        func clear() throws {
            try browser.command("POST", "/element/\(id)/clear")
        }

        /// Types text (a file path, for a file input).
        func type(_ text: String) throws {
            try browser.command("POST", "/element/\(id)/value", ["text": text])
        }

        /// The first element inside this one matching a CSS selector.
        func find(_ css: String) throws -> Element {
            let value = try browser.command("POST", "/element/\(id)/element", ["using": "css selector", "value": css])
            guard let child = Browser.elementId(value) else { throw HarnessError("no element \(css) in \(selector)") }
            return Element(browser: browser, id: child, selector: selector + " " + css)
        }
    }
}

/// An error the browser reported (W3C WebDriver error code and message).
struct WebDriverError: Error, CustomStringConvertible {
    let code: String
    let message: String
    var description: String { "WebDriver \(code): \(message)" }
}

/// HTTP/1.1 to chromedriver over a loopback socket, one request per connection (`Connection: close`),
/// read to the end: small, and independent of how URLSession takes chromedriver's header lines.
enum WebDriverWire {
    static func send(port: Int, _ method: String, _ path: String, _ body: Any?, timeout: Int) throws -> Any {
        let payload = try body.map { try JSONSerialization.data(withJSONObject: $0) } ?? Data()
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        if body != nil {
            head += "Content-Type: application/json; charset=utf-8\r\nContent-Length: \(payload.count)\r\n"
        }
        head += "\r\n"
        let reply = try exchange(port: port, Data(head.utf8) + payload, timeout: timeout)
        guard let split = reply.range(of: Data("\r\n\r\n".utf8)) else {
            throw HarnessError("chromedriver answered no HTTP head to \(method) \(path)")
        }
        let data = reply[split.upperBound...]
        guard !data.isEmpty else { return [String: Any]() }
        return try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    }

    private static func exchange(port: Int, _ request: Data, timeout: Int) throws -> Data {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket: \(errno)") }
        defer { close(fd) }
        var limit = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw HarnessError("cannot reach chromedriver on port \(port): errno \(errno)") }
        try request.withUnsafeBytes { raw in
            var sent = 0
            while sent < raw.count {
                let n = Glibc.send(fd, raw.baseAddress?.advanced(by: sent), raw.count - sent, Int32(MSG_NOSIGNAL))
                guard n > 0 else { throw HarnessError("sending to chromedriver: errno \(errno)") }
                sent += n
            }
        }
        // chromedriver keeps the connection open after its answer despite `Connection: close`: the
        // answer ends where its Content-Length says.
        var reply = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while !isComplete(reply) {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n == 0 { break }
            guard n > 0 else { throw HarnessError("reading from chromedriver: errno \(errno) (timeout \(timeout) s)") }
            reply.append(contentsOf: buffer[0..<n])
        }
        return reply
    }

    /// Whether the bytes hold a whole answer: a head, and as many body bytes as its Content-Length.
    private static func isComplete(_ reply: Data) -> Bool {
        guard let split = reply.range(of: Data("\r\n\r\n".utf8)) else { return false }
        let head = String(decoding: reply[..<split.lowerBound], as: UTF8.self)
        for line in head.split(separator: "\r\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "content-length",
               let length = Int(parts[1].trimmingCharacters(in: .whitespaces)) {
                return reply.count - split.upperBound >= length
            }
        }
        return false
    }
}
