import Foundation
@testable import GeoEvents
@testable import GeoExtract
import Testing

/// The extractor's fast paths (ASCII by bytes, phrase lists by their first two letters, date
/// words tested before they are matched) must give what the plain code gives: each is compared
/// here with the plain version on every written report and on text made to stress them.
@Suite("Fast paths give the plain results")
struct FastPathTests {
    static func texts() -> [String] { ReportWordsTests.texts() + ["Ａ 28-10-2023, ٢٨/١٠/٢٠٢٣ and 3.5 km; MAY 4 may; Sunday night, last week, ＭＡＹ ４", "İstanbul — KELVIN Kilns; 5\u{301} killed, while 6 died"] }

    /// `ReportDates.Word.split` as it was written on `Character` properties, one string per word.
    static func plainWords(_ text: String) -> [ReportDates.Word] {
        var words: [ReportDates.Word] = []
        var current = String.UnicodeScalarView()
        var start = 0
        var index = 0
        let scalars = Array(text.unicodeScalars)
        func flush() {
            if !current.isEmpty {
                let s = String(current)
                words.append(ReportDates.Word(text: s, lower: s.lowercased(), start: start, end: index))
            }
            current = String.UnicodeScalarView()
        }
        while index < scalars.count {
            let c = scalars[index]
            let isWordChar = c.properties.isAlphabetic || c.properties.numericType != nil
            let joinsDigits = (c == "-" || c == "/" || c == ".") && !current.isEmpty
                && current.last!.properties.numericType != nil && index + 1 < scalars.count
                && scalars[index + 1].properties.numericType != nil
            if isWordChar || joinsDigits {
                if current.isEmpty { start = index }
                current.append(c)
            } else {
                flush()
            }
            index += 1
        }
        flush()
        return words
    }

    @Test("ASCII words are made singular by bytes as PhraseKey.singular makes them")
    func asciiSingular() {
        var words: Set<String> = ["s", "ss", "bus", "buses", "gas", "kiss", "kisses", "crashes", "boxes", "axes", "xes", "sses", "shes",
                                  "thesis", "virus", "strikes", "f15s", "a", "", "isis", "us", "uses", "ashes", "dishes", "es"]
        for text in Self.texts() { for w in ReportWords(Array(text.unicodeScalars)).words where w.isASCII { words.insert(w.folded) } }
        for w in words { #expect(PhraseTables.asciiSingular(w) == PhraseKey.singular(w), "\(w)") }
    }

    @Test("date words are cut as the plain split cuts them, and every phrase start passes the test before matching")
    func dateWords() {
        for text in Self.texts() {
            let words = ReportDates.Word.split(text)
            let plain = Self.plainWords(text)
            #expect(words.map(\.text) == plain.map(\.text))
            #expect(words.map(\.lower) == plain.map(\.lower))
            #expect(words.map(\.start) == plain.map(\.start) && words.map(\.end) == plain.map(\.end))
            for published in [nil, EventDate(year: 2024, month: 1, day: 29)] {
                var scalars: [Unicode.Scalar]?
                for i in words.indices where ReportDates.match(words, at: i, text: text, scalars: &scalars, published: published) != nil {
                    #expect(ReportDates.mayStartPhrase(words[i]), "'\(words[i].text)' starts a date phrase")
                }
            }
        }
    }

    /// Where Foundation finds each clause joiner in a lowercased sentence, as scalar offsets.
    static func plainClauseCuts(_ lower: String) -> [Int] {
        var plain: [Int] = []
        for joiner in CasualtyClaims.clauseJoiners {
            var from = lower.startIndex
            while let r = lower.range(of: joiner, range: from..<lower.endIndex) {
                plain.append(lower.unicodeScalars.distance(from: lower.unicodeScalars.startIndex, to: r.lowerBound))
                from = r.upperBound
            }
        }
        return plain
    }

    @Test("clause joiners of an ASCII sentence are found where Foundation finds them")
    func clauseCuts() {
        let sentences = Self.texts().flatMap { SentenceSplitter.split($0).map(\.text) }
            + ["SOHR said eight were killed, WHILE others said six; a medic, But not, said 19, whereas x, while , while y"]
        for sentence in sentences {
            guard let fast = CasualtyClaims.asciiClauseCuts(sentence) else { continue }
            let lower = sentence.lowercased()
            let plain = Self.plainClauseCuts(lower)
            #expect(fast == plain, "\(sentence)")
        }
    }

    @Test("strings of scalar ranges, substring tests and phrase searches agree with the plain ones")
    func scalarsAndPhrases() {
        let lists: [PhraseList] = [ReportExtractor.linkPhrases, ReportExtractor.denialPhrases, ReportExtractor.casualtyStems,
                                   ReportExtractor.intentions, ["a", "ab", "b", "in re", "in"]]
        for text in Self.texts() {
            let s = Array(text.unicodeScalars)
            let lower = s.map { $0.value >= 65 && $0.value <= 90 ? Unicode.Scalar($0.value + 32)! : $0 }
            for a in stride(from: 0, to: s.count, by: 7) {
                for b in [a, min(s.count, a + 1), min(s.count, a + 13), s.count] {
                    #expect(ScalarText.string(s, a..<b).unicodeScalars.elementsEqual(s[a..<b]))
                }
            }
            for sentence in SentenceSplitter.split(scalars: s) {
                let range = sentence.start..<sentence.end
                let lowered = sentence.text.lowercased()
                #expect(TextContains.any(lowered, ReportExtractor.eventStems) == ReportExtractor.eventStems.contains { lowered.contains($0) })
                for list in lists {
                    // Plain: at each offset in turn, the first phrase of the list that starts there.
                    var plainEarliest: (Int, String)?
                    for i in range where plainEarliest == nil {
                        for p in list.phrases where i + p.unicodeScalars.count <= range.upperBound
                            && lower[i..<(i + p.unicodeScalars.count)].map(\.value) == p.unicodeScalars.map(\.value) {
                            plainEarliest = (i, p)
                            break
                        }
                    }
                    let earliest = PhraseSearch.earliest(of: list, in: lower, range)
                    #expect(earliest?.at == plainEarliest?.0 && earliest?.phrase == plainEarliest?.1)
                    let plainFirst = list.phrases.first { p in
                        let n = p.unicodeScalars.map(\.value)
                        return range.contains { i in i + n.count <= range.upperBound && lower[i..<(i + n.count)].map(\.value) == n }
                    }
                    #expect(PhraseSearch.first(of: list, in: lower, range) == plainFirst)
                }
            }
        }
    }

    /// `PhraseKey.words` as it was written, every scalar through its properties.
    static func plainPhraseWords(_ text: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        var currentIsDigit = false
        func flush() {
            if !current.isEmpty { words.append(String(current)) }
            current = String.UnicodeScalarView()
        }
        for scalar in PhraseKey.folded(text).unicodeScalars {
            if ["'", "\u{2019}", "\u{2018}", "\u{02BC}", "\u{02BF}", "\u{02BE}", "`", "\u{00B4}"].contains(scalar) { continue }
            let props = scalar.properties
            if props.isAlphabetic || props.numericType != nil {
                let isDigit = props.numericType != nil && scalar.isASCII
                if !current.isEmpty && isDigit != currentIsDigit { flush() }
                currentIsDigit = isDigit
                current.append(scalar)
            } else if props.generalCategory == .nonspacingMark {
                continue
            } else {
                flush()
            }
        }
        flush()
        return words
    }

    @Test("phrase words read ASCII by hand as the plain split reads it through properties")
    func phraseWords() {
        let ascii = String(String.UnicodeScalarView((0..<128).compactMap { Unicode.Scalar(UInt32($0)) }))
        for text in Self.texts() + [ascii, "107mm F-15s Kata’ib a1b2 ٢٨x Qāmishlī", "e\u{301}te\u{308} 5\u{301}5"] {
            #expect(PhraseKey.words(text) == Self.plainPhraseWords(text), "\(text.prefix(60))")
        }
        for v in 0..<128 {
            let text = "a\(Character(Unicode.Scalar(UInt8(v))))1b"
            #expect(PhraseKey.words(text) == Self.plainPhraseWords(text), "U+\(String(v, radix: 16))")
        }
    }

    /// Scalars of the folding fast path (`PhraseKey.folded`), and a few that are not.
    static let foldScalars: [Unicode.Scalar] = (Array(0x20..<0x250) + Array(0x1E00..<0x1F00) + [0x301, 0x308, 0x2019, 0xFF21, 0x130, 0x131, 0x627])
        .compactMap { Unicode.Scalar(UInt32($0)) }

    @Test("folding a text one scalar at a time gives Foundation's folding of the whole text")
    func folding() {
        func same(_ text: String) -> Bool {
            PhraseKey.folded(text).unicodeScalars.elementsEqual(PhraseKey.foundationFolded(text).unicodeScalars)
        }
        for text in Self.texts() + ["Qāmishlī Üçpınar Şanlıurfa İdlib Ḩalab Dayr az Zawr ǅemal Straße ﬁeld", "e\u{301}te\u{308}"] {
            #expect(same(text), "\(text.prefix(60))")
        }
        // Every scalar alone, between letters, and next to every other (every 5th pair).
        let s = Self.foldScalars
        for (i, a) in s.enumerated() {
            #expect(same(String(Character(a))) && same("a\(Character(a))b") && same("\(Character(a))\(Character(a))Z"), "U+\(String(a.value, radix: 16))")
            for b in stride(from: i % 5, to: s.count, by: 5) {
                let pair = String(String.UnicodeScalarView([a, s[b]]))
                #expect(same(pair), "U+\(String(a.value, radix: 16)) U+\(String(s[b].value, radix: 16))")
            }
        }
    }

    @Test("words of a range split by scalar where each scalar is a Character are those of splitting the Characters")
    func scalarWords() {
        var texts = Self.texts()
        texts.append("Qāmishlī — “Ḩalab” … 7½ killed; Şanlıurfa’s 12 attacks–strikes ×3 ÷ x\u{301}y e\u{308}t")
        texts.append(String(String.UnicodeScalarView(Self.foldScalars + [" ", "1", "2"])))
        for text in texts {
            let lower = Array(text.unicodeScalars).map { $0.value >= 65 && $0.value <= 90 ? Unicode.Scalar($0.value + 32)! : $0 }
            for a in stride(from: 0, to: lower.count, by: 11) {
                for b in [min(lower.count, a + 9), min(lower.count, a + 120), lower.count] {
                    let plain = ScalarText.string(lower, a..<b)
                    if let fast = ReportExtractor.asciiWords(lower, a..<b, digits: false) {
                        #expect(fast == plain.split { !$0.isLetter }.map(String.init))
                    }
                    if let fast = ReportExtractor.asciiWords(lower, a..<b, digits: true) {
                        #expect(fast == plain.split { !$0.isLetter && !$0.isNumber }.map(String.init))
                    }
                }
            }
        }
        #expect(ReportExtractor.asciiWords(Array("Qāmishlī — “Ḩalab”".unicodeScalars), 0..<17, digits: false) == ["Qāmishlī", "Ḩalab"])
        #expect(ReportExtractor.asciiWords(Array("e\u{301}t".unicodeScalars), 0..<3, digits: false) == nil)
    }

    @Test("abbreviations before a full stop are read by hand for ASCII as through scalar properties")
    func abbreviations() {
        func plain(_ s: [Unicode.Scalar], _ dot: Int) -> Bool {
            var a = dot
            while a > 0 && (s[a - 1].properties.isAlphabetic || s[a - 1] == ".") { a -= 1 }
            let word = ScalarText.lowered(s, a..<dot)
            if word.isEmpty { return false }
            if word.count == 1, s[a].properties.isUppercase { return true }
            return SentenceSplitter.abbreviations.contains(word)
        }
        for text in Self.texts() + ["U.S. A. b. Gen. É. é. Ḩ. x\u{301}. 7. [. `. {. @. Jan."] {
            let s = Array(text.unicodeScalars)
            for i in s.indices where s[i] == "." { #expect(SentenceSplitter.isAbbreviation(s, before: i) == plain(s, i)) }
        }
    }

    @Test("clause joiners of a sentence of Latin letters, dashes and quotes are found where Foundation finds them")
    func scalarClauseCuts() {
        let sentences = Self.texts().flatMap { SentenceSplitter.split($0).map(\.text) } + [
            "Şanlıurfa officials said eight were killed, while “others” said six; a medic in Qāmishlī — But not, said 19, whereas Ḩalab, while , while y",
            "Ärzte, WHILE Ö said; É, but é, whereas ñ", "e\u{301}, while x; y", "İdlib, while Ⅸ, but ﬁ; x",
        ]
        var checked = 0
        for sentence in sentences {
            let lower = sentence.lowercased()
            guard lower.unicodeScalars.count == sentence.unicodeScalars.count else { continue }
            let plain = Self.plainClauseCuts(lower)
            if let fast = CasualtyClaims.scalarClauseCuts(lower) {
                #expect(fast == plain, "\(sentence)")
                checked += 1
            }
        }
        #expect(checked > 20)
        #expect(CasualtyClaims.scalarClauseCuts("e\u{301}, while x") == nil)
    }

    @Test("the first-word filters read the hash made with each word as they would hash its folding")
    func wordHashes() {
        for text in Self.texts() {
            for w in ReportWords(Array(text.unicodeScalars)).words where w.isASCII {
                #expect(w.filterHash == WordFilter.hash(w.folded), "\(w.folded)")
            }
        }
    }

    @Test("'since' and 'prior to' before a date are read on the scalars as on the words before it")
    func sinceDates() {
        var texts = Self.texts()
        texts.append("since 4 May, SINCE May 5, Since’s 6 May, prior to May 7, PRIOR TO May 8, prior\nto May 9, priorto May 1, sınce May 2, \u{212A} May 3, prior. to May 4")
        for text in texts {
            let s = Array(text.unicodeScalars)
            let lower = s.map { $0.value >= 65 && $0.value <= 90 ? Unicode.Scalar($0.value + 32)! : $0 }
            for d in ReportDates.mentions(in: text, published: EventDate(year: 2024, month: 5, day: 30)) {
                let plain = ReportExtractor.wordBefore(d.start, lower) == "since" || ReportExtractor.wordsBefore(d.start, lower, count: 3).suffix(2) == ["prior", "to"]
                #expect(ReportExtractor.isSinceDate(d, lower) == plain, "\(d.text)")
            }
            for offset in stride(from: 0, to: s.count, by: 5) {
                #expect(ReportExtractor.wordRangesBefore(offset, lower, count: 3).map { ScalarText.lowered(lower, $0) } == ReportExtractor.wordsBefore(offset, lower, count: 3))
            }
        }
    }
}
