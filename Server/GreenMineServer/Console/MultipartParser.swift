import Foundation

/// What a `multipart/form-data` body is made of, in order: a part's headers, its bytes in pieces,
/// its end.
enum MultipartEvent {
    /// A part begins; its headers by lower-case name.
    case part([String: String])
    /// Some of the current part's bytes (a piece of the caller's chunk, never the whole body).
    case data(ArraySlice<UInt8>)
    /// The current part ended.
    case partEnd
}

/// Why a body is not readable `multipart/form-data`.
enum MultipartError: Error, Equatable {
    /// A part's headers are longer than `MultipartParser.maxHeaderBytes`.
    case headersTooLong
    /// Something other than CRLF or `--` follows a boundary.
    case malformed
    /// The body ended before the closing boundary.
    case truncated
}

/// A streaming reader of `multipart/form-data` (RFC 7578): fed the body chunk by chunk, it reports
/// headers and part bytes as they arrive, holding back only what could be the start of a boundary
/// (at most the delimiter's length) or an unfinished header block — never a whole part.
struct MultipartParser {
    /// The most bytes a part's header block may have.
    static let maxHeaderBytes = 16 * 1024

    private enum State {
        case preamble, afterDelimiter, headers, body, done
    }

    /// `CRLF--boundary`: what ends a part (and, after the CRLF the buffer starts with, the first one).
    private let delimiter: [UInt8]
    private var buffer: [UInt8] = [13, 10]
    private var state = State.preamble

    init(boundary: String) {
        delimiter = Array("\r\n--\(boundary)".utf8)
    }

    /// The boundary of a `Content-Type: multipart/form-data; boundary=…` header; nil for other types
    /// or a boundary RFC 2046 does not allow (1 to 70 characters).
    static func boundary(contentType: String) -> String? {
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.first?.lowercased() == "multipart/form-data" else { return nil }
        for part in parts.dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" else { continue }
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            return (1...70).contains(value.utf8.count) ? value : nil
        }
        return nil
    }

    /// Whether the closing boundary was read.
    var isDone: Bool { state == .done }

    /// Reads one more chunk of the body, reporting what it completes.
    mutating func feed(_ chunk: UnsafeRawBufferPointer, _ handle: (MultipartEvent) throws -> Void) throws {
        guard state != .done else { return }
        buffer.append(contentsOf: chunk)
        var start = 0
        defer { buffer.removeFirst(min(start, buffer.count)) }
        scan: while true {
            switch state {
            case .preamble, .body:
                if let found = find(delimiter, from: start) {
                    if state == .body {
                        if found > start { try handle(.data(buffer[start..<found])) }
                        try handle(.partEnd)
                    }
                    start = found + delimiter.count
                    state = .afterDelimiter
                } else {
                    // Keep what could be the start of the delimiter; the rest is the part's.
                    let safe = max(start, buffer.count - (delimiter.count - 1))
                    if state == .body, safe > start { try handle(.data(buffer[start..<safe])) }
                    start = safe
                    break scan
                }
            case .afterDelimiter:
                guard buffer.count - start >= 2 else { break scan }
                if buffer[start] == 45, buffer[start + 1] == 45 {
                    state = .done
                    start = buffer.count
                    break scan
                }
                guard buffer[start] == 13, buffer[start + 1] == 10 else { throw MultipartError.malformed }
                start += 2
                state = .headers
            case .headers:
                if buffer.count - start >= 2, buffer[start] == 13, buffer[start + 1] == 10 {
                    start += 2
                    state = .body
                    try handle(.part([:]))
                } else if let end = find([13, 10, 13, 10], from: start) {
                    let headers = Self.headers(buffer[start..<end])
                    start = end + 4
                    state = .body
                    try handle(.part(headers))
                } else {
                    guard buffer.count - start <= Self.maxHeaderBytes else { throw MultipartError.headersTooLong }
                    break scan
                }
            case .done:
                start = buffer.count
                break scan
            }
        }
    }

    /// Refuses a body that ended before its closing boundary.
    func finish() throws {
        guard state == .done else { throw MultipartError.truncated }
    }

    /// The first index at or after `from` where `needle` starts in the buffer.
    private func find(_ needle: [UInt8], from: Int) -> Int? {
        guard let first = needle.first, buffer.count - from >= needle.count else { return nil }
        return buffer.withUnsafeBufferPointer { haystack -> Int? in
            needle.withUnsafeBufferPointer { pattern -> Int? in
                guard let base = haystack.baseAddress, let wanted = pattern.baseAddress else { return nil }
                var position = from
                let last = haystack.count - pattern.count
                while position <= last {
                    guard let hit = memchr(base + position, Int32(first), last - position + 1) else { return nil }
                    let index = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
                    if memcmp(base + index, wanted, pattern.count) == 0 { return index }
                    position = index + 1
                }
                return nil
            }
        }
    }

    /// `Name: value` lines, names in lower case.
    static func headers(_ bytes: ArraySlice<UInt8>) -> [String: String] {
        var out: [String: String] = [:]
        for line in String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            out[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return out
    }

    /// The `name` and `filename` of a `Content-Disposition: form-data; name="…"; filename="…"` header.
    static func disposition(_ header: String) -> (name: String?, filename: String?) {
        var name: String?
        var filename: String?
        var rest = Substring(header)
        while let semicolon = rest.firstIndex(of: ";") {
            rest = rest[rest.index(after: semicolon)...]
            let trimmed = rest.drop { $0 == " " || $0 == "\t" }
            guard let equals = trimmed.firstIndex(of: "=") else { break }
            let key = trimmed[..<equals].lowercased()
            var value = trimmed[trimmed.index(after: equals)...]
            var text = ""
            if value.first == "\"" {
                value = value.dropFirst()
                var escaped = false
                var consumed = value.startIndex
                for index in value.indices {
                    consumed = value.index(after: index)
                    let character = value[index]
                    if escaped { text.append(character); escaped = false; continue }
                    if character == "\\" { escaped = true; continue }
                    if character == "\"" { break }
                    text.append(character)
                }
                rest = value[consumed...]
            } else {
                let end = value.firstIndex(of: ";") ?? value.endIndex
                text = value[..<end].trimmingCharacters(in: .whitespaces)
                rest = value[end...]
            }
            if key == "name" { name = text }
            if key == "filename" { filename = text }
        }
        return (name, filename)
    }
}
