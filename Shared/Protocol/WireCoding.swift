import Foundation

/// The JSON encoder and decoder both sides use, so the wire format has one definition.
///
/// Dates are ISO 8601 in UTC with milliseconds (`2026-12-01T08:30:00.000Z`); decoding also
/// accepts them without fractional seconds. Keys are sorted so output is stable.
public enum WireCoding {
    /// A new encoder with the wire settings.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(formatDate(date))
        }
        return encoder
    }

    /// A new decoder with the wire settings.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = parseDate(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "expected an ISO 8601 date, got \(text)")
            }
            return date
        }
        return decoder
    }

    /// Formats a date as the wire does.
    public static func formatDate(_ date: Date) -> String {
        FastJSON.formatDate(date)
    }

    /// Parses a wire date, with or without fractional seconds.
    public static func parseDate(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) {
            return date
        }
        return try? Date.ISO8601FormatStyle().parse(text)
    }

    /// Encodes a value to wire JSON bytes.
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        try encoder().encode(value)
    }

    /// Decodes a value from wire JSON bytes (numbers longer than `JSONNumberScreen.maxLength` refused).
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try JSONNumberScreen.check(data)
        return try decoder().decode(type, from: data)
    }
}
