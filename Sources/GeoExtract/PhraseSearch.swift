import GeoCore
import GeoEvents

/// A fixed list of lower-case ASCII phrases ("in response to", "did not carry out"), compiled
/// once into scalar values and indexed by first letter, so that one pass over a range finds
/// every phrase of the list.
struct PhraseList: ExpressibleByArrayLiteral, Sendable {
    let phrases: [String]
    let needles: [[UInt32]]
    /// ASCII first scalar → numbers of the phrases starting with it, in list order.
    let byFirst: [[Int]]
    /// Phrases by their first two ASCII scalars, flattened: those that can start with scalars
    /// `a`, `b` are `pairItems[pairOffsets[a * 128 + b]..<pairOffsets[a * 128 + b + 1]]`, in
    /// list order (a one-scalar phrase is under every second scalar).
    let pairOffsets: [Int32]
    let pairItems: [Int32]
    /// One bit per pair of first scalars: set when some phrase can start with them (2 KB, where
    /// `pairOffsets` takes 64 KB): most pairs of a text start none, and are passed here.
    let pairBits: [UInt64]
    /// `needles` one after another: needle `k` is `flatNeedles[flatStarts[k]..<flatStarts[k + 1]]`.
    let flatNeedles: [UInt32]
    let flatStarts: [Int32]

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
        var byPair = [[Int32]](repeating: [], count: 128 * 128)
        for (k, n) in needles.enumerated() {
            if n.count == 1 {
                for second in 0..<128 { byPair[Int(n[0]) * 128 + second].append(Int32(k)) }
            } else {
                byPair[Int(n[0]) * 128 + Int(n[1])].append(Int32(k))
            }
        }
        var offsets: [Int32] = [0]
        offsets.reserveCapacity(byPair.count + 1)
        for list in byPair { offsets.append(offsets.last! + Int32(list.count)) }
        pairOffsets = offsets
        var bits = [UInt64](repeating: 0, count: 128 * 128 / 64)
        for (slot, list) in byPair.enumerated() where !list.isEmpty { bits[slot >> 6] |= 1 << UInt64(slot & 63) }
        pairBits = bits
        pairItems = byPair.flatMap { $0 }
        flatNeedles = needles.flatMap { $0 }
        var starts: [Int32] = [0]
        for n in needles { starts.append(starts.last! + Int32(n.count)) }
        flatStarts = starts
    }

    /// The list's tables as buffers, for a search that asks them at every offset of a range
    /// (`Tables.forEachCandidate` is `forEachCandidate` without reaching the arrays each time).
    @inline(__always)
    func withTables<R>(_ body: (Tables) -> R) -> R {
        pairOffsets.withUnsafeBufferPointer { offsets in
            pairItems.withUnsafeBufferPointer { items in
                flatNeedles.withUnsafeBufferPointer { flat in
                    flatStarts.withUnsafeBufferPointer { starts in
                        pairBits.withUnsafeBufferPointer { bits in
                            body(Tables(list: self, offsets: offsets, items: items, flat: flat, starts: starts, bits: bits))
                        }
                    }
                }
            }
        }
    }

    struct Tables {
        let list: PhraseList
        let offsets: UnsafeBufferPointer<Int32>
        let items: UnsafeBufferPointer<Int32>
        let flat: UnsafeBufferPointer<UInt32>
        let starts: UnsafeBufferPointer<Int32>
        let bits: UnsafeBufferPointer<UInt64>

        /// As `PhraseList.forEachCandidate`.
        @inline(__always)
        func forEachCandidate(_ b: UnsafeBufferPointer<Unicode.Scalar>, _ i: Int, _ hi: Int, _ body: (Int) -> Bool) {
            PhraseList.forEachCandidate(b, i, hi, offsets: offsets, items: items, bits: bits, byFirst: list.byFirst, body)
        }

        /// Whether needle `k` (whose first scalar the candidate tables matched) lies at `i`, before `hi`.
        @inline(__always)
        func matches(_ b: UnsafeBufferPointer<Unicode.Scalar>, _ i: Int, _ k: Int, _ hi: Int) -> Bool {
            let from = Int(starts[k]), to = Int(starts[k + 1])
            guard i + (to - from) <= hi else { return false }
            var m = from + 1
            var j = i + 1
            while m < to {
                if b[j].value != flat[m] { return false }
                m += 1
                j += 1
            }
            return true
        }
    }

    /// Calls `body` with the number of each phrase that can start at `i` of `b` (before `hi`), in
    /// list order, until it returns false: by the first two scalars, or by the first alone at the
    /// last scalar of the range or before a non-ASCII one.
    @inline(__always)
    func forEachCandidate(_ b: UnsafeBufferPointer<Unicode.Scalar>, _ i: Int, _ hi: Int, _ body: (Int) -> Bool) {
        pairOffsets.withUnsafeBufferPointer { offsets in
            pairItems.withUnsafeBufferPointer { items in
                pairBits.withUnsafeBufferPointer { bits in
                    Self.forEachCandidate(b, i, hi, offsets: offsets, items: items, bits: bits, byFirst: byFirst, body)
                }
            }
        }
    }

    /// The walk of `forEachCandidate` over the pair tables given as buffers (`pairOffsets`,
    /// `pairItems`, `pairBits`), shared by `PhraseList` and `Tables`.
    @inline(__always)
    static func forEachCandidate(_ b: UnsafeBufferPointer<Unicode.Scalar>, _ i: Int, _ hi: Int, offsets: UnsafeBufferPointer<Int32>,
                                 items: UnsafeBufferPointer<Int32>, bits: UnsafeBufferPointer<UInt64>, byFirst: [[Int]], _ body: (Int) -> Bool) {
        let v = b[i].value
        guard v < 128 else { return }
        if i + 1 < hi, b[i + 1].value < 128 {
            let slot = Int(v) * 128 + Int(b[i + 1].value)
            guard bits[slot >> 6] & (1 << UInt64(slot & 63)) != 0 else { return }  // no phrase starts so
            var j = Int(offsets[slot])
            let end = Int(offsets[slot + 1])
            while j < end {
                if !body(Int(items[j])) { return }
                j += 1
            }
            return
        }
        for k in byFirst[Int(v)] where !body(k) { return }
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
        list.withTables { t in
            s.withUnsafeBufferPointer { b in
                for i in lo..<hi {
                    t.forEachCandidate(b, i, hi) { k in
                        guard k < best else { return false }
                        if t.matches(b, i, k, hi) { best = k; return false }
                        return true
                    }
                    if best == 0 { return }
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
        return list.withTables { t in
            s.withUnsafeBufferPointer { b -> (at: Int, k: Int)? in
                for i in lo..<hi {
                    var found = -1
                    t.forEachCandidate(b, i, hi) { k in
                        if t.matches(b, i, k, hi) { found = k; return false }
                        return true
                    }
                    if found >= 0 { return (i, found) }
                }
                return nil
            }
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

/// Substring tests on short strings (a wording, a clause) without Foundation's `range(of:)`.
enum TextContains {
    /// Whether `text` contains any of `needles` (as `String.contains` answers): by bytes when
    /// `text` is ASCII (where that is the same test), else through `String.contains`.
    static func any(_ text: String, _ needles: [String]) -> Bool {
        var text = text
        let ascii: Bool? = text.withUTF8 { bytes in
            guard !bytes.contains(where: { $0 >= 128 }) else { return nil }
            for needle in needles {
                var found = false
                needle.utf8.withContiguousStorageIfAvailable { n in found = contains(bytes, n) }
                if found { return true }
            }
            return false
        }
        return ascii ?? needles.contains { text.contains($0) }
    }

    /// Whether `bytes` contains `needle` (an empty needle is found).
    static func contains(_ bytes: UnsafeBufferPointer<UInt8>, _ needle: UnsafeBufferPointer<UInt8>) -> Bool {
        let m = needle.count
        guard m > 0 else { return true }
        guard bytes.count >= m else { return false }
        let first = needle[0]
        for i in 0...(bytes.count - m) where bytes[i] == first {
            var k = 1
            while k < m && bytes[i + k] == needle[k] { k += 1 }
            if k == m { return true }
        }
        return false
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
        range.isEmpty ? "" : ScalarUTF8.string(s, range)
    }

    /// `string(s, range).lowercased()`.
    static func lowered(_ s: [Unicode.Scalar], _ range: Range<Int>) -> String {
        for i in range where s[i].value >= 128 { return string(s, range).lowercased() }
        // ASCII: the lowered bytes written straight into the string.
        return s.withUnsafeBufferPointer { b in
            String(unsafeUninitializedCapacity: range.count) { out in
                var k = 0
                for i in range {
                    let v = b[i].value
                    out[k] = UInt8(v >= 65 && v <= 90 ? v + 32 : v)
                    k += 1
                }
                return k
            }
        }
    }

    /// Whether a non-ASCII scalar is a `Character` of its own wherever it stands (`ScalarClusters`).
    @inline(__always) static func standsAlone(_ v: UInt32) -> Bool { ScalarClusters.standsAlone(v) }

    /// `Unicode.Scalar.Properties.isWhitespace`, with ASCII answered by hand.
    @inline(__always) static func isWhitespace(_ c: Unicode.Scalar) -> Bool {
        c.value < 128 ? c.value == 32 || (c.value >= 9 && c.value <= 13) : c.properties.isWhitespace
    }
}
