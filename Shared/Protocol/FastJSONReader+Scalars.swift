import Foundation

extension FastJSONReader {
    // MARK: strings

    /// A JSON string: valid UTF-8, no raw control characters, escapes including surrogate pairs.
    public mutating func string() throws -> String {
        try expect(UInt8(ascii: "\""))
        let start = index
        var ascii = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = UnsafeBufferPointer(rebasing: bytes[start..<index])
                index += 1
                guard ascii || Self.isValidUTF8(text) else {
                    throw FastJSONReadError(offset: start, reason: "a string is not valid UTF-8")
                }
                return String(decoding: text, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") { return try escapedString(from: start) }
            if byte < 0x20 { throw error("a control character in a string must be escaped") }
            if byte >= 0x80 { ascii = false }
            index += 1
        }
        throw error("unterminated string")
    }

    /// The slow path of `string()`: from the first backslash on, into a buffer.
    private mutating func escapedString(from start: Int) throws -> String {
        var out: [UInt8] = []
        out.reserveCapacity(index - start + 16)
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard out.withUnsafeBufferPointer(Self.isValidUTF8) else {
                    throw FastJSONReadError(offset: start, reason: "a string is not valid UTF-8")
                }
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { throw error("unterminated escape") }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"): try appendUnicodeEscape(to: &out)
                default: throw error("invalid escape")
                }
            case 0..<0x20:
                throw error("a control character in a string must be escaped")
            default:
                out.append(byte)
                index += 1
            }
        }
        throw error("unterminated string")
    }

    /// True for well-formed UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF, nothing cut off.
    static func isValidUTF8(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index < text.count {
            let lead = text[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            let continuation: Int
            switch lead {
            case 0xC2...0xDF: continuation = 1
            case 0xE0: continuation = 2; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: continuation = 2
            case 0xED: continuation = 2; upper = 0x9F
            case 0xF0: continuation = 3; lower = 0x90
            case 0xF1...0xF3: continuation = 3
            case 0xF4: continuation = 3; upper = 0x8F
            default: return false
            }
            guard text.count - index > continuation, text[index + 1] >= lower, text[index + 1] <= upper else {
                return false
            }
            for offset in stride(from: 2, through: continuation, by: 1) where text[index + offset] & 0xC0 != 0x80 {
                return false
            }
            index += continuation + 1
        }
        return true
    }

    /// After `\u`: four hex digits, and for a high surrogate the `\uXXXX` low one that must follow.
    private mutating func appendUnicodeEscape(to out: inout [UInt8]) throws {
        let first = try hex4()
        var scalarValue = UInt32(first)
        if (0xD800..<0xDC00).contains(first) {
            guard bytes.count - index >= 2, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
            else { throw error("a high surrogate without its low surrogate") }
            index += 2
            let second = try hex4()
            guard (0xDC00..<0xE000).contains(second) else { throw error("a high surrogate without its low surrogate") }
            scalarValue = 0x10000 + (UInt32(first - 0xD800) << 10) + UInt32(second - 0xDC00)
        } else if (0xDC00..<0xE000).contains(first) {
            throw error("a low surrogate without its high surrogate")
        }
        guard let scalar = Unicode.Scalar(scalarValue) else { throw error("invalid unicode escape") }
        out.append(contentsOf: String(Character(scalar)).utf8)
    }

    private mutating func hex4() throws -> UInt16 {
        guard bytes.count - index >= 4 else { throw error("a \\u escape needs four hex digits") }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("a \\u escape needs four hex digits")
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    // MARK: numbers

    /// The extent of a number token by the JSON grammar, and whether it has a fraction or exponent.
    private mutating func numberToken() throws -> (start: Int, plain: Bool) {
        _ = try peek()
        let start = index
        var plain = true
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw error("expected a value") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) { throw error("a number may not start with 0") }
        } else {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            plain = false
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("expected a digit after '.'") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            plain = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("expected a digit in the exponent") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        return (start, plain)
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// The value of a token of digits with an optional minus, or nil when it does not fit an `Int`.
    private func integer(_ start: Int, _ end: Int) -> Int? {
        var position = start
        let negative = bytes[position] == UInt8(ascii: "-")
        if negative { position += 1 }
        var value = 0
        while position < end {
            let digit = Int(bytes[position] - UInt8(ascii: "0"))
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = negative ? times.subtractingReportingOverflow(digit)
                : times.addingReportingOverflow(digit)
            guard !overflow1, !overflow2 else { return nil }
            value = next
            position += 1
        }
        return value
    }

    /// A whole number for an `Int` member. Only plain integers are read here; `1.0`, `1e2` and numbers
    /// beyond `Int` are refused (the caller's `JSONDecoder` fallback decides those).
    public mutating func int() throws -> Int {
        let (start, plain) = try numberToken()
        guard plain, let value = integer(start, index) else {
            throw FastJSONReadError(offset: start, reason: "expected a whole number")
        }
        return value
    }

    /// A number as `JSONValue` holds it, as `JSONDecoder` gives it: an `Int` when the number is whole and
    /// fits, otherwise the nearest `Double`. Whole numbers written with a fraction or exponent are `Int`
    /// below 2^53 and `Double` from 2^64; between the two (and for plain integers beyond `Int`) the reader
    /// refuses and leaves the decision to `JSONDecoder`, which reads those digits its own way.
    mutating func number() throws -> JSONValue {
        let (start, plain) = try numberToken()
        if plain {
            guard let value = integer(start, index) else {
                throw FastJSONReadError(offset: start, reason: "an integer beyond Int")
            }
            return .int(value)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let double = Double(text), double.isFinite else {
            throw FastJSONReadError(offset: start, reason: "a number beyond Double")
        }
        // Beyond ±2^64 no reading of the digits fits an Int, so JSONDecoder gives the Double too.
        guard double.rounded(.towardZero) == double, double.magnitude < 18_446_744_073_709_551_616 else {
            return .double(double)
        }
        guard double.magnitude < 9_007_199_254_740_992 else {
            throw FastJSONReadError(offset: start, reason: "a large whole number with a fraction or exponent")
        }
        return .int(Int(double))
    }
}
