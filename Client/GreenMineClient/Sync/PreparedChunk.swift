import Crypto
import Foundation

/// One chunk of a blob to send: the byte range, streamed by the transport, and its SHA-256 (base64)
/// for `Upload-Checksum`.
struct PreparedChunk: Sendable {
    var body: FileBody
    var checksum: String

    /// Reads the range in pieces of at most 1 MiB to hash it; nil when the file is shorter.
    static func read(path: String, offset: Int64, length: Int64) -> PreparedChunk? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var hasher = SHA256()
        var read: Int64 = 0
        do {
            try handle.seek(toOffset: UInt64(offset))
            while read < length {
                guard let piece = try handle.read(upToCount: Int(min(Int64(FileIngest.chunkSize), length - read))),
                      !piece.isEmpty else { break }
                hasher.update(data: piece)
                read += Int64(piece.count)
            }
        } catch {
            return nil
        }
        guard read == length else { return nil }
        return PreparedChunk(body: FileBody(path: path, offset: offset, length: length),
                             checksum: Data(hasher.finalize()).base64EncodedString())
    }
}
