import Foundation
import GreenMineShared
import Hummingbird
import NIOCore

/// The HTTP side of the console: cookies, forms, the language and the answers it sends.
enum ConsoleHTTP {
    /// The session cookie: it holds the API token (stored hashed, as for the API).
    static let sessionCookie = "gm_session"
    /// The language switch, kept once chosen with `?lang=`.
    static let languageCookie = "gm_lang"
    /// The double-submit token of the login form (no session exists yet).
    static let loginCookie = "gm_login"
    static let forwardedProto = HTTPFields.Element.Name("X-Forwarded-Proto")
    static let extraHeaders: [(HTTPFields.Element.Name?, String)] = [
        (HTTPFields.Element.Name("X-Content-Type-Options"), "nosniff"), (HTTPFields.Element.Name("X-Frame-Options"), "DENY"),
        (HTTPFields.Element.Name("Referrer-Policy"), "same-origin"),
    ]
    /// The most a console form may carry.
    static let formLimit = 64 * 1024

    /// The request's cookies by name (the first of each name).
    static func cookies(_ request: Request) -> [String: String] {
        var out: [String: String] = [:]
        for header in request.headers[values: .cookie] {
            for part in header.split(separator: ";") {
                let pair = part.split(separator: "=", maxSplits: 1)
                guard pair.count == 2 else { continue }
                let name = pair[0].trimmingCharacters(in: .whitespaces)
                if out[name] == nil { out[name] = pair[1].trimmingCharacters(in: .whitespaces) }
            }
        }
        return out
    }

    /// True when the request reached us over TLS (directly or through a proxy that says so).
    static func isSecure(_ request: Request) -> Bool {
        request.head.scheme == "https"
            || forwardedProto.flatMap { request.headers[$0] }?.lowercased() == "https"
    }

    /// A `Set-Cookie` value: HttpOnly, SameSite=Strict, Path=/, Secure over TLS.
    static func cookie(_ name: String, _ value: String, request: Request, maxAge: Int? = nil) -> String {
        var text = "\(name)=\(value); Path=/; HttpOnly; SameSite=Strict"
        if let maxAge { text += "; Max-Age=\(maxAge)" }
        if isSecure(request) { text += "; Secure" }
        return text
    }

    /// The language: `?lang=` first, then the cookie, then `Accept-Language` (English only when its first
    /// choice is English); Chinese by default.
    static func language(_ request: Request) -> Language {
        if let chosen = request.uri.queryParameters.get("lang"), let language = Language(rawValue: chosen) {
            return language
        }
        if let kept = cookies(request)[languageCookie], let language = Language(rawValue: kept) {
            return language
        }
        if let accept = request.headers[.acceptLanguage],
           let first = accept.split(separator: ",").first?.trimmingCharacters(in: .whitespaces).lowercased(),
           first.hasPrefix("en") {
            return .en
        }
        return .zh
    }

    /// The fields of an `application/x-www-form-urlencoded` body (the first of each name).
    static func form(_ request: Request) async throws -> [String: String] {
        let buffer = try await request.body.collect(upTo: formLimit)
        return parseForm(String(buffer: buffer))
    }

    /// Parses `a=1&b=x+y`.
    static func parseForm(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            let name = decode(parts[0])
            if out[name] == nil { out[name] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return out
    }

    /// `default-src 'self'`, and what it does not cover: no `<base>` from elsewhere, forms only to
    /// ourselves, no framing.
    static let contentSecurityPolicy = "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    /// The headers every console answer carries.
    static func headers(contentType: String) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        for (name, value) in extraHeaders {
            if let name { headers[name] = value }
        }
        headers[.cacheControl] = "no-store"
        return headers
    }

    /// An HTML page.
    static func page(_ html: HTML, status: HTTPResponse.Status = .ok, cookies: [String] = []) -> Response {
        var headers = headers(contentType: "text/html; charset=utf-8")
        for cookie in cookies { headers.append(HTTPFields.Element(name: .setCookie, value: cookie)) }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html.text)))
    }

    /// A redirect after a form (303: the browser follows with GET).
    static func redirect(_ location: String, cookies: [String] = []) -> Response {
        var headers = headers(contentType: "text/html; charset=utf-8")
        headers[.location] = location
        for cookie in cookies { headers.append(HTTPFields.Element(name: .setCookie, value: cookie)) }
        return Response(status: .seeOther, headers: headers)
    }
}
