#if os(Linux)
import CMalloc
#endif

/// How a govmedia process asks the C allocator to handle memory; called first by each
/// executable (the CLI and daemon, the benchmark), so they all measure the same thing.
public enum ProcessMemory {
    /// Bodies of up to 10 MiB come and go by the hundred in a scan. glibc raises its mmap
    /// threshold each time such a block is freed, after which they are carved from the heap
    /// and the freed space stays with the process (a scan of oversized bodies peaked at 199 MB
    /// instead of 130 MB). A fixed threshold keeps every block of 1 MiB or more in its own
    /// mapping, returned to the system when freed.
    public static func configure() {
        #if os(Linux)
        _ = mallopt(M_MMAP_THRESHOLD, 1 << 20)
        #endif
    }
}
