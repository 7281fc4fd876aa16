/// Finding fixed lower-case ASCII phrases ("in response to", "did not carry out") in a document's
/// lower-cased scalars, by offset, without building strings: the extractor's phrase lists are
/// searched in every sentence, so this is on its hot path.
enum PhraseSearch {
    /// The first offset in `range` where `phrase` starts, or nil.
    static func find(_ phrase: String, in s: [Unicode.Scalar], _ range: Range<Int>) -> Int? {
        let needle = phrase.unicodeScalars
        guard let first = needle.first else { return nil }
        let n = needle.count
        let upper = min(range.upperBound, s.count)
        guard upper - range.lowerBound >= n else { return nil }
        var i = max(0, range.lowerBound)
        let last = upper - n
        while i <= last {
            if s[i] == first {
                var j = i + 1
                var k = needle.index(after: needle.startIndex)
                while k != needle.endIndex && s[j] == needle[k] { j += 1; k = needle.index(after: k) }
                if k == needle.endIndex { return i }
            }
            i += 1
        }
        return nil
    }

    static func contains(_ phrase: String, in s: [Unicode.Scalar], _ range: Range<Int>) -> Bool { find(phrase, in: s, range) != nil }

    /// The first phrase of `phrases` found in `range`, in list order.
    static func first(of phrases: [String], in s: [Unicode.Scalar], _ range: Range<Int>) -> String? {
        phrases.first { find($0, in: s, range) != nil }
    }

    /// The earliest occurrence of any of `phrases` in `range`: (offset, phrase).
    static func earliest(of phrases: [String], in s: [Unicode.Scalar], _ range: Range<Int>) -> (at: Int, phrase: String)? {
        var best: (at: Int, phrase: String)?
        for p in phrases { if let at = find(p, in: s, range), best == nil || at < best!.at { best = (at, p) } }
        return best
    }

    /// Every occurrence of `phrase` in `range`.
    static func all(_ phrase: String, in s: [Unicode.Scalar], _ range: Range<Int>) -> [Int] {
        var found: [Int] = []
        var from = range.lowerBound
        while let at = find(phrase, in: s, from..<range.upperBound) { found.append(at); from = at + 1 }
        return found
    }
}
