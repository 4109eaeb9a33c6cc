import Foundation

/// The results fetched but not yet stored, bounded in bytes and in count: the fetch thread
/// waits in `admit` while either bound would be passed, and the consumer frees room in
/// `release`. One result larger than the byte bound still passes when nothing else waits,
/// so no body can stall a scan.
final class WaitingResults: @unchecked Sendable {
    private let condition = NSCondition()
    private let maxBytes: Int
    private let maxCount: Int
    private var bytes = 0
    private var count = 0
    private var opened = false

    init(maxBytes: Int, maxCount: Int) {
        self.maxBytes = maxBytes
        self.maxCount = max(1, maxCount)
    }

    /// Blocks until a result of `size` bytes may wait (or the gate is opened for good).
    func admit(_ size: Int) {
        condition.lock()
        defer { condition.unlock() }
        while !opened && count > 0 && (count >= maxCount || bytes + size > maxBytes) { condition.wait() }
        bytes += size
        count += 1
    }

    /// A result was stored (or dropped): its room is free again.
    func release(_ size: Int) {
        condition.lock()
        bytes -= size
        count -= 1
        condition.broadcast()
        condition.unlock()
    }

    /// Lets every waiting and later `admit` through: the consumer has stopped (end of
    /// stream, cancellation or a store failure) and the fetch thread must be able to finish.
    func open() {
        condition.lock()
        opened = true
        condition.broadcast()
        condition.unlock()
    }
}
