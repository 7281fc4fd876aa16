import Foundation

/// Trigram candidates over normalised keys, re-scored by Jaro–Winkler similarity.
///
/// Keys are numbered by length (in scalars), so the keys of a length window are one range of
/// numbers and every posting list is sorted by length too. A search counts, for each key in
/// the window, how many of the query's trigrams it has (one pass over the window's part of each
/// query trigram's postings, into a per-search counter array: "ScanCount"), and scores only the
/// keys that reach the required share. Built in one pass without hashing strings: about 110 ms
/// and 30 MB for the bundled gazetteer's 313,000 keys (keys as scalars and bytes, postings),
/// about 50 MB at the peak of building it together with the skeleton index.
struct FuzzyIndex: Sendable {
    /// Keys' UTF-8 bytes and scalars, by key number.
    private let keyBytes: [UInt8]
    private let keyByteStart: [Int32]
    private let scalars: [UInt32]
    private let scalarStart: [Int32]
    /// Keys of length L (scalars) are numbers `lengthStart[L]..<lengthStart[L + 1]`.
    private let lengthStart: [Int32]
    /// Trigram → gram number; postings of gram g are `postings[postingStart[g]..<postingStart[g + 1]]`.
    private let grams: TrigramTable
    private let postingStart: [Int32]
    private let postings: [Int32]
    private let counters: CounterPool

    var keyCount: Int { keyByteStart.count - 1 }

    /// An index over `keys` (UTF-8 bytes of normalised keys, each given once; empty keys are
    /// skipped). `forEachKey` calls its argument once per key.
    init(forEachKey: ((UnsafeBufferPointer<UInt8>) -> Void) -> Void) {
        // Decode every key once into scalars, remembering its bytes.
        var bytes: [UInt8] = [], byteStart: [Int32] = [0]
        var decoded: [UInt32] = [], decodedStart: [Int32] = [0]
        forEachKey { key in
            guard !key.isEmpty else { return }
            bytes.append(contentsOf: key)
            byteStart.append(Int32(bytes.count))
            for scalar in String(decoding: key, as: UTF8.self).unicodeScalars { decoded.append(scalar.value) }
            decodedStart.append(Int32(decoded.count))
        }
        let count = byteStart.count - 1
        // Number keys by length: a counting sort, stable, so equal lengths keep their order.
        var maxLength = 0
        for k in 0..<count { maxLength = max(maxLength, Int(decodedStart[k + 1] - decodedStart[k])) }
        var lengthStart = [Int32](repeating: 0, count: maxLength + 2)
        for k in 0..<count { lengthStart[Int(decodedStart[k + 1] - decodedStart[k]) + 1] += 1 }
        for l in 0...maxLength { lengthStart[l + 1] += lengthStart[l] }
        var fill = lengthStart
        var order = [Int32](repeating: 0, count: count)
        for k in 0..<count {
            let l = Int(decodedStart[k + 1] - decodedStart[k])
            order[Int(fill[l])] = Int32(k)
            fill[l] += 1
        }
        var sortedBytes: [UInt8] = [], sortedByteStart: [Int32] = [0]
        var sortedScalars: [UInt32] = [], sortedScalarStart: [Int32] = [0]
        sortedBytes.reserveCapacity(bytes.count)
        sortedScalars.reserveCapacity(decoded.count)
        sortedByteStart.reserveCapacity(count + 1)
        sortedScalarStart.reserveCapacity(count + 1)
        for k in order {
            sortedBytes.append(contentsOf: bytes[Int(byteStart[Int(k)])..<Int(byteStart[Int(k) + 1])])
            sortedByteStart.append(Int32(sortedBytes.count))
            sortedScalars.append(contentsOf: decoded[Int(decodedStart[Int(k)])..<Int(decodedStart[Int(k) + 1])])
            sortedScalarStart.append(Int32(sortedScalars.count))
        }
        // Each key's distinct trigrams as gram numbers, then postings by counting.
        var table = TrigramTable(capacity: 1 << 16)
        var keyGrams: [Int32] = [], keyGramStart: [Int32] = [0]
        keyGrams.reserveCapacity(sortedScalars.count + 2 * count)
        var gramCounts: [Int32] = []
        for k in 0..<count {
            let first = keyGrams.count
            Self.forEachTrigram(sortedScalars[Int(sortedScalarStart[k])..<Int(sortedScalarStart[k + 1])]) { t in
                let g = table.insert(t)
                if g == gramCounts.count { gramCounts.append(0) }
                if !keyGrams[first...].contains(g) {
                    keyGrams.append(g)
                    gramCounts[Int(g)] += 1
                }
            }
            keyGramStart.append(Int32(keyGrams.count))
        }
        var postingStart = [Int32](repeating: 0, count: gramCounts.count + 1)
        for g in 0..<gramCounts.count { postingStart[g + 1] = postingStart[g] + gramCounts[g] }
        var postings = [Int32](repeating: 0, count: keyGrams.count)
        var next = postingStart
        for k in 0..<count {
            for g in keyGrams[Int(keyGramStart[k])..<Int(keyGramStart[k + 1])] {
                postings[Int(next[Int(g)])] = Int32(k)
                next[Int(g)] += 1
            }
        }
        keyBytes = sortedBytes
        keyByteStart = sortedByteStart
        scalars = sortedScalars
        scalarStart = sortedScalarStart
        self.lengthStart = lengthStart
        grams = table
        self.postingStart = postingStart
        self.postings = postings
        counters = CounterPool(size: count)
    }

    /// Calls `body` with the trigrams of a key padded with a boundary mark (0) at both ends,
    /// each packed into 64 bits (21 bits per scalar; never 0).
    static func forEachTrigram(_ s: ArraySlice<UInt32>, _ body: (UInt64) -> Void) {
        guard !s.isEmpty else { return }
        var a: UInt32 = 0, b = s[s.startIndex]
        for c in s.dropFirst() {
            body(UInt64(a) << 42 | UInt64(b) << 21 | UInt64(c))
            a = b
            b = c
        }
        body(UInt64(a) << 42 | UInt64(b) << 21)
    }

    /// Keys sharing at least `minimumSharedFraction` of `key`'s trigrams, best Jaro–Winkler
    /// first, at least `minimumSimilarity`.
    ///
    /// Only keys whose length differs from the query's by at most max(3, a third) are
    /// considered; max(2, a quarter) when at least half the trigrams must be shared (the
    /// search for accepted matches: on 4,000 misspelt names it found the same places, 10 %
    /// faster). `trigramOverlap` is the number of shared distinct trigrams over the larger
    /// of the two trigram counts (0…1).
    func search(_ key: String, limit: Int = 10, minimumSimilarity: Double = 0.82, minimumSharedFraction: Double = 1.0 / 3)
        -> [(key: String, similarity: Double, trigramOverlap: Double)]
    {
        let q = key.unicodeScalars.map(\.value)
        guard !q.isEmpty, keyCount > 0 else { return [] }
        // The window of key lengths first: a query longer than any key (a pasted paragraph)
        // ends here, before its trigrams are collected.
        let slack = minimumSharedFraction >= 0.5 ? max(2, q.count / 4) : Self.lengthSlack(q.count)
        let maxLength = lengthStart.count - 2
        let lo = lengthStart[min(maxLength + 1, max(0, q.count - slack))]
        let hi = lengthStart[min(maxLength + 1, q.count + slack + 1)]
        guard lo < hi else { return [] }
        var queryGrams: [UInt64] = []
        Self.forEachTrigram(q[...]) { t in if !queryGrams.contains(t) { queryGrams.append(t) } }
        let need = UInt32(min(0xFF, max(1, Int((Double(queryGrams.count) * minimumSharedFraction).rounded(.up)))))
        var hits: [(key: Int32, shared: Int)] = []
        counters.withCounters { counts in
            let generation = counts.generation << 8
            counts.values.withUnsafeMutableBufferPointer { values in
                postings.withUnsafeBufferPointer { postings in
                    var reached: [Int32] = []
                    for t in queryGrams {
                        guard let g = grams.find(t) else { continue }
                        var i = Self.lowerBound(postings, from: Int(postingStart[g]), to: Int(postingStart[g + 1]), of: lo)
                        let end = Int(postingStart[g + 1])
                        while i < end {
                            let k = postings[i]
                            if k >= hi { break }
                            let v = values[Int(k)]
                            let c: UInt32 = v & ~0xFF == generation ? v & 0xFF : 0
                            if c < 0xFF {
                                values[Int(k)] = generation | (c + 1)
                                if c + 1 == need { reached.append(k) }
                            }
                            i += 1
                        }
                    }
                    for k in reached { hits.append((k, Int(values[Int(k)] & 0xFF))) }
                }
            }
        }
        var scored: [(key: Int32, similarity: Double, trigramOverlap: Double)] = []
        for (k, shared) in hits {
            let candidate = scalars[Int(scalarStart[Int(k)])..<Int(scalarStart[Int(k) + 1])]
            let similarity = Self.jaroWinkler(q[...], candidate)
            guard similarity >= minimumSimilarity else { continue }
            scored.append((k, similarity, Double(shared) / Double(max(queryGrams.count, candidate.count))))
        }
        func bytes(_ k: Int32) -> ArraySlice<UInt8> { keyBytes[Int(keyByteStart[Int(k)])..<Int(keyByteStart[Int(k) + 1])] }
        scored.sort { $0.similarity != $1.similarity ? $0.similarity > $1.similarity : bytes($0.key).lexicographicallyPrecedes(bytes($1.key)) }
        return scored.prefix(limit).map { (String(decoding: bytes($0.key), as: UTF8.self), $0.similarity, $0.trigramOverlap) }
    }

    /// How much longer or shorter than a query of `length` a key may be and still be read as
    /// a spelling of it: max(3, a third).
    static func lengthSlack(_ length: Int) -> Int { max(3, length / 3) }

    /// The first index in `list[from..<to]` (ascending) whose value is ≥ `value`.
    static func lowerBound(_ list: UnsafeBufferPointer<Int32>, from: Int, to: Int, of value: Int32) -> Int {
        var lo = from, hi = to
        while lo < hi {
            let mid = (lo + hi) / 2
            if list[mid] < value { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Jaro–Winkler similarity in 0…1 (prefix scale 0.1, up to 4 characters).
    static func jaroWinkler(_ a: [UInt32], _ b: [UInt32]) -> Double { jaroWinkler(a[...], b[...]) }

    static func jaroWinkler(_ a: ArraySlice<UInt32>, _ b: ArraySlice<UInt32>) -> Double {
        if a.elementsEqual(b) { return 1 }
        if a.isEmpty || b.isEmpty { return 0 }
        return withUnsafeTemporaryAllocation(of: Bool.self, capacity: a.count + b.count) { flags in
            flags.initialize(repeating: false)
            let a0 = a.startIndex, b0 = b.startIndex
            let aCount = a.count, bCount = b.count
            let window = max(0, max(aCount, bCount) / 2 - 1)
            var matches = 0
            for i in 0..<aCount {
                let lo = max(0, i - window), hi = min(bCount - 1, i + window)
                if lo > hi { continue }
                for j in lo...hi where !flags[aCount + j] && a[a0 + i] == b[b0 + j] {
                    flags[i] = true
                    flags[aCount + j] = true
                    matches += 1
                    break
                }
            }
            if matches == 0 { return 0 }
            var transpositions = 0
            var j = 0
            for i in 0..<aCount where flags[i] {
                while !flags[aCount + j] { j += 1 }
                if a[a0 + i] != b[b0 + j] { transpositions += 1 }
                j += 1
            }
            let m = Double(matches)
            let jaro = (m / Double(aCount) + m / Double(bCount) + (m - Double(transpositions / 2)) / m) / 3
            var prefix = 0
            while prefix < min(4, aCount, bCount), a[a0 + prefix] == b[b0 + prefix] { prefix += 1 }
            return jaro + Double(prefix) * 0.1 * (1 - jaro)
        }
    }
}

/// Packed trigrams → gram numbers (0, 1, 2… in order of first insertion): open addressing on
/// a multiplicative hash. 0 is never a trigram, so it marks an empty slot.
struct TrigramTable: Sendable {
    private var slotKeys: [UInt64]
    private var slotValues: [Int32]
    private var count = 0
    private var shift: UInt64

    init(capacity: Int) {
        var size = 16, bits: UInt64 = 4
        while size < capacity * 2 {
            size <<= 1
            bits += 1
        }
        slotKeys = [UInt64](repeating: 0, count: size)
        slotValues = [Int32](repeating: 0, count: size)
        shift = 64 - bits
    }

    @inline(__always) private func slot(_ t: UInt64) -> Int { Int((t &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    func find(_ t: UInt64) -> Int? {
        let mask = slotKeys.count - 1
        var i = slot(t)
        while true {
            let k = slotKeys[i]
            if k == t { return Int(slotValues[i]) }
            if k == 0 { return nil }
            i = (i + 1) & mask
        }
    }

    /// The number of `t`, given the next free number if it is new.
    mutating func insert(_ t: UInt64) -> Int32 {
        if let g = find(t) { return Int32(g) }
        if (count + 1) * 2 > slotKeys.count { grow() }
        let mask = slotKeys.count - 1
        var i = slot(t)
        while slotKeys[i] != 0 { i = (i + 1) & mask }
        slotKeys[i] = t
        slotValues[i] = Int32(count)
        count += 1
        return Int32(count - 1)
    }

    private mutating func grow() {
        let oldKeys = slotKeys, oldValues = slotValues
        slotKeys = [UInt64](repeating: 0, count: oldKeys.count * 2)
        slotValues = [Int32](repeating: 0, count: oldKeys.count * 2)
        shift -= 1
        let mask = slotKeys.count - 1
        for (t, v) in zip(oldKeys, oldValues) where t != 0 {
            var i = slot(t)
            while slotKeys[i] != 0 { i = (i + 1) & mask }
            slotKeys[i] = t
            slotValues[i] = v
        }
    }
}

/// Per-search counter arrays, reused: a counter holds a 24-bit search generation and an 8-bit
/// count, so a new search needs no clearing. Each concurrent search takes its own array.
final class CounterPool: @unchecked Sendable {
    struct Counters {
        var values: [UInt32]
        var generation: UInt32
    }

    private let lock = NSLock()
    private var spare: [Counters] = []
    let size: Int

    init(size: Int) { self.size = size }

    func withCounters<R>(_ body: (inout Counters) -> R) -> R {
        lock.lock()
        var counters = spare.popLast() ?? Counters(values: [UInt32](repeating: 0, count: size), generation: 0)
        lock.unlock()
        counters.generation += 1
        if counters.generation >= 1 << 24 {
            counters.values = [UInt32](repeating: 0, count: size)
            counters.generation = 1
        }
        let result = body(&counters)
        lock.lock()
        spare.append(counters)
        lock.unlock()
        return result
    }
}
