import GeoCore
import GeoEvents
@testable import GeoExtract
import GeoText
import Testing

/// Input that is not a news report gives a clear result or error, never a crash or a hang.
@Suite("geo extract on bad input")
struct BadInputTests {
    let published = EventDate(year: 2024, month: 1, day: 5)

    @Test func anEmptyOrBlankDocumentGivesNothing() {
        for text in ["", " \n\n\t ", "\u{FEFF}"] {
            let r = sharedExtractor.extract(text: text, document: "empty.txt", published: published)
            #expect(r.events.isEmpty && r.rejects.isEmpty)
        }
    }

    @Test func binaryDataIsRefusedWithTheReason() {
        #expect(throws: GeoparseInputError.self) { try TextInput.decode([0x41, 0x00, 0x42]) }
        #expect(throws: GeoparseInputError.self) { try TextInput.decode([UInt8](repeating: 0x01, count: 200)) }
    }

    @Test func invalidUTF8IsReplacedAndTheReportStillRead() throws {
        var bytes = Array("Date: 2024-01-05\n\nA drone struck a base near Erbil on Thursday, killing ".utf8)
        bytes += [0xFF, 0xFE]
        bytes += Array(" two people, officials said.\n".utf8)
        let (text, warnings) = try TextInput.decode(bytes)
        #expect(warnings.count == 1 && warnings[0].contains("invalid UTF-8"))
        let r = sharedExtractor.extract(text: text, document: "bad.txt", published: nil)
        let e = try #require(r.events.first)
        #expect(e.date.iso == "2024-01-04")
        #expect(e.subEventType == "Air/drone strike")
    }

    @Test func aReportWithoutAnEventGivesNoEventAndNoReject() {
        let text = "Date: 2024-01-05\n\nMarkets in Baghdad were busy on Thursday and the weather was mild, residents said."
        let r = sharedExtractor.extract(text: text, document: "calm.txt", published: nil)
        #expect(r.events.isEmpty && r.rejects.isEmpty)
        #expect(r.published?.iso == "2024-01-05")
    }

    @Test func aTenMegabyteSingleLineIsRefusedWholeWithItsSize() {
        let line = String(repeating: "a drone struck a base near Erbil on Thursday killing two people ", count: 10_000_000 / 64)
        let r = sharedExtractor.extract(text: line, document: "huge.txt", published: published)
        #expect(r.events.isEmpty)
        #expect(r.rejects.count == 1)
        #expect(r.rejects.first?.reason.contains("characters") == true)
    }

    @Test func aLongRunWithoutSentenceEndsIsCutIntoBoundedSentences() {
        let run = String(repeating: "rockets hit Balad air base north of Baghdad on Monday and ", count: 100)
        let sentences = SentenceSplitter.split(run)
        #expect(sentences.count >= 5)
        #expect(sentences.allSatisfy { $0.end - $0.start <= SentenceSplitter.maxScalars })
        let scalars = Array(run.unicodeScalars)
        for s in sentences { #expect(String(String.UnicodeScalarView(scalars[s.start..<s.end])) == s.text) }
    }

    @Test func aLongSingleLineUnderTheLimitIsReadIntoEvents() {
        // About 60 kB on one line, no full stop: read in bounded sentences, every phrase search local.
        let line = "Date: 2024-01-05\n\n" + String(repeating: "a drone struck a base near Erbil on Thursday, killing two people, officials said, and ", count: 700)
        let r = sharedExtractor.extract(text: line, document: "long.txt", published: nil)
        #expect(!r.events.isEmpty)
        #expect(r.events.allSatisfy { $0.date.iso == "2024-01-04" })
    }
}
