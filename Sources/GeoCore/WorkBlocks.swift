import Foundation

/// The indices `0..<count` in blocks of `blockSize`, handed out in order to whichever thread
/// asks next, so that threads that run unevenly (costlier points, a core shared with another
/// process) finish together; an equal share each leaves one core idle at the end.
///
/// What a block yields must not depend on which thread takes it (per-thread caches only).
public final class WorkBlocks: @unchecked Sendable {
    public let count: Int
    public let blockSize: Int
    private let lock = NSLock()
    /// Start of the next block; under `lock`.
    private var next = 0

    /// `blockSize` below 1 counts as 1.
    public init(count: Int, blockSize: Int) {
        self.count = max(0, count)
        self.blockSize = max(1, blockSize)
    }

    /// The next block, nil when all are taken.
    public func take() -> Range<Int>? {
        lock.withLock {
            guard next < count else { return nil }
            let block = next..<min(count, next + blockSize)
            next = block.upperBound
            return block
        }
    }

    /// The block size for `count` items on `threads` threads: about eight blocks a thread, at
    /// least `minimum` items each (and at least one).
    public static func blockSize(count: Int, threads: Int, minimum: Int) -> Int {
        max(1, minimum, count / max(1, 8 * threads))
    }
}
