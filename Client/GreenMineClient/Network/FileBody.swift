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

/// An `InputStream` over one byte range of a file, read as the transport asks for bytes.
final class FileRangeStream: InputStream {
    private let handle: FileHandle
    private var remaining: Int64
    private var status: Stream.Status = .notOpen
    private var failure: Error?

    init(_ body: FileBody) throws {
        guard let handle = FileHandle(forReadingAtPath: body.path) else {
            throw TransportError(reason: "cannot read \(body.path)")
        }
        try handle.seek(toOffset: UInt64(body.offset))
        self.handle = handle
        self.remaining = body.length
        super.init(data: Data())
    }

    deinit {
        try? handle.close()
    }

    override func open() { status = .open }
    override func close() { status = .closed }
    override var streamStatus: Stream.Status { status }
    override var streamError: Error? { failure }
    override var hasBytesAvailable: Bool { remaining > 0 && status == .open }

    override func read(_ buffer: UnsafeMutablePointer<UInt8>, maxLength length: Int) -> Int {
        let wanted = Int(min(Int64(length), remaining))
        guard wanted > 0 else {
            status = .atEnd
            return 0
        }
        do {
            guard let data = try handle.read(upToCount: wanted), !data.isEmpty else {
                // The file is shorter than it was: end here; the server's checksum refuses the chunk.
                remaining = 0
                status = .atEnd
                return 0
            }
            data.copyBytes(to: buffer, count: data.count)
            remaining -= Int64(data.count)
            return data.count
        } catch {
            failure = error
            status = .error
            return -1
        }
    }

    override func getBuffer(_ buffer: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>,
                            length: UnsafeMutablePointer<Int>) -> Bool { false }
    override var delegate: StreamDelegate? {
        get { nil }
        set {}
    }
    override func property(forKey key: PropertyKey) -> AnyObject? { nil }
    override func setProperty(_ property: AnyObject?, forKey key: PropertyKey) -> Bool { false }
    override func schedule(in aRunLoop: RunLoop, forMode mode: RunLoop.Mode) {}
    override func remove(from aRunLoop: RunLoop, forMode mode: RunLoop.Mode) {}
}
