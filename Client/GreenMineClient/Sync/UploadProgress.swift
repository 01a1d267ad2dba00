import Foundation

/// Where one blob's upload stands, for the progress line: bytes, rate and time left.
public struct UploadProgress: Sendable, Hashable, Codable {
    /// The file's name as given (first attach that uses it).
    public var name: String
    public var sha256: String
    /// Bytes the server holds.
    public var sent: Int64
    /// The file's size.
    public var total: Int64
    /// Bytes the server already held when this run started on it (a resumed upload).
    public var resumedFrom: Int64
    /// Bytes per second sent by this run.
    public var bytesPerSecond: Double
    /// True once the server holds the whole, verified file.
    public var finished: Bool

    /// Seconds until done at the current rate; nil before there is a rate.
    public var secondsLeft: Double? {
        guard bytesPerSecond > 0 else { return nil }
        return Double(total - sent) / bytesPerSecond
    }
}
