/// A fixed list of lower-case ASCII phrases ("in response to", "did not carry out"), compiled
/// once into scalar values and indexed by first letter, so that one pass over a range finds
/// every phrase of the list.
struct PhraseList: ExpressibleByArrayLiteral, Sendable {
    let phrases: [String]
    let needles: [[UInt32]]
    /// ASCII first scalar → numbers of the phrases starting with it, in list order.
    let byFirst: [[Int]]

    init(arrayLiteral elements: String...) { self.init(elements) }

    init(_ phrases: [String]) {
        self.phrases = phrases
        needles = phrases.map { $0.unicodeScalars.map(\.value) }
        var byFirst = [[Int]](repeating: [], count: 128)
        for (k, n) in needles.enumerated() {
            precondition(!n.isEmpty && n.allSatisfy { $0 < 128 }, "phrases are non-empty ASCII: '\(phrases[k])'")
            byFirst[Int(n[0])].append(k)
        }
        self.byFirst = byFirst
    }

    func contains(_ phrase: String) -> Bool { phrases.contains(phrase) }
}

/// Finding fixed lower-case ASCII phrases in a document's lower-cased scalars, by offset, without
/// building strings: the extractor's phrase lists are searched in every sentence, so this is on
/// its hot path. A phrase is found only when it lies wholly inside the range.
enum PhraseSearch {
    /// Whether `needle` starts at `i` (the caller checked that it fits before `end`).
    @inline(__always)
    static func matches(_ s: UnsafeBufferPointer<Unicode.Scalar>, _ i: Int, _ needle: [UInt32]) -> Bool {
        var k = 1
        let n = needle.count
        while k < n {
            if s[i + k].value != needle[k] { return false }
            k += 1
        }
        return true
    }

    /// The first offset in `range` where `phrase` starts, or nil.
    static func find(_ phrase: String, in s: [Unicode.Scalar], _ range: Range<Int>) -> Int? {
        find(phrase.unicodeScalars.map(\.value), in: s, range)
    }

    static func find(_ needle: [UInt32], in s: [Unicode.Scalar], _ range: Range<Int>) -> Int? {
        guard let first = needle.first else { return nil }
        let lo = max(0, range.lowerBound), hi = min(range.upperBound, s.count)
        let last = hi - needle.count
        guard last >= lo else { return nil }
        return s.withUnsafeBufferPointer { b -> Int? in
            var i = lo
            while i <= last {
                if b[i].value == first && matches(b, i, needle) { return i }
                i += 1
            }
            return nil
        }
    }

    static func contains(_ phrase: String, in s: [Unicode.Scalar], _ range: Range<Int>) -> Bool { find(phrase, in: s, range) != nil }

    /// Whether any phrase of the list occurs in `range`.
    static func containsAny(_ list: PhraseList, in s: [Unicode.Scalar], _ range: Range<Int>) -> Bool {
        earliestIndex(list, s, range) != nil
    }

    /// The first phrase of `list` found in `range`, in list order (not text order).
    static func first(of list: PhraseList, in s: [Unicode.Scalar], _ range: Range<Int>) -> String? {
        let lo = max(0, range.lowerBound), hi = min(range.upperBound, s.count)
        guard hi > lo else { return nil }
        var best = Int.max
        s.withUnsafeBufferPointer { b in
            for i in lo..<hi {
                let v = b[i].value
                guard v < 128 else { continue }
                for k in list.byFirst[Int(v)] where k < best {
                    let needle = list.needles[k]
                    if i + needle.count <= hi && matches(b, i, needle) {
                        best = k
                        if k == 0 { return }
                    }
                }
            }
        }
        return best == Int.max ? nil : list.phrases[best]
    }

    /// The earliest occurrence of any phrase of `list` in `range` (the first in list order
    /// among those starting there): (offset, phrase).
    static func earliest(of list: PhraseList, in s: [Unicode.Scalar], _ range: Range<Int>) -> (at: Int, phrase: String)? {
        earliestIndex(list, s, range).map { ($0.at, list.phrases[$0.k]) }
    }

    static func earliestIndex(_ list: PhraseList, _ s: [Unicode.Scalar], _ range: Range<Int>) -> (at: Int, k: Int)? {
        let lo = max(0, range.lowerBound), hi = min(range.upperBound, s.count)
        guard hi > lo else { return nil }
        return s.withUnsafeBufferPointer { b -> (at: Int, k: Int)? in
            for i in lo..<hi {
                let v = b[i].value
                guard v < 128 else { continue }
                for k in list.byFirst[Int(v)] {
                    let needle = list.needles[k]
                    if i + needle.count <= hi && matches(b, i, needle) { return (i, k) }
                }
            }
            return nil
        }
    }

    /// Every occurrence of `phrase` in `range`.
    static func all(_ phrase: String, in s: [Unicode.Scalar], _ range: Range<Int>) -> [Int] {
        let needle = phrase.unicodeScalars.map(\.value)
        var found: [Int] = []
        var from = range.lowerBound
        while let at = find(needle, in: s, from..<range.upperBound) { found.append(at); from = at + 1 }
        return found
    }
}

/// A lower-case ASCII word of up to 16 letters packed into two integers, for looking words of a
/// report up in small tables without making a string of each.
struct WordKey: Hashable, Sendable {
    var a: UInt64 = 0
    var b: UInt64 = 0

    /// `lower[i..<j]`, or nil when it is longer than 16 scalars or not ASCII.
    init?(_ lower: [Unicode.Scalar], _ i: Int, _ j: Int) {
        guard j - i <= 16 else { return nil }
        for k in i..<j {
            let v = lower[k].value
            guard v < 128 else { return nil }
            if k - i < 8 { a |= UInt64(v) << (8 * UInt64(k - i)) } else { b |= UInt64(v) << (8 * UInt64(k - i - 8)) }
        }
    }

    init(_ word: String) {
        let s = Array(word.unicodeScalars)
        self = WordKey(s, 0, s.count)!
    }
}

/// Strings of a range of scalars, built through UTF-8 bytes for ASCII text (the common case)
/// rather than one scalar at a time.
enum ScalarText {
    static func string(_ s: [Unicode.Scalar], _ range: Range<Int>) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(range.count)
        for i in range {
            let v = s[i].value
            guard v < 128 else { return String(String.UnicodeScalarView(s[range])) }
            bytes.append(UInt8(v))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `string(s, range).lowercased()`.
    static func lowered(_ s: [Unicode.Scalar], _ range: Range<Int>) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(range.count)
        for i in range {
            let v = s[i].value
            guard v < 128 else { return String(String.UnicodeScalarView(s[range])).lowercased() }
            bytes.append(UInt8(v >= 65 && v <= 90 ? v + 32 : v))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `Unicode.Scalar.Properties.isWhitespace`, with ASCII answered by hand.
    @inline(__always) static func isWhitespace(_ c: Unicode.Scalar) -> Bool {
        c.value < 128 ? c.value == 32 || (c.value >= 9 && c.value <= 13) : c.properties.isWhitespace
    }
}
