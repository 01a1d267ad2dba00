import Foundation
import Hummingbird
import NIOCore

/// Lists as CSV for Excel: UTF-8 with a byte-order mark, CRLF rows, RFC 4180 quoting, and cells that a
/// spreadsheet would take for a formula (`=`, `+`, `-`, `@`, tab, carriage return first) made text with a
/// leading `'` (CSV injection).
enum ConsoleCSV {
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// One cell: defused, then quoted when it holds a comma, quote or line break.
    static func cell(_ value: String) -> String {
        var text = value
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
            text = "'" + text
        }
        if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            text = "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return text
    }

    /// The document's text (without the byte-order mark).
    static func text(header: [String], rows: [[String]]) -> String {
        ([header] + rows).map { $0.map(cell).joined(separator: ",") + "\r\n" }.joined()
    }

    /// A download: `text/csv`, attachment, not stored by caches, with the console's security headers.
    static func response(filename: String, header: [String], rows: [[String]]) -> Response {
        var headers = ConsoleHTTP.headers(contentType: "text/csv; charset=utf-8")
        headers[.contentDisposition] = "attachment; filename=\"\(filename)\""
        var buffer = ByteBuffer(bytes: byteOrderMark)
        buffer.writeString(text(header: header, rows: rows))
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: buffer))
    }
}
