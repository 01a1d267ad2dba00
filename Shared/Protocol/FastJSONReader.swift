import Foundation

/// Why `FastJSONReader` refused a document: the byte offset and what it expected there.
public struct FastJSONReadError: Error, CustomStringConvertible, Sendable {
    /// Where in the input (bytes from the start).
    public var offset: Int
    /// What was wrong, for a person.
    public var reason: String

    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}

/// A strict, hand-written JSON reader over UTF-8 bytes for the hot paths (records in pulls, pushes).
///
/// It reads a strict subset of what `WireCoding`'s `JSONDecoder` accepts and, for that subset, gives
/// exactly the same values (numbers, strings, dates). Anything outside it — malformed JSON, but also
/// JSON that only `JSONDecoder` reads (trailing commas, duplicate keys of a struct, UTF-16, numbers it
/// converts in a special way) — is refused with a `FastJSONReadError`, never a crash; callers then use
/// `WireCoding.decode` (see `WireCoding.decodeFast`), so the two always agree. No recursion beyond
/// `maxDepth` nested containers.
public struct FastJSONReader {
    /// The deepest nesting read, as `JSONDecoder`'s limit.
    public static let maxDepth = 512

    let bytes: UnsafeBufferPointer<UInt8>
    /// The next byte to read.
    public internal(set) var index: Int
    /// Containers open now.
    var depth = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        index = 0
    }

    /// Reads a whole document with `body`; only white space may follow it.
    public static func read<T>(_ data: Data, _ body: (inout FastJSONReader) throws -> T) throws -> T {
        try data.withUnsafeBytes { raw in
            var reader = FastJSONReader(raw.bindMemory(to: UInt8.self))
            reader.skipWhitespace()
            let value = try body(&reader)
            reader.skipWhitespace()
            guard reader.index == reader.bytes.count else { throw reader.error("unexpected text after the document") }
            return value
        }
    }

    /// Reads a whole document as a field value.
    public static func value(_ data: Data) throws -> JSONValue {
        try read(data) { try $0.value() }
    }

    func error(_ reason: String) -> FastJSONReadError {
        FastJSONReadError(offset: index, reason: reason)
    }

    // MARK: tokens

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    /// The next byte after white space, not consumed.
    mutating func peek() throws -> UInt8 {
        skipWhitespace()
        guard index < bytes.count else { throw error("unexpected end of input") }
        return bytes[index]
    }

    mutating func expect(_ byte: UInt8) throws {
        guard try peek() == byte else { throw error("expected '\(Character(Unicode.Scalar(byte)))'") }
        index += 1
    }

    /// Consumes `literal` (e.g. `null`) if the input continues with it.
    mutating func consume(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - index >= count else { return false }
        let start = literal.utf8Start
        for offset in 0..<count where bytes[index + offset] != start[offset] { return false }
        index += count
        return true
    }

    /// True (and consumed) when the next value is `null`.
    public mutating func null() throws -> Bool {
        guard try peek() == UInt8(ascii: "n") else { return false }
        guard consume("null") else { throw error("expected null") }
        return true
    }

    /// A JSON boolean.
    public mutating func bool() throws -> Bool {
        switch try peek() {
        case UInt8(ascii: "t") where consume("true"): return true
        case UInt8(ascii: "f") where consume("false"): return false
        default: throw error("expected true or false")
        }
    }

    // MARK: containers

    /// Reads an object, calling `member` with each key; `member` must read the key's value.
    public mutating func object(_ member: (inout FastJSONReader, String) throws -> Void) throws {
        try expect(UInt8(ascii: "{"))
        depth += 1
        guard depth <= Self.maxDepth else { throw error("nested too deeply") }
        if try peek() == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return
        }
        while true {
            guard try peek() == UInt8(ascii: "\"") else { throw error("expected a key") }
            let key = try string()
            try expect(UInt8(ascii: ":"))
            try member(&self, key)
            switch try peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                depth -= 1
                return
            default: throw error("expected ',' or '}'")
            }
        }
    }

    /// Reads an array, calling `element` for each element; `element` must read it.
    public mutating func array(_ element: (inout FastJSONReader) throws -> Void) throws {
        try expect(UInt8(ascii: "["))
        depth += 1
        guard depth <= Self.maxDepth else { throw error("nested too deeply") }
        if try peek() == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return
        }
        while true {
            try element(&self)
            switch try peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                depth -= 1
                return
            default: throw error("expected ',' or ']'")
            }
        }
    }

    /// An array whose elements `element` reads.
    public mutating func array<T>(of element: (inout FastJSONReader) throws -> T) throws -> [T] {
        var items: [T] = []
        try array { reader in items.append(try element(&reader)) }
        return items
    }

    /// Any value, as `JSONValue`'s `Decodable` conformance reads it.
    public mutating func value() throws -> JSONValue {
        switch try peek() {
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "{"): return .object(try fieldMap())
        case UInt8(ascii: "["): return .array(try array { try $0.value() })
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool(try bool())
        case UInt8(ascii: "n"):
            guard consume("null") else { throw error("expected null") }
            return .null
        default: return try number()
        }
    }

    /// An object of field values; of a repeated key the first value counts, as with `JSONDecoder`.
    public mutating func fieldMap() throws -> [String: JSONValue] {
        var map: [String: JSONValue] = [:]
        try object { reader, key in
            let value = try reader.value()
            if let first = map.updateValue(value, forKey: key) { map[key] = first }
        }
        return map
    }

    /// Reads and drops one value (a member this reader does not keep), checking it is valid JSON.
    public mutating func skipValue() throws {
        _ = try value()
    }

    /// The exact bytes of the next value, checked to be valid JSON (for rare members read by `JSONDecoder`).
    public mutating func rawValue() throws -> Data {
        _ = try peek()
        let start = index
        try skipValue()
        return Data(UnsafeBufferPointer(rebasing: bytes[start..<index]))
    }
}
