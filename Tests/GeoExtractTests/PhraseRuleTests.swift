import GeoCore
import GeoEvents
import GeoExtract
import Testing

/// The casualty phrasings of issue 15, each with its source, and the rules for several events in
/// one sentence, headlines, background, generic wording, time zones and deduplication.
@Suite("geo extract phrase rules")
struct PhraseRuleTests {
    static func claims(_ s: String) -> [FatalityClaim] { CasualtyClaims.find(in: s).map(\.claim) }

    @Test(arguments: [
        ("The Syrian Observatory for Human Rights said at least 22 fighters were killed.", 22, "Syrian Observatory for Human Rights"),
        ("A medical source told Reuters 17 people had been killed.", 17, "medical source (to Reuters)"),
        ("A KH official said only one person was killed.", 1, "KH official"),
        ("SOHR reports that the driver was killed in the strike.", 1, "SOHR"),
        ("The strike killed a contractor, the Pentagon said.", 1, "Pentagon"),
        ("A drone hit a car, killing a commander and two others, officials said.", 3, "officials"),
        ("The rockets killed two American soldiers and a British soldier, the coalition said.", 3, "coalition"),
        ("A US civilian contractor died of a heart attack, a Pentagon spokesman said.", 1, "Pentagon spokesman"),
        // Whom a source told: the whole name, with its article.
        ("An Iraqi militia official told The Associated Press only one person was killed.", 1, "Iraqi militia official (to The Associated Press)"),
        ("A hospital director told Agence France-Presse that 4 people were killed.", 4, "hospital director (to Agence France-Presse)"),
        // One person named or described as the subject of "was killed".
        ("The driver was also killed, the monitor said.", 1, "monitor"),
        ("Hassan Karimi was killed in the raid, police said.", 1, "police"),
        ("Wissam Saleh, a senior commander of the group, was killed in the strike, the group said.", 1, "group"),
        // Two people named after "killed".
        ("The drone strike killed Ahmed Saleh and Karim Nouri, the group said.", 2, "group"),
        ("The strike killed Abu Ali al-Basri and a bodyguard, officials said.", 2, "officials"),
    ])
    func killedFiguresWithTheirSource(sentence: String, killed: Int, source: String) {
        let c = Self.claims(sentence)
        #expect(c.count == 1)
        #expect(c.first?.killed == killed)
        #expect(c.first?.source == source)
    }

    @Test func namesCountOnlyAsPeople() {
        // A group's name before a noun is no person.
        #expect(Self.claims("The strike killed Islamic State fighters, officials said.").first?.killed == nil)
        #expect(Self.claims("It was killed off by the budget, officials said.").isEmpty)
        // "told" without a name after it names no recipient.
        #expect(Self.claims("A militia member told reporters two fighters were killed.").first?.source == "militia member")
    }

    @Test func denialsOfCasualtiesAreZero() {
        #expect(Self.claims("Nobody was hurt.").first?.injured == 0)
        #expect(Self.claims("There were no casualties.").first?.killed == 0)
        #expect(Self.claims("Militia officials said the strike did not result in any casualties.").first?.killed == 0)
    }

    @Test func woundedAndVagueFigures() {
        #expect(Self.claims("The attack wounded at least nine others.").first?.injured == 9)
        #expect(Self.claims("Dozens of fighters were killed, activists said.").first?.killed == 12)
        // Killed or wounded together count neither.
        #expect(Self.claims("Dozens were killed or wounded.").first?.killed == nil)
        // A part of the dead is no figure of its own.
        #expect(Self.claims("Four of the killed were from Lebanon, the militants said.").isEmpty)
        // A toll given by another source.
        let two = Self.claims("The Pentagon said eight militants were killed, but the Syrian Observatory for Human Rights put the toll at 19.")
        #expect(Set(two.compactMap(\.killed)) == [8, 19])
        #expect(two.contains { $0.source == "Syrian Observatory for Human Rights" && $0.killed == 19 })
    }

    @Test func twoEventsInOneSentenceEachGetTheirOwnDateAndPlace() {
        let text = "Date: 2023-10-20\n\nDrone attacks targeted US forces at Ain al-Asad air base on Wednesday and at the Conoco gas field base on Thursday.\nThe Islamic Resistance in Iraq claimed both attacks."
        let r = sharedExtractor.extract(text: text, document: "two.txt")
        #expect(r.events.map(\.date.iso) == ["2023-10-18", "2023-10-19"])
        #expect(r.events.allSatisfy { $0.actorSide == "militia" })
        let evidence = r.events.compactMap { $0.extra["evidence"]?.arrayValue?.first?["text"]?.stringValue }
        #expect(evidence.count == 2 && evidence[0] != evidence[1])
    }

    @Test func headlinesAndBackgroundGiveNoEvent() {
        let text = """
            Drone Strike Hits Militia Truck In Syria

            Date: 2021-07-18

            US-led forces have been the target of dozens of rocket attacks since 2019.
            The group will likely intensify attacks in the coming days.
            """
        let r = sharedExtractor.extract(text: text, document: "bg.txt")
        #expect(r.events.isEmpty)
        #expect(r.explanations.contains { $0.reason.contains("headline") })
    }

    @Test func aSalvoIsARocketAttackAndAnAttackTakesTheWeaponNamed() {
        let r = sharedExtractor.extract(text: "Date: 2021-02-21\n\nA salvo struck Balad air base late Saturday.", document: "s.txt")
        #expect(r.events.first?.subEventType == "Shelling/artillery/missile attack")
        let d = sharedExtractor.extract(text: "Date: 2021-04-15\n\nAn attack hit Erbil airport on Wednesday; two drones were used.", document: "d.txt")
        #expect(d.events.first?.subEventType == "Air/drone strike")
        // Without a weapon named, "attack" gives no type and no event.
        #expect(sharedExtractor.extract(text: "Date: 2021-04-15\n\nAn attack hit Erbil on Wednesday.", document: "n.txt").events.isEmpty)
    }

    @Test func anUndatedEventNamedByHoursAfterIsCountedBackFromTheResponse() throws {
        let text = "Date: 2023-12-26\n\nUS jets struck sites near Hillah early on Tuesday, hours after a drone attack on Erbil air base wounded three US service members."
        let r = sharedExtractor.extract(text: text, document: "h.txt")
        let strike = try #require(r.events.first { $0.location.contains("Hillah") || $0.location.contains("illah") })
        let earlier = try #require(r.events.first { $0.eventID == strike.extra["answers"]?.stringValue })
        #expect(earlier.date.iso == "2023-12-25")
    }

    @Test func aTimeZoneCaveatIsKeptAsANote() {
        let text = "Date: 2023-12-26\n\nUS jets struck sites near Hillah on Tuesday.\nThe strikes were carried out at 4:45 a.m. local time, Monday evening in Washington."
        let r = sharedExtractor.extract(text: text, document: "tz.txt")
        #expect(r.events.count == 1)
        #expect(r.events.first?.tags.contains("time-zone") == true)
        #expect(r.events.first?.notes.contains("local time") == true)
    }

    @Test func theSameEventInTwoReportsIsOneEventWithBothSources() throws {
        let a = sharedExtractor.extract(text: "Date: 2023-03-24\n\nAn airstrike hit Deir ez-Zor on Thursday, killing eight militants, the Pentagon said.", document: "a.txt")
        let b = sharedExtractor.extract(text: "Date: 2023-03-25\n\nAn air strike on Deir ez-Zor on Thursday killed 19 people, SOHR said.", document: "b.txt")
        let other = sharedExtractor.extract(text: "Date: 2023-03-25\n\nAn airstrike hit Mosul on Thursday.", document: "c.txt")
        let (events, merged) = ReportDeduplicator.merge(a.events + b.events + other.events)
        #expect(merged == 1)
        #expect(events.count == 2)
        let e = try #require(events.first)
        #expect(e.sources.contains("a.txt") && e.sources.contains("b.txt"))
        #expect(e.fatalities == 8 && e.fatalityClaims.count == 2)
        #expect(e.extra["evidence"]?.arrayValue?.count == 2)
    }

    @Test func aNewIndefiniteAttackDoesNotTakeTheActorOfTheStrikeBefore() {
        let text = "Date: 2024-02-03\n\nUS jets struck sites near al-Qaim on Friday. A drone strike hit Erbil air base on Friday."
        let r = sharedExtractor.extract(text: text, document: "ind.txt")
        #expect(r.events.count == 2)
        #expect(r.events.first { $0.location.contains("Erbil") }?.actorSide == "unknown")
    }

    @Test func aLinkClauseKeepsTheActorItNames() throws {
        let text = "Date: 2024-01-05\n\nTwo drone attacks hit Rukban on January 4, hours after a commander was killed in Baghdad in a U.S. drone strike."
        let r = sharedExtractor.extract(text: text, document: "lk.txt")
        let baghdad = try #require(r.events.first { $0.location == "Baghdad" })
        #expect(baghdad.actorSide == "US")
        #expect(r.events.contains { $0.extra["answers"]?.stringValue == baghdad.eventID })
    }
}
