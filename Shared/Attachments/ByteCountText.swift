import Foundation

/// Renders byte counts for messages, in binary megabytes (1 MB = 1,048,576 bytes).
enum ByteCountText {
    /// A limit such as "10 MB" (whole megabytes without decimals).
    static func limit(_ bytes: Int64) -> String {
        bytes % AttachmentRules.megabyte == 0
            ? "\(bytes / AttachmentRules.megabyte) MB"
            : size(bytes)
    }

    /// A file size such as "10.00 MB (10,485,761 bytes)" so that a byte over a limit shows.
    static func size(_ bytes: Int64) -> String {
        let megabytes = Double(bytes) / Double(AttachmentRules.megabyte)
        return String(format: "%.2f", megabytes) + " MB (\(grouped(bytes)) bytes)"
    }

    /// A file size in Chinese, e.g. "10.00 MB（10,485,761 字节）".
    static func sizeZh(_ bytes: Int64) -> String {
        let megabytes = Double(bytes) / Double(AttachmentRules.megabyte)
        return String(format: "%.2f", megabytes) + " MB（\(grouped(bytes)) 字节）"
    }

    /// The number with thousands separators: 10485761 → "10,485,761".
    static func grouped(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return value < 0 ? "-" + out : out
    }
}
