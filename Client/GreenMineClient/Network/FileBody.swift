import Foundation

/// A byte range of a file sent as a request body: streamed from disk by the transport, so an
/// upload chunk is never held in memory whole.
public struct FileBody: Sendable, Hashable {
    /// The file.
    public var path: String
    /// Where the range starts.
    public var offset: Int64
    /// How many bytes it has.
    public var length: Int64

    public init(path: String, offset: Int64, length: Int64) {
        self.path = path
        self.offset = offset
        self.length = length
    }

    /// The range read into memory, for transports that cannot stream (test doubles).
    public func data() throws -> Data {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw TransportError(reason: "cannot read \(path)")
        }
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(offset))
        return try handle.read(upToCount: Int(length)) ?? Data()
    }
}
