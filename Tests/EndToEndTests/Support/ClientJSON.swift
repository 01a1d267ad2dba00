import Foundation
import GreenMineShared

/// The client's `--json` outputs the tests read, decoded with the wire coding (the client library
/// is not linked: these mirror what the real binary prints).
extension ClientHome {
    /// `show --json`: the working copy, the last server snapshot and what is queued.
    struct Shown: Decodable, Sendable {
        var record: GreenMineShared.Record
        var base: GreenMineShared.Record?
        var pending: [Mutation]
    }

    /// A conflict as `conflicts --json` lists it.
    struct Conflict: Decodable, Sendable {
        var id: UUID
        var recordId: UUID
        var path: String
        var mine: JSONValue
        var theirs: JSONValue
    }

    /// A refusal as `rejections --json` lists it.
    struct Refusal: Decodable, Sendable {
        var seq: Int
        var recordId: UUID
        var op: MutationOp
        var transition: Transition?
        var code: String
        var message: String
        var messageZh: String?
    }

    /// The fields of `status --json` the tests read.
    struct Status: Decodable, Sendable {
        var queuedChanges: Int
        var openConflicts: Int
        var unseenRejections: [Refusal]
        var lastSyncAt: Date?
    }

    /// `pre new`/`app new --json`: the new record.
    struct Created: Decodable, Sendable {
        var record: GreenMineShared.Record
        var findings: [Finding]
    }

    func show(_ kind: String, _ id: UUID) async throws -> Shown {
        try await json(Shown.self, [kind, "show", id.uuidString.lowercased()])
    }

    func status() async throws -> Status {
        try await json(Status.self, ["status"])
    }

    /// Syncs and requires exit status 0 (everything went through).
    @discardableResult
    func syncOK() async throws -> ProcessOutcome {
        let outcome = try await sync()
        guard outcome.exitedCleanly else { throw HarnessError("[\(name)] greenmine sync did not go through: \(outcome)") }
        return outcome
    }

    /// The error envelope a failed `--json` command printed on standard error.
    static func errorEnvelope(_ outcome: ProcessOutcome) -> APIErrorDetail? {
        guard let start = outcome.stderr.firstIndex(of: "{") else { return nil }
        let text = outcome.stderr[start...]
        // The envelope is the first JSON object; detail lines may follow it.
        var depth = 0
        var end = text.startIndex
        var inString = false
        var escaped = false
        for index in text.indices {
            let character = text[index]
            if inString {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
                continue
            }
            if character == "\"" { inString = true } else if character == "{" { depth += 1 } else if character == "}" {
                depth -= 1
                if depth == 0 { end = index; break }
            }
        }
        guard depth == 0, end > start else { return nil }
        return try? WireCoding.decode(APIErrorBody.self, from: Data(text[...end].utf8)).error
    }
}
