import Foundation
import GreenMineShared

/// `sync.log` in the home: one JSON line per `greenmine sync` run (also each run of `--every` and
/// of the systemd timer), so `status` can say how the last one ended even when nobody watched it.
public struct SyncLog: Sendable {
    /// How a run ended.
    public enum Outcome: String, Codable, Sendable {
        /// Everything went through.
        case complete
        /// It finished, but some changes were refused or conflict.
        case refused
        /// The link or the server went away; what was acknowledged is kept and the next run continues.
        case incomplete
        /// It stopped on something the user must act on (session lost, a damaged store, …).
        case failed
    }

    /// One run.
    public struct Entry: Codable, Sendable, Hashable {
        public var at: Date
        public var outcome: Outcome
        /// Changes the server settled, records pulled, bytes uploaded.
        public var pushed: Int
        public var pulled: Int
        public var uploadedBytes: Int64
        /// The files the run needed: bytes the server holds of them, and their size.
        public var filesOnServer: Int64
        public var filesTotal: Int64
        /// The largest file the server does not hold whole yet.
        public var unfinished: UploadTally.File?
        /// Why it stopped (incomplete, failed).
        public var error: APIErrorDetail?
    }

    /// The log's file.
    public var url: URL
    /// Past this size the oldest half is dropped.
    static let maxBytes = 256 << 10

    public init(home: HomeDirectory) {
        url = home.url.appendingPathComponent("sync.log")
    }

    /// Appends one run's line. Best effort: a full disk must not turn a good sync into a failure.
    public func append(_ entry: Entry) {
        guard var line = try? WireCoding.encode(entry) else { return }
        line.append(0x0A)
        if !FileManager.default.fileExists(atPath: url.path) {
            _ = FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        guard let handle = try? FileHandle(forWritingTo: url) else { return }
        defer { try? handle.close() }
        guard let end = try? handle.seekToEnd() else { return }
        if end + UInt64(line.count) > UInt64(Self.maxBytes), let kept = try? Data(contentsOf: url) {
            let half = kept.suffix(Self.maxBytes / 2)
            let start = half.firstIndex(of: 0x0A).map { half.index(after: $0) } ?? half.endIndex
            try? handle.truncate(atOffset: 0)
            try? handle.write(contentsOf: half[start...])
        }
        try? handle.write(contentsOf: line)
    }

    /// The last run's line, nil when there is none (or it cannot be read).
    public func last() -> Entry? {
        guard let data = try? Data(contentsOf: url) else { return nil }
        let lines = data.split(separator: 0x0A)
        for line in lines.reversed() {
            if let entry = try? WireCoding.decode(Entry.self, from: Data(line)) { return entry }
        }
        return nil
    }
}
