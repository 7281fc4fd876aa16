/// Trigram candidates over normalised keys, re-scored by Jaro–Winkler similarity.
struct FuzzyIndex: Sendable {
    let keys: [String]
    let keyScalars: [[UInt32]]
    /// Trigram → indices of keys containing it.
    let postings: [UInt64: [Int32]]

    init(keys: [String]) {
        self.keys = keys
        keyScalars = keys.map { $0.unicodeScalars.map(\.value) }
        var postings: [UInt64: [Int32]] = [:]
        for (i, scalars) in keyScalars.enumerated() {
            for t in Set(Self.trigrams(scalars)) { postings[t, default: []].append(Int32(i)) }
        }
        self.postings = postings
    }

    /// Trigrams of a key padded with boundary marks, packed into 64 bits.
    static func trigrams(_ s: [UInt32]) -> [UInt64] {
        let padded = [0] + s + [0]
        guard padded.count >= 3 else { return [] }
        return (0..<(padded.count - 2)).map { i in
            UInt64(padded[i]) << 42 | UInt64(padded[i + 1]) << 21 | UInt64(padded[i + 2])
        }
    }

    /// Keys sharing at least a third of `key`'s trigrams, best Jaro–Winkler first, at least
    /// `minimumSimilarity`.
    ///
    /// Prefix filtering keeps it fast: a key that shares `need` of the query's `n` trigrams must
    /// contain one of any `n − need + 1` of them, so only the postings of the rarest
    /// `n − need + 1` trigrams are read; keys whose length differs by more than a third are
    /// skipped before their trigrams are counted.
    ///
    /// `minimumSharedFraction` is the share of the query's trigrams a candidate must contain
    /// (a third by default; a half when only close matches are wanted, which reads far fewer
    /// postings).
    func search(_ key: String, limit: Int = 10, minimumSimilarity: Double = 0.82, minimumSharedFraction: Double = 1.0 / 3)
        -> [(key: String, similarity: Double, trigramOverlap: Double)]
    {
        let q = key.unicodeScalars.map(\.value)
        let grams = Set(Self.trigrams(q))
        guard !grams.isEmpty else { return [] }
        let need = max(1, Int((Double(grams.count) * minimumSharedFraction).rounded(.up)))
        let probes = grams.map { (gram: $0, list: postings[$0] ?? []) }.sorted { $0.list.count < $1.list.count }
            .prefix(grams.count - need + 1)
        var candidates: [Int32] = []
        for probe in probes { candidates.append(contentsOf: probe.list) }
        candidates.sort()
        let slack = max(3, q.count / 3)
        // The query's few trigrams as a plain array: a linear scan beats hashing here.
        let gramList = Array(grams)
        var scored: [(key: String, similarity: Double, trigramOverlap: Double)] = []
        var previous: Int32 = -1
        for i in candidates where i != previous {
            previous = i
            let candidate = keyScalars[Int(i)]
            guard abs(candidate.count - q.count) <= slack else { continue }
            // Count the candidate's trigrams that the query has, without allocating
            // (a repeated trigram may count twice; the Jaro–Winkler check follows anyway).
            var shared = 0
            let n = candidate.count
            for j in 0..<n {
                let a = j == 0 ? 0 : candidate[j - 1], c = j + 1 < n ? candidate[j + 1] : 0
                let t = UInt64(a) << 42 | UInt64(candidate[j]) << 21 | UInt64(c)
                for g in gramList where g == t {
                    shared += 1
                    break
                }
            }
            guard shared >= need else { continue }
            let sim = Self.jaroWinkler(q, candidate)
            // Share of trigrams in common, over the larger trigram set (0…1).
            let overlap = Double(shared) / Double(max(grams.count, candidate.count))
            if sim >= minimumSimilarity { scored.append((keys[Int(i)], sim, overlap)) }
        }
        scored.sort { $0.similarity != $1.similarity ? $0.similarity > $1.similarity : $0.key < $1.key }
        return Array(scored.prefix(limit))
    }

    /// Jaro–Winkler similarity in 0…1 (prefix scale 0.1, up to 4 characters).
    static func jaroWinkler(_ a: [UInt32], _ b: [UInt32]) -> Double {
        if a == b { return 1 }
        if a.isEmpty || b.isEmpty { return 0 }
        let window = max(0, max(a.count, b.count) / 2 - 1)
        var aMatched = [Bool](repeating: false, count: a.count)
        var bMatched = [Bool](repeating: false, count: b.count)
        var matches = 0
        for i in 0..<a.count {
            let lo = max(0, i - window), hi = min(b.count - 1, i + window)
            if lo > hi { continue }
            for j in lo...hi where !bMatched[j] && a[i] == b[j] {
                aMatched[i] = true
                bMatched[j] = true
                matches += 1
                break
            }
        }
        if matches == 0 { return 0 }
        var transpositions = 0
        var j = 0
        for i in 0..<a.count where aMatched[i] {
            while !bMatched[j] { j += 1 }
            if a[i] != b[j] { transpositions += 1 }
            j += 1
        }
        let m = Double(matches)
        let jaro = (m / Double(a.count) + m / Double(b.count) + (m - Double(transpositions / 2)) / m) / 3
        var prefix = 0
        while prefix < min(4, a.count, b.count), a[prefix] == b[prefix] { prefix += 1 }
        return jaro + Double(prefix) * 0.1 * (1 - jaro)
    }
}
