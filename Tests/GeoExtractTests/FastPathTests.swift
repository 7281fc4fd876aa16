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

    @Test("clause joiners of an ASCII sentence are found where Foundation finds them")
    func clauseCuts() {
        let sentences = Self.texts().flatMap { SentenceSplitter.split($0).map(\.text) }
            + ["SOHR said eight were killed, WHILE others said six; a medic, But not, said 19, whereas x, while , while y"]
        for sentence in sentences {
            guard let fast = CasualtyClaims.asciiClauseCuts(sentence) else { continue }
            let lower = sentence.lowercased()
            var plain: [Int] = []
            for joiner in CasualtyClaims.clauseJoiners {
                var from = lower.startIndex
                while let r = lower.range(of: joiner, range: from..<lower.endIndex) {
                    plain.append(lower.unicodeScalars.distance(from: lower.unicodeScalars.startIndex, to: r.lowerBound))
                    from = r.upperBound
                }
            }
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
}
