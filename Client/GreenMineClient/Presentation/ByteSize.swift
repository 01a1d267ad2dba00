import Foundation

/// Byte counts for people, in binary units (1 MB = 1,048,576 bytes, as the attachment rules count).
enum ByteSize {
    /// "512 B", "12.5 KB", "45.0 MB", "1.20 GB".
    static func text(_ bytes: Int64) -> String {
        let value = Double(bytes)
        switch bytes {
        case ..<1024: return "\(bytes) B"
        case ..<(1 << 20): return String(format: "%.1f KB", value / 1024)
        case ..<(1 << 30): return String(format: "%.1f MB", value / 1_048_576)
        default: return String(format: "%.2f GB", value / 1_073_741_824)
        }
    }

    /// A rate: "210.3 MB/s".
    static func rate(_ bytesPerSecond: Double) -> String {
        text(Int64(bytesPerSecond.rounded())) + "/s"
    }

    /// A duration as m:ss or h:mm:ss.
    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.up))
        let (hours, minutes, rest) = (total / 3600, (total % 3600) / 60, total % 60)
        return hours > 0 ? String(format: "%d:%02d:%02d", hours, minutes, rest) : String(format: "%d:%02d", minutes, rest)
    }
}
