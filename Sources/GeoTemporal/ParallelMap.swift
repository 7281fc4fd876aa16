import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Work on several threads whose results come back in index order: bootstrap replicates (each
/// depends only on its index, its seed derived from the base seed and the index), the window
/// searches and rounds of re-timings; the output is the same whatever the number of threads.
enum ParallelMap {
    /// Processors online (at least 1).
    static var processorCount: Int { max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

    /// `body(i)` for i in `0..<count` on up to `workers` threads (worker w takes the indices
    /// ≡ w mod the number of workers), in index order. Workers share only the output buffer,
    /// each writing its own indices.
    static func map<T: Sendable>(_ count: Int, workers: Int = processorCount, _ body: @Sendable (Int) -> T) -> [T] {
        let threads = max(1, min(workers, count))
        if threads <= 1 { return (0..<count).map(body) }
        let slots = Slots<T>(count)
        DispatchQueue.concurrentPerform(iterations: threads) { worker in
            for i in stride(from: worker, to: count, by: threads) { slots.set(i, body(i)) }
        }
        return slots.values()
    }

    /// Output slots that workers write disjoint indices of.
    private final class Slots<T>: @unchecked Sendable {
        private let buffer: UnsafeMutableBufferPointer<T?>

        init(_ count: Int) {
            buffer = .allocate(capacity: count)
            buffer.initialize(repeating: nil)
        }

        deinit {
            buffer.deinitialize()
            buffer.deallocate()
        }

        func set(_ i: Int, _ value: T) { buffer[i] = value }

        func values() -> [T] { buffer.map { $0! } }
    }
}
