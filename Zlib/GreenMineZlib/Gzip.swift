import CZlib
import Foundation

/// gzip (RFC 1952) through the system zlib: whole-buffer compression and decompression bounded by
/// an output limit, so a small body cannot expand into a huge one.
public enum Gzip {
    /// Why a gzip body could not be decompressed.
    public enum Failure: Error, Sendable, Equatable {
        /// Not gzip, damaged, or cut short.
        case corrupt
        /// The decompressed data would be larger than the limit.
        case tooLarge(limit: Int)
    }

    /// gzip-compresses `data` (zlib level 0–9; 6 is zlib's default, 1 the fastest).
    public static func compress(_ data: Data, level: Int = 6) -> Data {
        var stream = z_stream()
        let status = deflateInit2_(&stream, Int32(max(0, min(9, level))), Z_DEFLATED, 15 + 16, 8,
                                   Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        // deflateInit2 fails only on bad parameters or when out of memory.
        guard status == Z_OK else { fatalError("deflateInit2 failed: \(status)") }
        defer { deflateEnd(&stream) }
        var output = Data(count: Int(deflateBound(&stream, uLong(data.count))) + 32)
        var input = data
        let result: Int32 = input.withUnsafeMutableBytes { inBytes in
            output.withUnsafeMutableBytes { outBytes in
                stream.next_in = inBytes.bindMemory(to: Bytef.self).baseAddress
                stream.avail_in = uInt(inBytes.count)
                stream.next_out = outBytes.bindMemory(to: Bytef.self).baseAddress
                stream.avail_out = uInt(outBytes.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        // deflateBound guarantees room for the whole stream in one call.
        guard result == Z_STREAM_END else { fatalError("deflate did not finish: \(result)") }
        output.count = Int(stream.total_out)
        return output
    }

    /// Decompresses gzip `data` (one member or several concatenated), refusing with `tooLarge` as soon
    /// as the output would pass `limit` bytes, and with `corrupt` when the data is not a complete gzip stream.
    public static func decompress(_ data: Data, limit: Int) throws -> Data {
        guard !data.isEmpty else { throw Failure.corrupt }
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Failure.corrupt
        }
        defer { inflateEnd(&stream) }
        let chunk = 64 * 1024
        var output = Data()
        var buffer = [UInt8](repeating: 0, count: chunk)
        var input = data
        try input.withUnsafeMutableBytes { (inBytes: UnsafeMutableRawBufferPointer) in
            stream.next_in = inBytes.bindMemory(to: Bytef.self).baseAddress
            stream.avail_in = uInt(inBytes.count)
            while true {
                let (status, produced) = buffer.withUnsafeMutableBytes { outBytes -> (Int32, Int) in
                    stream.next_out = outBytes.bindMemory(to: Bytef.self).baseAddress
                    stream.avail_out = uInt(chunk)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    return (status, chunk - Int(stream.avail_out))
                }
                guard output.count + produced <= limit else { throw Failure.tooLarge(limit: limit) }
                output.append(contentsOf: buffer[0..<produced])
                switch status {
                case Z_STREAM_END:
                    // Another member may follow; anything else after the end is damage.
                    guard stream.avail_in > 0 else { return }
                    guard inflateReset(&stream) == Z_OK else { throw Failure.corrupt }
                case Z_OK:
                    continue
                case Z_BUF_ERROR where produced > 0:
                    continue
                default:
                    // Z_BUF_ERROR with no progress: the input ended before the stream did.
                    throw Failure.corrupt
                }
            }
        }
        return output
    }
}
