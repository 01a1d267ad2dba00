import Foundation
import GreenMineShared

/// What a sync reports as it goes, for the user to follow.
public enum SyncEvent: Sendable, Hashable {
    /// Queued attaches whose files the server lacks were moved behind everything else (small things first).
    case deferred(count: Int)
    /// About to push a batch of queued changes.
    case pushing(count: Int, remaining: Int)
    /// One queued change's result.
    case result(MutationOutcome)
    /// The server had a gap in this client's seqs and the push starts again after `lastSeq`.
    case resending(after: Int)
    /// A transient failure; the request is retried after `delay`.
    case retrying(reason: LocalizedText, attempt: Int, delay: Duration)
    /// One page of server changes applied.
    case pulled(records: Int, gone: Int)
    /// The server already has this blob (`HEAD /v1/blobs` said 200): nothing to upload.
    case uploadSkipped(name: String, sha256: String)
    /// An upload moved on (after each chunk, and once at its start and end).
    case uploading(UploadProgress)
    /// An upload was refused for good; the attaches that need it are refused too.
    case uploadFailed(name: String, sha256: String, error: APIErrorDetail)
    /// The server did not hold an attach's blob yet (`blob_missing`): the attach is queued again
    /// as `newSeq`, to go after the upload.
    case requeued(seq: Int, newSeq: Int, name: String)
}

/// The result of one pushed mutation as the user sees it.
public struct MutationOutcome: Sendable, Hashable, Codable {
    public var seq: Int
    public var recordId: UUID
    public var kind: RecordKind
    public var op: MutationOp
    public var transition: Transition?
    public var status: MutationStatus
    /// The record's version after it (applied, merged, conflict).
    public var version: Int?
    /// The fields that conflicted.
    public var conflictPaths: [String]
    /// Why it was refused (rejected).
    public var error: APIErrorDetail?
}

/// What a whole sync did.
public struct SyncSummary: Sendable, Hashable, Codable {
    /// Every pushed change's result.
    public var outcomes: [MutationOutcome] = []
    /// Records received from the server.
    public var pulledRecords = 0
    /// Records the user can no longer see.
    public var goneRecords = 0
    /// Files uploaded.
    public var uploadedFiles = 0
    /// Bytes uploaded (acknowledged by the server).
    public var uploadedBytes: Int64 = 0
    /// Files the server already had.
    public var skippedUploads = 0
    /// True when both push and pull ran to the end.
    public var completed = false

    /// The changes that did not go through as sent.
    public var problems: [MutationOutcome] {
        outcomes.filter { $0.status == .rejected || $0.status == .conflict }
    }
}
