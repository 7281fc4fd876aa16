/// Sentences and paragraphs of a report, with offsets in Unicode scalar values.
///
/// Rules: a sentence ends at `.`, `!` or `?` (and closing quotes or brackets after it) followed by
/// white space, unless the word before the full stop is an abbreviation ("U.S.", "Gen.", "Jan.",
/// a single capital letter); a line break also ends a sentence (headers, datelines and list items
/// are lines); a blank line ends a paragraph; a run of more than 1,000 scalars without an end is cut
/// at a space. Leading and trailing white space is not part of a
/// sentence; empty sentences are skipped.
public struct Sentence: Hashable, Sendable {
    /// Offsets in Unicode scalars from the start of the document, end exclusive.
    public var start: Int
    public var end: Int
    /// 0-based; a blank line starts a new paragraph.
    public var paragraph: Int
    public var text: String
}

public enum SentenceSplitter {
    static let abbreviations: Set<String> = [
        "mr", "mrs", "ms", "dr", "gen", "col", "lt", "sgt", "capt", "maj", "adm", "gov", "sen", "rep", "st", "no",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "vs", "approx", "u.s", "u.k",
        "u.n", "e.g", "i.e", "lt.col", "brig",
    ]

    /// The longest sentence, in scalars; longer runs are cut (see `split`).
    public static let maxScalars = 1_000

    public static func split(_ text: String) -> [Sentence] {
        split(scalars: Array(text.unicodeScalars))
    }

    public static func split(scalars s: [Unicode.Scalar]) -> [Sentence] {
        var result: [Sentence] = []
        var paragraph = 0
        var start = 0
        var blankLines = 0

        func emit(_ end: Int) {
            var a = start, b = end
            while a < b && ScalarText.isWhitespace(s[a]) { a += 1 }
            while b > a && ScalarText.isWhitespace(s[b - 1]) { b -= 1 }
            // A run without a sentence end longer than `maxScalars` (a table, a dump, a huge line) is
            // cut at the last space before each limit, so that rules reading whole sentences stay linear.
            while b - a > maxScalars {
                var cut = a + maxScalars
                while cut > a + maxScalars / 2 && !ScalarText.isWhitespace(s[cut - 1]) { cut -= 1 }
                if cut <= a + maxScalars / 2 { cut = a + maxScalars }
                var e = cut
                while e > a && ScalarText.isWhitespace(s[e - 1]) { e -= 1 }
                result.append(Sentence(start: a, end: e, paragraph: paragraph, text: ScalarText.string(s, a..<e)))
                a = cut
                while a < b && ScalarText.isWhitespace(s[a]) { a += 1 }
            }
            if b > a {
                result.append(Sentence(start: a, end: b, paragraph: paragraph, text: ScalarText.string(s, a..<b)))
            }
        }

        var i = 0
        while i < s.count {
            let c = s[i]
            if c == "\n" {
                emit(i)
                // Count the line breaks in this run of white space: two or more make a paragraph break.
                var j = i, breaks = 0
                while j < s.count && ScalarText.isWhitespace(s[j]) { if s[j] == "\n" { breaks += 1 }; j += 1 }
                if breaks >= 2 && !result.isEmpty && result.last!.paragraph == paragraph { paragraph += 1 }
                blankLines = breaks
                start = j
                i = j
                continue
            }
            if c == "." || c == "!" || c == "?" {
                var j = i + 1
                while j < s.count && "\"'”’)]»".unicodeScalars.contains(s[j]) { j += 1 }
                if j == s.count || s[j] == " " || s[j] == "\t" || s[j] == "\n" || s[j] == "\r" {
                    if c != "." || !isAbbreviation(s, before: i) {
                        emit(j)
                        start = j
                    }
                }
                i = j
                continue
            }
            i += 1
        }
        emit(s.count)
        _ = blankLines
        return result
    }

    /// `Unicode.Scalar.Properties.isAlphabetic`, with ASCII (whose alphabetic scalars are its
    /// letters) answered by hand.
    @inline(__always) static func isAlphabetic(_ c: Unicode.Scalar) -> Bool {
        c.value < 128 ? (c.value | 0x20) >= 97 && (c.value | 0x20) <= 122 : c.properties.isAlphabetic
    }

    /// The word before a full stop is an abbreviation: in the list, or a single capital letter.
    static func isAbbreviation(_ s: [Unicode.Scalar], before dot: Int) -> Bool {
        var a = dot
        while a > 0 && (isAlphabetic(s[a - 1]) || s[a - 1] == ".") { a -= 1 }
        let word = ScalarText.lowered(s, a..<dot)
        if word.isEmpty { return false }
        if word.count == 1, s[a].value < 128 ? s[a].value >= 65 && s[a].value <= 90 : s[a].properties.isUppercase { return true }
        // "U.S." at the end of a sentence is rare; a capitalised next word is common after it,
        // so the list decides.
        return abbreviations.contains(word)
    }
}
