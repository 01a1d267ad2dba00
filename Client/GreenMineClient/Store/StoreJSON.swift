import Foundation
import GreenMineShared

/// JSON columns and date columns, written with `WireCoding` so the store and the wire agree.
enum StoreJSON {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try WireCoding.encode(value), as: UTF8.self)
    }

    /// A record as wire JSON, by the fast writer whose output `WireCoding` reads back identically.
    static func encode(_ record: Record) -> String {
        FastJSON.encode(record)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String, what: String) throws -> T {
        do {
            return try WireCoding.decode(type, from: Data(text.utf8))
        } catch {
            throw StoreError.corrupt(what: what, reason: String(describing: error))
        }
    }

    static func date(_ date: Date) -> String {
        WireCoding.formatDate(date)
    }

    static func date(_ text: String?, what: String) throws -> Date? {
        guard let text else { return nil }
        guard let date = WireCoding.parseDate(text) else {
            throw StoreError.corrupt(what: what, reason: "not a date: \(text)")
        }
        return date
    }
}

extension UUID {
    /// The lower-case form ids are stored and shown in.
    var lowercased: String { wireString }
}
