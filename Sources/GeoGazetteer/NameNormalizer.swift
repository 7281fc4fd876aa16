import Foundation

/// Turns place names into match keys that survive the usual variation in transliterated Arabic
/// (and Kurdish, Turkish, Persian) names.
///
/// `key` folds: case and diacritics (ā ḩ ţ → a h t), apostrophes and ayn/hamza marks (‘ ’ ʿ ʾ),
/// hyphens and spaces; drops the article and its assimilated forms (al-, el-, ad-, ash-, as-,
/// at-, az-, ar-, an-, ez-… and a glued `Ezzor` → `zor`); maps Abu/Albu/Bou to `bu`; and folds
/// vowel spellings (ou/oo → u, ee → i, ay/ey/ei → ai, aw → u, o → u, e → i), q → k, doubled
/// letters, and the endings -ah/-eh → -a, -y → -i. Arabic script: alef forms → ا, taa marbuta
/// → ه, alef maqsura → ي, vowel marks and tatweel dropped, the article ال dropped.
/// `Boukamal`, `Albu Kamal`, `Abu Kamal` and `Al-Bukamal` all give `bukamal`; `Deir ez-Zor`,
/// `Deir Ezzor`, `Dayr az-Zawr` and `Deir al-Zour` give `dairzur`. Names in other scripts
/// (Cyrillic, CJK, …) have no key: they match exactly or not at all.
///
/// `skeleton` keeps only the consonants of a key (`rbl` for Erbil, Irbil and Arbil), a weaker
/// key for a second pass.
///
/// Internally a name is first folded into `FoldedWords` (one scalar array, words separated by
/// 0) and the key is computed from those as UTF-8 bytes, so that a lookup allocates two small
/// arrays and never a `String`.
public enum NameNormalizer {
    /// Bump whenever `key` changes what it returns: precomputed name indexes built by another
    /// version are then ignored.
    static let version = 1

    /// Latin letters with diacritics (U+00C0–U+024F, U+1E00–U+1EFF) → lowercase ASCII,
    /// computed once from Unicode's canonical decompositions.
    static let latinFolding: [UInt32: [UInt32]] = {
        var table: [UInt32: [UInt32]] = [:]
        let ranges: [ClosedRange<UInt32>] = [0xC0...0x24F, 0x1E00...0x1EFF]
        for v in ranges.joined() {
            guard let scalar = Unicode.Scalar(v) else { continue }
            let decomposed: [UInt32] = String(scalar).decomposedStringWithCanonicalMapping.lowercased().unicodeScalars.map(\.value)
            let base: [UInt32] = decomposed.filter { x in (0x61...0x7A).contains(x) || (0x30...0x39).contains(x) }
            if !base.isEmpty { table[v] = base }
        }
        let extra: [(UInt32, String)] = [(0x131, "i"), (0xF8, "o"), (0xD8, "o"), (0x142, "l"), (0x141, "l"), (0x111, "d"), (0x110, "d"),
                                         (0xDF, "ss"), (0xE6, "ae"), (0xC6, "ae"), (0x153, "oe"), (0x152, "oe"), (0xFE, "th"), (0xF0, "d")]
        for (v, s) in extra { table[v] = s.unicodeScalars.map(\.value) }
        return table
    }()

    /// The longest folding of one Latin letter (in scalars), to size buffers.
    static let longestFolding = latinFolding.values.map(\.count).max() ?? 1

    /// The words of a name, folded (lowercase ASCII or normalised Arabic), back to back with a 0
    /// after each word; nil when the name uses another script (it then has no key).
    struct FoldedWords {
        var scalars: [UInt32]
        var wordCount: Int

        /// Calls `body` with each word's range in `scalars`, in order.
        func forEachWord(_ body: (Range<Int>) -> Void) {
            var start = 0
            for (i, v) in scalars.enumerated() where v == 0 {
                body(start..<i)
                start = i + 1
            }
        }

        /// Word ranges, in order.
        var wordRanges: [Range<Int>] {
            var ranges: [Range<Int>] = []
            ranges.reserveCapacity(wordCount)
            forEachWord { ranges.append($0) }
            return ranges
        }
    }

    /// `latinFolding` as a flat table: U+00C0–U+024F at 0…399, U+1E00–U+1EFF at 400…655; up
    /// to three ASCII bytes packed low byte first (0: the letter has no folding and ends a word).
    static let latinFoldingTable: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 656)
        for (v, folded) in latinFolding {
            precondition(folded.count <= 3, "latin folding longer than three letters")
            let slot = v >= 0x1E00 ? Int(v - 0x1E00) + 400 : Int(v - 0xC0)
            table[slot] = folded.enumerated().reduce(0) { $0 | $1.element << (8 * UInt32($1.offset)) }
        }
        return table
    }()

    /// Folds `text` into words (see `FoldedWords`); nil for another script. Latin letters
    /// fold through a flat table.
    static func foldedWords(_ text: some StringProtocol) -> FoldedWords? {
        var out: [UInt32] = []
        out.reserveCapacity(text.utf8.count * longestFolding + 1)
        var wordCount = 0
        var inWord = false
        func endWord() {
            if inWord {
                out.append(0)
                wordCount += 1
                inWord = false
            }
        }
        for scalar in text.unicodeScalars {
            let v = scalar.value
            switch v {
            case 0x41...0x5A:
                out.append(v + 32)
                inWord = true
            case 0x61...0x7A, 0x30...0x39:
                out.append(v)
                inWord = true
            case 0x27, 0x60, 0xB4, 0x2BB, 0x2BC, 0x2BE, 0x2BF, 0x2018, 0x2019, 0x2032, 0x300...0x36F:
                continue  // apostrophes, ayn and hamza marks, combining diacritics
            case 0x64B...0x65F, 0x670, 0x640:
                continue  // Arabic vowel marks, superscript alef, tatweel
            case 0x622, 0x623, 0x625, 0x671:
                out.append(0x627)  // alef forms → alef
                inWord = true
            case 0x629:
                out.append(0x647)  // taa marbuta → haa
                inWord = true
            case 0x649:
                out.append(0x64A)  // alef maqsura → yaa
                inWord = true
            case 0x620...0x64A, 0x660...0x669, 0x66E...0x6D3:
                out.append(v)
                inWord = true
            case 0xC0...0x24F, 0x1E00...0x1EFF:
                var folded = latinFoldingTable[v >= 0x1E00 ? Int(v - 0x1E00) + 400 : Int(v - 0xC0)]
                if folded == 0 {
                    endWord()
                } else {
                    while folded != 0 {
                        out.append(folded & 0xFF)
                        folded >>= 8
                    }
                    inWord = true
                }
            default:
                if v < 0x80 || (0x2000...0x206F).contains(v) || (0xA0...0xBF).contains(v) {
                    endWord()  // punctuation and spaces separate words
                } else {
                    return nil  // another script
                }
            }
        }
        endWord()
        return FoldedWords(scalars: out, wordCount: wordCount)
    }

    /// Words of the folded name, for display and query parsing.
    public static func words(_ text: String) -> [String] {
        guard let folded = foldedWords(text) else { return [] }
        return folded.wordRanges.map { range in
            let word = folded.scalars[range]
            if word.allSatisfy({ $0 < 0x80 }) { return String(decoding: word.map { UInt8(truncatingIfNeeded: $0) }, as: UTF8.self) }
            return String(String.UnicodeScalarView(word.compactMap(Unicode.Scalar.init)))
        }
    }

    /// The match key of a name; "" when it has no letters or is in a script without keys.
    public static func key(_ text: String) -> String {
        String(decoding: keyBytes(text), as: UTF8.self)
    }

    /// The match key as UTF-8 bytes (empty: no key).
    static func keyBytes(_ text: some StringProtocol) -> [UInt8] {
        guard let folded = foldedWords(text) else { return [] }
        return keyBytes(folded)
    }

    /// The key of the folded words, leaving out the words in `skipping` (word numbers): the key
    /// of a query without its kind phrase ("Ain al-Asad air base" → the key of "Ain al-Asad").
    static func keyBytes(_ folded: FoldedWords, skipping: Range<Int> = 0..<0) -> [UInt8] {
        folded.scalars.withUnsafeBufferPointer { keyBytes(foldedScalars: $0, skipping: skipping) }
    }

    /// `keyBytes` of folded words given as their scalars in place (each word followed by a 0, as
    /// `FoldedWords.scalars`), without copying them into a `FoldedWords` first.
    static func keyBytes(foldedScalars scalars: UnsafeBufferPointer<UInt32>, skipping: Range<Int> = 0..<0) -> [UInt8] {
        // The article goes, unless the name is nothing but articles: count the words first.
        var words = 0, articles = 0
        var number = 0
        var start = 0
        for end in 0..<scalars.count where scalars[end] == 0 {
            if !skipping.contains(number) {
                words += 1
                if isArticle(scalars, start..<end) { articles += 1 }
            }
            number += 1
            start = end + 1
        }
        if words == 0 { return [] }
        let dropArticles = words > 1 && articles < words
        // Every letter gives at most one letter of the key, of at most two bytes.
        return [UInt8](unsafeUninitializedCapacity: 2 * scalars.count + 2) { buffer, initialized in
            var writer = KeyWriter(buffer.baseAddress!)
            var first = true
            number = 0
            start = 0
            for end in 0..<scalars.count where scalars[end] == 0 {
                if !skipping.contains(number), !(dropArticles && isArticle(scalars, start..<end)) {
                    fold(scalars, start..<end, first: first, into: &writer)
                    first = false
                }
                number += 1
                start = end + 1
            }
            initialized = writer.count
        }
    }

    /// A key being written into a buffer large enough for it: doubled letters collapsed,
    /// encoded as UTF-8 (ASCII and Arabic letters only, so one or two bytes each).
    struct KeyWriter {
        let out: UnsafeMutablePointer<UInt8>
        var count = 0
        var previous: UInt32 = 0

        init(_ out: UnsafeMutablePointer<UInt8>) { self.out = out }

        @inline(__always) mutating func append(_ v: UInt32) {
            guard v != previous else { return }
            previous = v
            if v < 0x80 {
                out[count] = UInt8(truncatingIfNeeded: v)
                count += 1
            } else {
                out[count] = UInt8(truncatingIfNeeded: 0xC0 | (v >> 6))
                out[count + 1] = UInt8(truncatingIfNeeded: 0x80 | (v & 0x3F))
                count += 2
            }
        }
    }

    /// al, el, il, ul, ad, ed, adh, ath, ash, esh, as, es, at, et, az, ez, ar, er, an, en, ud.
    static func isArticle(_ word: ArraySlice<UInt32>) -> Bool {
        word.withUnsafeBufferPointer { isArticle($0, 0..<$0.count) }
    }

    /// `isArticle` of the word `scalars[range]`.
    @inline(__always)
    static func isArticle(_ scalars: UnsafeBufferPointer<UInt32>, _ range: Range<Int>) -> Bool {
        let count = range.count
        guard count == 2 || count == 3 else { return false }
        let i0 = range.lowerBound
        let x = scalars[i0], z = scalars[i0 + 1]
        if count == 3 {
            // adh, ath, ash, esh
            guard scalars[i0 + 2] == h else { return false }
            return (x == a && (z == d || z == t || z == s)) || (x == e && z == s)
        }
        switch x {
        case a, e: return z == l || z == d || z == s || z == t || z == zz || z == r || z == n
        case i: return z == l
        case u: return z == l || z == d
        default: return false
        }
    }

    static let a: UInt32 = 0x61, e: UInt32 = 0x65, h: UInt32 = 0x68, i: UInt32 = 0x69, o: UInt32 = 0x6F, u: UInt32 = 0x75
    static let y: UInt32 = 0x79, w: UInt32 = 0x77, q: UInt32 = 0x71, k: UInt32 = 0x6B, c: UInt32 = 0x63, d: UInt32 = 0x64
    static let j: UInt32 = 0x6A, p: UInt32 = 0x70, f: UInt32 = 0x66, b: UInt32 = 0x62, l: UInt32 = 0x6C
    static let s: UInt32 = 0x73, t: UInt32 = 0x74, r: UInt32 = 0x72, n: UInt32 = 0x6E, zz: UInt32 = 0x7A

    /// t d r z s n l: the letters the article assimilates to.
    static func isSunLetter(_ v: UInt32) -> Bool { v == t || v == d || v == r || v == zz || v == s || v == n || v == l }

    /// The folding of the word `scalars[range]`, appended to `out`.
    static func fold(_ scalars: UnsafeBufferPointer<UInt32>, _ range: Range<Int>, first: Bool, into out: inout KeyWriter) {
        var lo = range.lowerBound
        let hi = range.upperBound
        guard lo < hi else { return }
        if scalars[lo] >= 0x600 {
            // Arabic: drop the article ال from words longer than it.
            if hi - lo > 3, scalars[lo] == 0x627, scalars[lo + 1] == 0x644 { lo += 2 }
            for index in lo..<hi { out.append(scalars[index]) }
            return
        }
        // Abu / Albu / Bou → bu.
        var skip = -1
        if hi - lo >= 4, scalars[lo] == a, scalars[lo + 1] == l, scalars[lo + 2] == b, scalars[lo + 3] == u {
            lo += 2
        } else if hi - lo >= 3, scalars[lo] == a, scalars[lo + 1] == b, scalars[lo + 2] == u {
            lo += 1
        } else if hi - lo >= 3, scalars[lo] == b, scalars[lo + 1] == o, scalars[lo + 2] == u {
            skip = lo + 1
        }
        // The word's letters, copied so that the rules below can rewrite them: on the stack
        // for words of up to 32 letters.
        if hi - lo <= 32 {
            var stack = InlineArray<32, UInt32>(repeating: 0)
            var span = stack.mutableSpan
            span.withUnsafeMutableBufferPointer { foldLetters(scalars, lo..<hi, skip: skip, first: first, buffer: $0, into: &out) }
        } else {
            var heap = [UInt32](repeating: 0, count: hi - lo)
            heap.withUnsafeMutableBufferPointer { foldLetters(scalars, lo..<hi, skip: skip, first: first, buffer: $0, into: &out) }
        }
    }

    /// `fold` after the Abu/Albu/Bou rule: the word's letters but `skip` are copied into
    /// `letters` and rewritten there.
    @inline(__always)
    private static func foldLetters(_ scalars: UnsafeBufferPointer<UInt32>, _ range: Range<Int>, skip: Int, first: Bool,
                                    buffer letters: UnsafeMutableBufferPointer<UInt32>, into out: inout KeyWriter)
    {
        do {
            let lo = range.lowerBound, hi = range.upperBound
            var length = 0
            for index in lo..<hi where index != skip {
                letters[length] = scalars[index]
                length += 1
            }
            var start = 0
            // A glued assimilated article on a later word: Ezzor → zor.
            if !first, length > 3, letters[0] == e, isSunLetter(letters[1]), letters[1] == letters[2] {
                start = 2
                length -= 2
            }
            // Endings: -ah/-eh → -a, then a final y → i.
            if length > 3, letters[start + length - 1] == h, letters[start + length - 2] == a || letters[start + length - 2] == e {
                letters[start + length - 2] = a
                length -= 1
            }
            if length > 2, letters[start + length - 1] == y { letters[start + length - 1] = i }
            // Spellings of the same sound, left to right.
            var index = start
            let end = start + length
            while index < end {
                let x = letters[index], next = index + 1 < end ? letters[index + 1] : 0
                var step = 1
                switch x {
                case o:
                    out.append(u)
                    if next == u || next == o { step = 2 }
                case e:
                    if next == e {
                        out.append(i)
                        step = 2
                    } else if next == y || next == i {
                        out.append(a)
                        out.append(i)
                        step = 2
                    } else {
                        out.append(i)
                    }
                case a:
                    if next == y {
                        out.append(a)
                        out.append(i)
                        step = 2
                    } else if next == w {
                        out.append(u)
                        step = 2
                    } else {
                        out.append(a)
                    }
                case c:
                    out.append(next == k ? k : c)
                    if next == k { step = 2 }
                case d:
                    out.append(next == j ? j : d)
                    if next == j { step = 2 }
                case p:
                    out.append(next == h ? f : p)
                    if next == h { step = 2 }
                case q:
                    out.append(k)
                default:
                    out.append(x)
                }
                index += step
            }
        }
    }

    /// The consonants of a key, doubled letters collapsed ("" when shorter than 3, too weak).
    public static func skeleton(ofKey key: String) -> String {
        String(decoding: skeletonBytes(ofKey: Array(key.utf8)), as: UTF8.self)
    }

    /// `skeleton(ofKey:)` over the key's UTF-8 bytes. Vowels are ASCII a e i o u y; other
    /// letters (Arabic, two bytes each) are kept whole.
    static func skeletonBytes(ofKey key: some Collection<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(key.count)
        var letters = 0
        var previous: (UInt8, UInt8) = (0, 0)
        var iterator = key.makeIterator()
        while let first = iterator.next() {
            var letter = (first, UInt8(0))
            if first >= 0xC0, let second = iterator.next() { letter.1 = second }
            if letter.1 == 0, first == 0x61 || first == 0x65 || first == 0x69 || first == 0x6F || first == 0x75 || first == 0x79 { continue }
            if letter == previous { continue }
            previous = letter
            out.append(letter.0)
            if letter.1 != 0 { out.append(letter.1) }
            letters += 1
        }
        return letters >= 3 ? out : []
    }
}
