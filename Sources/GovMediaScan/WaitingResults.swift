import Foundation

/// The results fetched but not yet stored, counted in bytes and in number. The fetch
/// thread asks `hasRoom` before it starts a new transfer, never blocks: while too much
/// waits, new transfers are held back and those in flight finish, so a slow disk or a
/// locked database never stalls a transfer into a timeout (and never blames the site).
/// Memory stays bounded by the bound plus what the transfers in flight can bring.
final class WaitingResults: @unchecked Sendable {
    // Every access holds the lock: the fetch thread adds and asks, the storing task releases.
    private let lock = NSLock()
    private let maxBytes: Int
    private let maxCount: Int
    private var bytes = 0
    private var count = 0

    init(maxBytes: Int, maxCount: Int) {
        self.maxBytes = maxBytes
        self.maxCount = max(1, maxCount)
    }

    /// Whether a new transfer may start. With nothing waiting there is always room, so no
    /// body, however large, can stop a scan.
    var hasRoom: Bool {
        lock.withLock { count == 0 || (count < maxCount && bytes < maxBytes) }
    }

    /// A result of `size` body bytes was delivered and waits to be parsed and stored.
    func add(_ size: Int) {
        lock.withLock {
            bytes += size
            count += 1
        }
    }

    /// A result was stored (or dropped): its room is free again.
    func release(_ size: Int) {
        lock.withLock {
            bytes -= size
            count -= 1
        }
    }
}
