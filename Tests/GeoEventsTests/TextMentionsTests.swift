import GeoEvents
import Testing

/// Actors and event wording found in running text.
@Suite struct TextMentionsTests {
    @Test func actorsInASentence() {
        let text = "Kirkuk: Kata’ib Hezbollah (KH) and the Islamic Resistance in Iraq said US forces struck; it is not clear who is to blame, the Pentagon said."
        let found = ActorListTests.actors.mentions(in: text)
        #expect(found.map(\.entry.side) == ["militia", "militia", "militia", "US", "US"], "\(found.map(\.text))")
        #expect(found.map(\.text) == ["Kata’ib Hezbollah", "KH", "Islamic Resistance in Iraq", "US forces", "Pentagon"])
        let scalars = Array(text.unicodeScalars)
        for m in found { #expect(String(String.UnicodeScalarView(scalars[m.start..<m.end])) == m.text) }
    }

    @Test func shortNamesOnlyInCapitals() {
        #expect(ActorListTests.actors.mentions(in: "it is for us to say").isEmpty)
        #expect(ActorListTests.actors.mentions(in: "IS fighters attacked").map(\.entry.side) == ["IS"])
    }

    @Test func eventWordingInASentence() {
        let text = "Two one-way attack drones were shot down near the base, a day after 107mm rockets hit Erbil."
        let found = EventTypeVocabularyTests.vocabulary.mentions(in: text)
        #expect(found.map(\.text).contains("107mm rockets"), "\(found.map(\.text))")
        #expect(found.contains { $0.entry.subEventType == "Disrupted weapons use" }, "\(found.map(\.text))")
    }
}
