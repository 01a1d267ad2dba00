import Foundation
import NIOCore

/// Where blob bytes live: uploads in progress by id, complete blobs by SHA-256. Every instance of a
/// deployment uses the same one. Calls may wait on the disk, so implementations keep that wait off
/// Swift's cooperative pool (`BlockingIO`).
public protocol BlobStore: Sendable {
    /// Creates the empty file of an upload in progress. A `receiving` file (a console upload arriving
    /// in one request) is not named by any upload row yet: `removeAbandonedReceiving` clears it after a crash.
    func createPart(_ id: UUID, receiving: Bool) async throws -> any BlobPartFile
    /// Opens the file of an upload in progress; nil when it is gone.
    func openPart(_ id: UUID) async throws -> (any BlobPartFile)?
    /// Turns a received file into an upload in progress (a row names it from now on).
    func markReceived(_ id: UUID) async throws
    /// Makes a finished upload the blob `sha256`, atomically; a blob already there is kept.
    func promote(_ id: UUID, sha256: String) async throws
    /// Removes the file of an upload (in progress or receiving), if any.
    func removePart(_ id: UUID) async
    /// Removes the files left mid-receipt — not written for `idle` seconds before `now` (any request still
    /// receiving writes far more often: a stalled connection is closed after two minutes), so a file
    /// another instance is receiving right now stays; how many.
    func removeAbandonedReceiving(idle: TimeInterval, now: Date) async -> Int
    /// Opens a complete blob for reading; nil when its file is missing.
    func openBlob(_ sha256: String) async throws -> (any BlobReadFile)?
}

/// The open file of an upload in progress; one request writes it at a time.
public protocol BlobPartFile: Sendable {
    /// Drops everything from `length` on.
    func truncate(to length: Int64) async throws
    /// Writes the buffers at the end of what was written since `truncate` (or at `truncate`'s length).
    func append(_ buffers: [ByteBuffer]) async throws
    /// Makes what was written durable.
    func synchronize() async throws
    /// Up to `count` bytes from `offset`.
    func read(from offset: Int64, count: Int) async throws -> ByteBuffer
    /// Closes the file.
    func close() async
}

/// A complete blob open for reading.
public protocol BlobReadFile: Sendable {
    /// Up to `count` bytes from `offset` (fewer only at the end).
    func read(from offset: Int64, count: Int) async throws -> ByteBuffer
    /// Closes the file.
    func close() async
}

/// Blocking file work off Swift's cooperative pool: each call runs on a thread of a Dispatch queue of
/// its own, so a slow disk stalls no task scheduling.
enum BlockingIO {
    private static let queue = DispatchQueue(label: "greenmine.blocking-io", qos: .userInitiated,
                                             attributes: .concurrent)

    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try work() }) }
        }
    }
}
