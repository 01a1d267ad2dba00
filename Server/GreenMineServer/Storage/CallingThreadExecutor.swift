import Foundation

/// Runs an async body to its end on the calling thread. GRDB runs a write transaction as one synchronous
/// closure on its writer's thread, while `RecordTransaction` is async (PostgreSQL's driver is): inside
/// the closure, the body runs as a task that prefers this executor, and the closure runs every job of
/// that task right here until it finishes. The transaction's `Database` never leaves its thread.
///
/// The body must not wait for work that needs this same thread (another write on the same database
/// would deadlock); awaiting anything else is fine — its continuation is queued here and run.
final class CallingThreadExecutor: TaskExecutor, @unchecked Sendable {
    // @unchecked: `jobs` and `finished` are only touched with `condition` locked.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var finished = false

    private init() {}

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func finish() {
        condition.lock()
        finished = true
        condition.signal()
        condition.unlock()
    }

    /// Runs jobs on this thread until the task has finished and nothing is left to run.
    private func drain() {
        while true {
            condition.lock()
            while jobs.isEmpty && !finished { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }

    /// Runs `body` on the calling thread and returns what it returned, or throws what it threw.
    static func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let executor = CallingThreadExecutor()
        let outcome = Outcome<T>()
        Task(executorPreference: executor) {
            do { outcome.set(.success(try await body())) } catch { outcome.set(.failure(error)) }
            executor.finish()
        }
        executor.drain()
        return try outcome.take()
    }
}

/// The result of the body, handed from the task to the thread that waited for it.
private final class Outcome<T: Sendable>: @unchecked Sendable {
    // @unchecked: written once by the task before `finish()`, read after `drain()` returned (the
    // condition's lock orders the two).
    private var result: Result<T, any Error>?

    func set(_ value: Result<T, any Error>) { result = value }

    func take() throws -> T {
        guard let result else { throw CancellationError() }
        return try result.get()
    }
}
