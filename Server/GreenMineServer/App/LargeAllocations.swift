#if canImport(Glibc)
import Glibc
#endif

/// Makes glibc hand large freed buffers back to the system. Each login's scrypt takes 16 MiB; with
/// glibc's default, the mmap threshold rises after the first such buffer is freed, later ones come from
/// the heap and stay resident after use — measured: the server's resident memory stayed 30 MB above
/// its working set after two logins, past the 64 MB budget during an upload. A fixed 1 MiB threshold
/// keeps every large buffer mmapped, so freeing it returns the memory at once.
enum LargeAllocations {
    /// Called once at server start.
    static func returnToSystemWhenFreed() {
        #if canImport(Glibc)
        // mallopt is in <malloc.h>, which the Glibc module does not bring in: looked up by name.
        // M_MMAP_THRESHOLD is -3 in glibc's <malloc.h>.
        typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: MallOpt.self)(-3, 1 << 20)
        #endif
    }
}
