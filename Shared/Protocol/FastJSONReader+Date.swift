import Foundation

extension FastJSONReader {
    /// A wire date. The form `FastJSON` writes (`YYYY-MM-DDTHH:MM:SS.mmmZ`, ordinary calendar values) is
    /// read here, giving the same `Date` as `ISO8601FormatStyle`; any other text goes to
    /// `WireCoding.parseDate`, so both accept and refuse the same strings.
    public mutating func date() throws -> Date {
        guard try peek() == UInt8(ascii: "\"") else { throw error("expected a date string") }
        if bytes.count - index >= 26, bytes[index + 25] == UInt8(ascii: "\""),
           let date = Self.canonicalDate(UnsafeBufferPointer(rebasing: bytes[(index + 1)..<(index + 25)])) {
            index += 26
            return date
        }
        let start = index
        let text = try string()
        guard let date = WireCoding.parseDate(text) else {
            throw FastJSONReadError(offset: start, reason: "expected an ISO 8601 date, got \(text.prefix(40))")
        }
        return date
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ` in 24 bytes, or nil when the text is anything else or outside the
    /// calendar range checked against `ISO8601FormatStyle` (years 1700 to 9999, no leap seconds, no
    /// day 31 in a 30-day month).
    static func canonicalDate(_ text: UnsafeBufferPointer<UInt8>) -> Date? {
        func digits(_ from: Int, _ count: Int) -> Int? {
            var value = 0
            for position in from..<(from + count) {
                let byte = text[position]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard text.count == 24, text[4] == UInt8(ascii: "-"), text[7] == UInt8(ascii: "-"),
              text[10] == UInt8(ascii: "T"), text[13] == UInt8(ascii: ":"), text[16] == UInt8(ascii: ":"),
              text[19] == UInt8(ascii: "."), text[23] == UInt8(ascii: "Z"),
              let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2),
              let hour = digits(11, 2), let minute = digits(14, 2), let second = digits(17, 2),
              let millisecond = digits(20, 3),
              (1700...9999).contains(year), (1...12).contains(month), hour < 24, minute < 60, second < 60
        else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard day >= 1, day <= monthDays[month - 1] else { return nil }
        // Days from 1970-01-01 (Howard Hinnant's days-from-civil).
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = shiftedYear / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second
        // The same arithmetic as the formatter's, bit for bit (tests compare them).
        return Date(timeIntervalSinceReferenceDate: Double(seconds - 978_307_200) + Double(millisecond) / 1000)
    }
}
