import Foundation
import GreenMineShared

/// HTML text: every interpolated `String` is escaped, only `HTML` values are inserted as they are, and no
/// other type can be interpolated — so a page cannot carry an unescaped value by accident.
struct HTML: ExpressibleByStringInterpolation, Sendable {
    var text: String

    init(stringLiteral value: String) {
        text = value
    }

    init(stringInterpolation: Interpolation) {
        text = stringInterpolation.text
    }

    /// Builds the text: literals as written, values escaped.
    struct Interpolation: StringInterpolationProtocol {
        var text = ""

        init(literalCapacity: Int, interpolationCount: Int) {
            text.reserveCapacity(literalCapacity + interpolationCount * 16)
        }

        mutating func appendLiteral(_ literal: String) {
            text += literal
        }

        mutating func appendInterpolation(_ value: String) {
            text += HTML.escape(value)
        }

        mutating func appendInterpolation(_ value: String?) {
            text += HTML.escape(value ?? "")
        }

        mutating func appendInterpolation(_ value: Int) {
            text += String(value)
        }

        mutating func appendInterpolation(_ value: HTML) {
            text += value.text
        }

        mutating func appendInterpolation(_ values: [HTML]) {
            for value in values { text += value.text }
        }
    }

    /// Escapes the five characters that matter in text and in quoted attributes.
    static func escape(_ value: String) -> String {
        HTMLEscape.text(value)
    }

    /// Joins fragments.
    static func join(_ parts: [HTML]) -> HTML {
        HTML(stringLiteral: parts.map(\.text).joined())
    }

    /// Percent-encodes a value for a query string.
    static func query(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
