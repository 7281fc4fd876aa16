@testable import GeoExtract
import GeoEvents
import Testing

/// The extractor cuts a report into words once and looks actors and event wordings up in its own
/// tables (`ReportWords`, `PhraseTables`); these must find exactly what the vocabularies' own
/// searches find, on every written report and on text made to stress the word rules.
@Suite("Shared report words")
struct ReportWordsTests {
    static let stress = [
        "Kata’ib Hezbollah’s fighters and Kata'ib Hizballah fired 107mm rockets; F-15s and F-16E jets struck.",
        "The U.S. military said US forces, not us, hit IS and the Islamic State. Is it KH or kh?",
        "Ḥarakat al-Nujabāʼ claimed the drone attacks near البوكمال and Deir ez-Zor (Dayr az-Zawr) on ٣ May.",
        "Cafe\u{301} owners said a roadside bomb exploded; the Pentagon and the Popular Mobilization Forces' units clashed.",
        "shot down, shot-down, were shot down 2 drones; a one-way attack drone, salvos, air strikes, airstrikes, IEDs",
        "ʼAbd and ’s and ''' and `quoted` words, 12abc34, x2y, ÀÉÎ 123 ١٢٣, Kataib Hezbollahs.",
        "",
    ]

    static func texts() -> [String] { ExtractionAccuracyTests.fixtures().map(\.text) + stress }

    @Test func actorsFoundOverTheSharedWordsAreThoseOfTheActorList() {
        let x = sharedExtractor
        for text in Self.texts() {
            let s = Array(text.unicodeScalars)
            let mine = x.tables.actorMentions(ReportWords(s), s, x.actors)
            #expect(mine.map { FoundPhrase(entry: $0.entry, start: $0.start, end: $0.end, text: $0.text) } == x.actors.mentions(in: text).map { FoundPhrase(entry: $0.entry, start: $0.start, end: $0.end, text: $0.text) }, "\(text.prefix(60))")
        }
    }

    @Test func eventWordingsFoundOverTheSharedWordsAreThoseOfTheVocabulary() {
        let x = sharedExtractor
        for text in Self.texts() {
            let s = Array(text.unicodeScalars)
            let mine = x.tables.eventMentions(ReportWords(s), s, x.vocabulary)
            #expect(mine == x.vocabulary.mentions(in: text).map { FoundPhrase(entry: $0.entry, start: $0.start, end: $0.end, text: $0.text) }, "\(text.prefix(60))")
        }
    }

    @Test func theStressTextsDoNameActorsAndWordings() {
        // Guards the two tests above against passing on texts where neither search finds anything.
        let x = sharedExtractor
        let text = Self.stress.joined(separator: " ")
        #expect(x.actors.mentions(in: text).count >= 5)
        #expect(x.vocabulary.mentions(in: text).count >= 5)
    }
}
