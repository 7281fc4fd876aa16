import Foundation
import GeoCore
import Testing

@Suite struct WorkBlocksTests {
    /// Taken by several threads at once, the blocks cover every index exactly once, in blocks
    /// of the size asked (the last one shorter), ascending in the order they are handed out.
    @Test func blocksCoverEveryIndexOnceAcrossThreads() {
        for (count, size) in [(0, 5), (1, 5), (10, 3), (10_007, 64), (4_096, 4_096)] {
            let blocks = WorkBlocks(count: count, blockSize: size)
            let taken = Taken()
            DispatchQueue.concurrentPerform(iterations: 4) { _ in
                while let block = blocks.take() { taken.append(block) }
            }
            let ranges = taken.ranges
            let covered = ranges.flatMap { Array($0) }.sorted()
            let exact = covered == Array(0..<count)
            #expect(exact, "\(count) in blocks of \(size): \(ranges.count) blocks")
            let sizes = ranges.sorted { $0.lowerBound < $1.lowerBound }.map(\.count)
            let sized = sizes.dropLast().allSatisfy { $0 == size } && (sizes.last ?? 1) <= size && (sizes.last ?? 1) > 0
            #expect(sized, "\(count) in blocks of \(size): sizes \(sizes.prefix(5))…")
            #expect(blocks.take() == nil)
        }
    }

    @Test func blockSizeIsAboutEightBlocksAThreadAndAtLeastTheMinimum() {
        #expect(WorkBlocks.blockSize(count: 1_000_000, threads: 2, minimum: 12_500) == 62_500)
        #expect(WorkBlocks.blockSize(count: 400, threads: 3, minimum: 1) == 16)
        #expect(WorkBlocks.blockSize(count: 400, threads: 3, minimum: 100) == 100)
        #expect(WorkBlocks.blockSize(count: 0, threads: 0, minimum: 0) == 1)
    }
}

/// Ranges appended from several threads.
private final class Taken: @unchecked Sendable {
    private let lock = NSLock()
    private var taken: [Range<Int>] = []
    func append(_ range: Range<Int>) { lock.withLock { taken.append(range) } }
    var ranges: [Range<Int>] { lock.withLock { taken } }
}
