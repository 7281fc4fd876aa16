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

    /// Keys sharing trigrams with `key`, best Jaro–Winkler first, at least `minimumSimilarity`.
    func search(_ key: String, limit: Int = 10, minimumSimilarity: Double = 0.82) -> [(key: String, similarity: Double, trigramOverlap: Double)] {
        let q = key.unicodeScalars.map(\.value)
        let grams = Set(Self.trigrams(q))
        guard !grams.isEmpty else { return [] }
        // Count shared trigrams per key in a flat array; remember which keys were touched.
        var counts = [UInt8](repeating: 0, count: keys.count)
        var touched: [Int32] = []
        for g in grams {
            guard let list = postings[g], list.count < 20_000 else { continue }  // skip very common trigrams
            for i in list {
                if counts[Int(i)] == 0 { touched.append(i) }
                if counts[Int(i)] < 255 { counts[Int(i)] += 1 }
            }
        }
        // Keep candidates sharing at least a third of the query's trigrams.
        let need = max(1, grams.count / 3)
        var scored: [(key: String, similarity: Double, trigramOverlap: Double)] = []
        for i in touched where Int(counts[Int(i)]) >= need {
            let n = Int(counts[Int(i)])
            let candidate = keyScalars[Int(i)]
            let sim = Self.jaroWinkler(q, candidate)
            // Share of trigrams in common, over the longer of the two (Dice-like, 0…1).
            let overlap = Double(n) / Double(max(grams.count, candidate.count + 1))
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
