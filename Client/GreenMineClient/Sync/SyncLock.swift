import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive `flock` on the home's `sync.lock`, so two syncs never run at once on one home.
/// The kernel drops it when the process ends, however it ends.
public final class SyncLock: Sendable {
    private let descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Takes the lock, or refuses at once when another sync holds it.
    public static func acquire(home: HomeDirectory) throws -> SyncLock {
        let path = home.syncLockURL.path
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw HomeError.fileAccess(path: path, reason: String(cString: strerror(errno))).clientError
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            close(descriptor)
            let who = holder.isEmpty ? "" : " (pid \(holder))"
            throw ClientError(code: "sync_running",
                              zh: "另一个同步正在此数据目录上运行\(who)，请等待它结束",
                              en: "another sync is already running on this home\(who); wait for it to finish")
        }
        _ = ftruncate(descriptor, 0)
        let pid = Data("\(getpid())\n".utf8)
        try? FileHandle(fileDescriptor: descriptor, closeOnDealloc: false).write(contentsOf: pid)
        return SyncLock(descriptor: descriptor)
    }

    /// Gives the lock back (also done when the lock is released from memory).
    public func release() {
        _ = flock(descriptor, LOCK_UN)
    }

    deinit {
        _ = flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
