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
        if workers == 1 { return queries.map { geocode($0.text, options: $0.options) } }
        let next = ChunkCounter()
        return [GeocodeResult](unsafeUninitializedCapacity: count) { buffer, initialized in
            let base = SendablePointer(buffer.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while true {
                    let c = next.take()
                    guard c < chunks else { return }
                    for i in (c * chunk)..<min(count, (c + 1) * chunk) {
                        (base.pointer + i).initialize(to: geocode(queries[i].text, options: queries[i].options))
                    }
                }
            }
            initialized = count
        }
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
