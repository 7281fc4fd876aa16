/// Words around an offset ("the word before", "the two words after"), lower-cased, for the rules that read context.
extension ReportExtractor {
    /// A letter: ASCII by hand, other scalars through their properties (the slow path).
    @inline(__always) static func isLetter(_ c: Unicode.Scalar) -> Bool {
        c.value < 128 ? (c.value | 0x20) >= 97 && (c.value | 0x20) <= 122 : c.properties.isAlphabetic
    }

    /// The lower-cased word just before `offset`.
    static func wordBefore(_ offset: Int, _ s: [Unicode.Scalar]) -> String { wordsBefore(offset, s, count: 1).last ?? "" }

    static func wordsBefore(_ offset: Int, _ s: [Unicode.Scalar], count: Int) -> [String] {
        var words: [String] = []
        var i = min(offset, s.count) - 1
        while words.count < count && i >= 0 {
            while i >= 0 && !(isLetter(s[i]) || s[i] == "'") { if s[i] == "." || s[i] == "\n" { return words.reversed() }; i -= 1 }
            let end = i + 1
            while i >= 0 && (isLetter(s[i]) || s[i] == "'") { i -= 1 }
            if end > i + 1 { words.append(ScalarText.lowered(s, (i + 1)..<end)) }
        }
        return words.reversed()
    }

    /// The offsets of the words `wordsBefore` gives, in text order, without making their strings.
    static func wordRangesBefore(_ offset: Int, _ s: [Unicode.Scalar], count: Int) -> [Range<Int>] {
        var words: [Range<Int>] = []
        var i = min(offset, s.count) - 1
        while words.count < count && i >= 0 {
            while i >= 0 && !(isLetter(s[i]) || s[i] == "'") { if s[i] == "." || s[i] == "\n" { return words.reversed() }; i -= 1 }
            let end = i + 1
            while i >= 0 && (isLetter(s[i]) || s[i] == "'") { i -= 1 }
            if end > i + 1 { words.append((i + 1)..<end) }
        }
        return words.reversed()
    }

    /// Whether the word `s[range]` lower-cased (as `wordsBefore` gives it) is `word`, a lower-case
    /// ASCII word without a "k": a word with a non-ASCII scalar never is (no scalar but the Kelvin
    /// sign lower-cases to ASCII letters alone), so the scalars are compared, ASCII lowered by hand.
    static func isWord(_ s: [Unicode.Scalar], _ range: Range<Int>, _ word: StaticString) -> Bool {
        guard range.count == word.utf8CodeUnitCount else { return false }
        return word.withUTF8Buffer { bytes in
            var k = 0
            for i in range {
                let v = s[i].value
                guard v < 128, UInt8(v >= 65 && v <= 90 ? v + 32 : v) == bytes[k] else { return false }
                k += 1
            }
            return true
        }
    }

    static func wordsAfter(_ offset: Int, _ s: [Unicode.Scalar], count: Int) -> [String] {
        var words: [String] = []
        var i = offset
        while words.count < count && i < s.count {
            while i < s.count && !isLetter(s[i]) { if s[i] == "." || s[i] == "," || s[i] == "\n" { return words }; i += 1 }
            let start = i
            while i < s.count && (isLetter(s[i]) || s[i] == "'") { i += 1 }
            if i > start { words.append(ScalarText.lowered(s, start..<i)) }
        }
        return words
    }

    /// The wording without a stray initial the matcher took along ("S. drone strike" from "U.S. drone strike").
    static func cleanWording(_ text: String) -> String {
        var t = Substring(text)
        // The cheap test first (most wordings have no initial): the same conditions.
        while t.dropFirst().hasPrefix(". "), t.count > 3, let f = t.first, f.isLetter { t = t.dropFirst(3) }
        return String(t)
    }

    func documentStem(_ document: String) -> String {
        var name = document.split(separator: "/").last.map(String.init) ?? document
        if name.hasSuffix(".txt") { name.removeLast(4) }
        return name.isEmpty ? "doc" : name
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> Substring {
        var s = self
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return s
    }
}
