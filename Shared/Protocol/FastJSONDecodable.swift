import Foundation

/// A wire type `FastJSONReader` reads directly, member by member, as its `Decodable` conformance would.
public protocol FastJSONDecodable: Decodable {
    /// Reads one value of this type at the reader's position.
    static func read(from reader: inout FastJSONReader) throws -> Self
}

extension WireCoding {
    /// Decodes with `FastJSONReader`, and with `JSONDecoder` whenever the reader refuses the bytes, so the
    /// result (or the error, which is always `JSONDecoder`'s) is exactly that of `decode(_:from:)`.
    public static func decodeFast<T: FastJSONDecodable>(_ type: T.Type, from data: Data) throws -> T {
        if let value = try? FastJSONReader.decode(type, from: data) { return value }
        return try decode(type, from: data)
    }
}

extension FastJSONReader {
    /// Reads a whole document as `type` with the fast reader alone (no fallback).
    public static func decode<T: FastJSONDecodable>(_ type: T.Type, from data: Data) throws -> T {
        try read(data) { try T.read(from: &$0) }
    }

    /// Reads an object into a type's members. `member` reads the value of a key it knows and returns its
    /// bit (a distinct power of two) or returns 0 without reading for any other key, whose value is then
    /// checked and dropped. A known key given twice is refused (`JSONDecoder` keeps the first).
    public mutating func members(_ member: (inout FastJSONReader, String) throws -> UInt32) throws -> UInt32 {
        var seen: UInt32 = 0
        try object { reader, key in
            let bit = try member(&reader, key)
            if bit == 0 {
                try reader.skipValue()
            } else if seen & bit != 0 {
                throw reader.error("the key \(key.prefix(40)) is given twice")
            }
            seen |= bit
        }
        return seen
    }

    /// Refuses an object that lacked a required member.
    public func require(_ seen: UInt32, _ required: UInt32, _ type: String) throws {
        guard seen & required == required else { throw error("a \(type) lacks a required member") }
    }

    /// A `UUID` in its string form.
    public mutating func uuid() throws -> UUID {
        let start = index
        guard let value = UUID(text: try string()) else {
            throw FastJSONReadError(offset: start, reason: "expected a UUID")
        }
        return value
    }

    /// A string enum by its raw value.
    public mutating func rawValue<E: RawRepresentable>(_ type: E.Type) throws -> E where E.RawValue == String {
        let start = index
        guard let value = E(rawValue: try string()) else {
            throw FastJSONReadError(offset: start, reason: "an unknown \(type) value")
        }
        return value
    }

    /// nil for `null`, otherwise what `read` reads (an optional member, as `decodeIfPresent`).
    public mutating func optional<T>(_ read: (inout FastJSONReader) throws -> T) throws -> T? {
        try null() ? nil : try read(&self)
    }
}
