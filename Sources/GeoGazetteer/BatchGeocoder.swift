import Foundation

/// A name to resolve with its lookup options (one row of a table, say).
public struct GeocodeQuery: Hashable, Sendable {
    public var text: String
    public var options: GeocodeOptions

    public init(_ text: String, options: GeocodeOptions = GeocodeOptions()) {
        self.text = text
        self.options = options
    }
}

extension Gazetteer {
    /// Resolves many names on `threads` threads (all cores by default); results in input
    /// order, each exactly what `geocode(_:options:)` returns for its query. The gazetteer is
    /// immutable, so workers share nothing but the chunk counter; each takes 512 queries at a
    /// time.
    public func geocode(_ queries: [GeocodeQuery], threads: Int = ProcessInfo.processInfo.activeProcessorCount) -> [GeocodeResult] {
        let count = queries.count
        if count == 0 { return [] }
        let chunk = 512
        let chunks = (count + chunk - 1) / chunk
        let workers = max(1, min(threads, chunks))
        let next = ChunkCounter()
        return [GeocodeResult](unsafeUninitializedCapacity: count) { buffer, initialized in
            let base = SendablePointer(buffer.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while true {
                    let c = next.take()
                    guard c < chunks else { return }
                    geocode(queries, (c * chunk)..<min(count, (c + 1) * chunk), into: base.pointer)
                }
            }
            initialized = count
        }
    }

    /// Resolves `queries[range]` into `out[range]` in groups of 16: the group's keys first,
    /// then its index slots, index records and candidate entries are read stage by stage
    /// (independent reads that the processor overlaps, instead of one cache miss after another
    /// per query), then each query is resolved against what is now in cache.
    private func geocode(_ queries: [GeocodeQuery], _ range: Range<Int>, into out: UnsafeMutablePointer<GeocodeResult>) {
        let group = 16
        var prepared: [PreparedQuery] = []
        prepared.reserveCapacity(group)
        var hashes = [UInt64](repeating: 0, count: group)
        var records = [Int](repeating: -1, count: group)
        var touched: UInt64 = 0
        var start = range.lowerBound
        while start < range.upperBound {
            let end = min(range.upperBound, start + group)
            prepared.removeAll(keepingCapacity: true)
            for i in start..<end { prepared.append(PreparedQuery(queries[i].text)) }
            if let placesIndex {
                for j in prepared.indices {
                    hashes[j] = prepared[j].fullKey.withUnsafeBufferPointer { fnv1a($0) }
                    touched &+= UInt64(placesIndex.slot(hash: hashes[j]))
                }
                for j in prepared.indices {
                    records[j] = prepared[j].fullKey.isEmpty ? -1 : prepared[j].fullKey.withUnsafeBufferPointer { placesIndex.find($0, hash: hashes[j]) } ?? -1
                }
                for j in prepared.indices where records[j] >= 0 {
                    touched &+= readAhead(placesIndex.record(at: records[j]).postings)
                }
            }
            for j in prepared.indices {
                (out + start + j).initialize(to: geocode(prepared[j], options: queries[start + j].options))
            }
            start = end
        }
        Self.keepReads(touched)
    }

    /// `geocode(_:threads:)` for names sharing one set of options.
    public func geocode(_ names: [String], options: GeocodeOptions = GeocodeOptions(), threads: Int = ProcessInfo.processInfo.activeProcessorCount)
        -> [GeocodeResult]
    {
        geocode(names.map { GeocodeQuery($0, options: options) }, threads: threads)
    }
}

/// Hands out chunk numbers to worker threads.
final class ChunkCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0

    func take() -> Int {
        lock.lock()
        defer { lock.unlock() }
        next += 1
        return next - 1
    }
}

/// A pointer that worker threads write disjoint parts of.
struct SendablePointer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
}
