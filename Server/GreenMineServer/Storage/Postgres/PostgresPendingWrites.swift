import Foundation
import GreenMineShared
import Logging
import PostgresNIO

/// What a push transaction on PostgreSQL writes that nothing in it reads back by SQL, kept in memory
/// and written in a few multi-row statements just before the commit (`flush`): change numbers (the
/// transaction holds the counter's row from its start, so it counts on from the value it read and
/// stores the last one), the change log's times, audit events and mutation results. Each of these was a
/// round trip per mutation. A result is read back only by `storedResult`, which looks here first.
final class PostgresPendingWrites: @unchecked Sendable {
    fileprivate struct State {
        var counter: Int64
        var counterMoved = false
        var changeLog: [SQLArgument] = []
        var audits: [SQLArgument] = []
        var results: [SQLArgument] = []
        var resultKeys: [String] = []
        var resultsByKey: [String: MutationResult] = [:]
        var savepoints = 0
    }

    /// Where the buffers stood, to undo a refused mutation's share (`undoingOnError`): their lengths.
    struct Mark {
        fileprivate var counter: Int64
        fileprivate var counterMoved: Bool
        fileprivate var changeLog: Int
        fileprivate var audits: Int
        fileprivate var results: Int
        fileprivate var resultKeys: Int
    }

    // One push runs on one task, so the lock is never contended; it keeps the class honestly Sendable.
    private let lock = NSLock()
    private var current: State

    /// Pending writes of a transaction that read `counter` from the locked counter row.
    init(counter: Int64) {
        current = State(counter: counter)
    }

    private func withState<T>(_ body: (inout State) -> T) -> T {
        lock.withLock { body(&current) }
    }

    /// The next change number, logged with its time.
    func nextChange(at: Date) -> Int64 {
        withState { state in
            state.counter += 1
            state.counterMoved = true
            state.changeLog += [.integer(Int(state.counter)), .real(at.timeIntervalSince1970)]
            return state.counter
        }
    }

    /// An audit event's row (`PostgresRecordTransaction.auditColumns`).
    func audit(_ values: [SQLArgument]) {
        withState { $0.audits += values }
    }

    /// A mutation's result and its row (`PostgresRecordTransaction.resultColumns`).
    func result(_ result: MutationResult, client: UUID, values: [SQLArgument]) {
        withState { state in
            state.results += values
            let key = Self.key(client, result.seq)
            state.resultKeys.append(key)
            state.resultsByKey[key] = result
        }
    }

    /// A result stored earlier in this transaction.
    func storedResult(client: UUID, seq: Int) -> MutationResult? {
        withState { $0.resultsByKey[Self.key(client, seq)] }
    }

    var mark: Mark {
        withState { state in
            Mark(counter: state.counter, counterMoved: state.counterMoved, changeLog: state.changeLog.count,
                 audits: state.audits.count, results: state.results.count, resultKeys: state.resultKeys.count)
        }
    }

    /// Forgets everything buffered since `mark`.
    func undo(to mark: Mark) {
        withState { state in
            state.counter = mark.counter
            state.counterMoved = mark.counterMoved
            state.changeLog.removeLast(state.changeLog.count - mark.changeLog)
            state.audits.removeLast(state.audits.count - mark.audits)
            state.results.removeLast(state.results.count - mark.results)
            for key in state.resultKeys[mark.resultKeys...] { state.resultsByKey[key] = nil }
            state.resultKeys.removeLast(state.resultKeys.count - mark.resultKeys)
        }
    }

    /// A savepoint name no other in this transaction has, so savepoints left unreleased nest correctly.
    func nextSavepoint() -> String {
        withState { state in
            state.savepoints += 1
            return "mutation_\(state.savepoints)"
        }
    }

    /// Writes what is buffered; the transaction commits right after.
    func flush(_ connection: PostgresConnection, logger: Logger) async throws {
        let current = withState { $0 }
        try await Self.insert(connection, "change_log (seq, at)", columns: 2, current.changeLog, logger: logger)
        try await Self.insert(connection, PostgresRecordTransaction.auditColumns, columns: 12, current.audits,
                              logger: logger)
        try await Self.insert(connection, PostgresRecordTransaction.resultColumns, columns: 6, current.results,
                              logger: logger)
        if current.counterMoved {
            try await PostgresSQL.execute(connection, "UPDATE change_counter SET value = ? WHERE only_row = 1",
                                          [.integer(Int(current.counter))], logger: logger)
        }
        withState { $0 = State(counter: current.counter) }
    }

    /// Multi-row INSERTs of `values` (rows of `columns` values), at most 30,000 parameters each.
    private static func insert(_ connection: PostgresConnection, _ target: String, columns: Int, _ values: [SQLArgument],
                               logger: Logger) async throws {
        let row = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        let perStatement = max(1, 30_000 / columns) * columns
        for start in stride(from: 0, to: values.count, by: perStatement) {
            let slice = Array(values[start..<min(start + perStatement, values.count)])
            let rows = Array(repeating: row, count: slice.count / columns).joined(separator: ", ")
            try await PostgresSQL.execute(connection, "INSERT INTO \(target) VALUES \(rows)", slice, logger: logger)
        }
    }

    private static func key(_ client: UUID, _ seq: Int) -> String {
        "\(client.storedString)#\(seq)"
    }
}
