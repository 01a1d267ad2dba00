import Foundation

/// How much of each file this sync needs the server holds, as last heard — kept apart from the
/// uploader so that a sync cut by the link can still say "7.5 of 21.5 MB are on the server".
public final class UploadTally: @unchecked Sendable {
    /// One file's standing.
    public struct File: Sendable, Hashable, Codable {
        public var name: String
        public var sha256: String
        public var total: Int64
        public var onServer: Int64
    }

    private let lock = NSLock()
    private var files: [String: File] = [:]
    private var order: [String] = []

    public init() {}

    /// Notes that the server holds `onServer` bytes of a file of `total`.
    public func note(_ sha256: String, name: String, total: Int64, onServer: Int64) {
        lock.withLock {
            if files[sha256] == nil { order.append(sha256) }
            files[sha256] = File(name: name, sha256: sha256, total: total, onServer: min(max(onServer, 0), total))
        }
    }

    /// Every file noted, first noted first.
    public var all: [File] {
        lock.withLock { order.compactMap { files[$0] } }
    }

    /// Bytes on the server and bytes in all, over every file noted.
    public var totals: (onServer: Int64, total: Int64) {
        let files = all
        return (files.reduce(0) { $0 + $1.onServer }, files.reduce(0) { $0 + $1.total })
    }

    /// The largest file the server does not hold whole yet.
    public var largestUnfinished: File? {
        all.filter { $0.onServer < $0.total }.max { $0.total < $1.total }
    }
}
