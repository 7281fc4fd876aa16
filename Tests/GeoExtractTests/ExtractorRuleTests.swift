import GeoCore
import GeoEvents
import GeoExtract
import Testing

@Suite("ReportExtractor rules")
struct ExtractorRuleTests {
    @Test func sentencesEndAtFullStopsNotAtAbbreviationsAndBlankLinesMakeParagraphs() {
        let text = "The U.S. military said Gen. Smith left Kata’ib Hezbollah’s area. A drone hit it!\n\nNext paragraph here."
        let s = SentenceSplitter.split(text)
        #expect(s.map(\.text) == ["The U.S. military said Gen. Smith left Kata’ib Hezbollah’s area.", "A drone hit it!", "Next paragraph here."])
        #expect(s.map(\.paragraph) == [0, 0, 1])
        let scalars = Array(text.unicodeScalars)
        for x in s { #expect(String(String.UnicodeScalarView(scalars[x.start..<x.end])) == x.text) }
    }

    @Test func aHeadlineLineIsItsOwnSentence() {
        let s = SentenceSplitter.split("Drone Strike In Syria\nA drone struck a truck today.")
        #expect(s.count == 2)
        #expect(s[0].paragraph == 0 && s[1].paragraph == 0)
    }

    @Test func aStatedLinkPointsAtTheEventItNames() {
        let text = """
            Date: 2019-12-30

            A rocket attack hit a base near Kirkuk on Friday, killing a US contractor.
            US warplanes carried out airstrikes near al-Qaim on Sunday in retaliation for the rocket attack on Kirkuk.
            """
        let r = sharedExtractor.extract(text: text, document: "link.txt")
        let rocket = try? #require(r.events.first { $0.subEventType == "Shelling/artillery/missile attack" })
        let strike = try? #require(r.events.first { $0.subEventType == "Air/drone strike" })
        #expect(rocket?.date.iso == "2019-12-27")
        #expect(strike?.date.iso == "2019-12-29")
        #expect(strike?.extra["answers"]?.stringValue == rocket?.eventID)
    }

    @Test func aDayAfterAnEarlierEventOfTheReportDatesTheResponseFromIt() {
        let text = """
            Date: 2024-01-31

            A drone attack hit Tower 22 in Jordan on Sunday, killing three US soldiers.

            US jets struck militia sites near al-Qaim a day after the Tower 22 attack.
            """
        let r = sharedExtractor.extract(text: text, document: "dayafter.txt")
        let attack = r.events.first { $0.location == "Tower 22" }
        let strike = r.events.first { $0.location != "Tower 22" }
        #expect(attack?.date.iso == "2024-01-28")
        #expect(strike?.date.iso == "2024-01-29")
        #expect(strike?.extra["answers"]?.stringValue == attack?.eventID)
        #expect(strike?.notes.contains("counted from the event the stated link names") == true)
    }

    @Test func aDenialLeavesTheSideUnknownWithATag() {
        let text = "Date: 2024-01-21\n\nKata'ib Hezbollah launched a rocket attack on Ain al-Asad air base on Saturday. The group later denied it."
        let r = sharedExtractor.extract(text: text, document: "denial.txt")
        #expect(r.events.count == 1)
        #expect(r.events.first?.actorSide == "unknown")
        #expect(r.events.first?.tags.contains("attribution-disputed") == true)
    }

    @Test func sentencesAboutTheSameEventAreOneEventWithAllClaimsAndEvidence() throws {
        let text = "Date: 2023-03-24\n\nAn airstrike hit Deir ez-Zor on Thursday, killing eight militants, the Pentagon said.\n\nThe airstrike in Deir ez-Zor on Thursday killed 19 people, the Syrian Observatory for Human Rights said."
        let r = sharedExtractor.extract(text: text, document: "merge.txt")
        #expect(r.events.count == 1)
        let e = try #require(r.events.first)
        #expect(e.fatalities == 8)
        #expect(e.fatalityClaims.count == 2)
        let evidence = try #require(e.extra["evidence"]?.arrayValue)
        #expect(evidence.count == 2)
        let scalars = Array(text.unicodeScalars)
        for item in evidence {
            let o = try #require(item.objectValue)
            let start = Int(try #require(o["start"]?.numberValue)), end = Int(try #require(o["end"]?.numberValue))
            #expect(String(String.UnicodeScalarView(scalars[start..<end])) == o["text"]?.stringValue)
        }
    }

    @Test func aDatelineIsNeverTheEventPlace() {
        let text = "Date: 2021-05-10\n\nBAGHDAD (Reuters) - A roadside bomb struck a convoy near Basra on Sunday, police said."
        let r = sharedExtractor.extract(text: text, document: "dateline.txt")
        #expect(r.events.first?.location == "Basrah")
    }

    @Test func relativeToEventPhrasesCountFromThePreviousEvent() {
        let text = "Date: 2020-03-12\n\nA rocket attack on Camp Taji on Wednesday killed three soldiers.\nTwo days later, US aircraft struck depots near Karbala."
        let r = sharedExtractor.extract(text: text, document: "later.txt")
        #expect(r.events.map(\.date.iso) == ["2020-03-11", "2020-03-13"])
    }

    @Test func noEventAndEmptyTextGiveNothingAndNoCrash() {
        #expect(sharedExtractor.extract(text: "", document: "e.txt").events.isEmpty)
        #expect(sharedExtractor.extract(text: "The weather was fine.", document: "w.txt").events.isEmpty)
        #expect(sharedExtractor.extract(text: "\u{FFFD}\u{FFFD}. drone", document: "x.txt").events.count <= 1)
    }
}
