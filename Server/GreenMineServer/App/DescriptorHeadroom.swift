import HummingbirdCore
#if canImport(Glibc)
import Glibc
#endif

/// Stops accepting connections while fewer than `headroom` descriptors are free, and lets Hummingbird
/// resume when a connection closes. swift-nio's `AcceptBackoffHandler` does not prevent a busy loop on
/// EMFILE: after a failed `accept` the listening channel keeps its read pending, so the level-triggered
/// socket wakes the event loop again at once (measured: ~10,000 failed `accept4` a second, a core at
/// up to 80 %). Not asking to read stops it: the channel then drops its interest in the socket.
struct DescriptorHeadroom: AvailableConnectionsDelegate {
    /// Descriptors that must stay free for accepting to go on.
    let headroom: Int
    private let softLimit: Int
    /// A descriptor kept open to duplicate: the duplicate is the lowest free number.
    private let probe: Int32

    init(headroom: Int = 16) {
        self.headroom = headroom
        var limit = rlimit()
        let status = getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        softLimit = status == 0 && limit.rlim_cur < rlim_t(Int32.max) ? Int(limit.rlim_cur) : Int(Int32.max)
        probe = open("/dev/null", O_RDONLY | O_CLOEXEC)
    }

    func connectionOpened() {}
    func connectionClosed() {}

    /// Descriptors are allocated lowest first, so the lowest free one near the limit means few are left.
    func isAcceptingNewConnections() -> Bool {
        guard probe >= 0 else { return true }
        let lowest = fcntl(probe, F_DUPFD_CLOEXEC, 0)
        guard lowest >= 0 else { return false }
        close(lowest)
        return Int(lowest) < softLimit - headroom
    }
}
