import Foundation
import GeoCore
import OrderedCollections
@testable import GeoEvents
import Testing

/// The bundled event-type vocabulary and actor list, entry by entry.
@Suite struct EventTypeVocabularyTests {
    static let vocabulary = try! EventTypeVocabulary.load()

    func pair(_ wording: String) -> String? {
        Self.vocabulary.match(wording)?.entry.map { "\($0.eventType) / \($0.subEventType)" }
    }

    @Test func everyEntryMapsToItselfInEveryVariant() throws {
        let raw = try EventTypeVocabulary.parse(file: try #require(EventTypeVocabulary.bundledPath))
        #expect(raw.count == Self.vocabulary.entries.count, "no two rows of the file fold to one wording")
        #expect(raw.count >= 150)
        for entry in raw {
            let expected = "\(entry.eventType) / \(entry.subEventType)"
            #expect(Self.vocabulary.match(entry.wording) == .exact(entry), "\(entry.origin)")
            // Case, plural and hyphen variants of the same wording.
            let words = entry.wording.split(separator: " ")
            let plural = words.dropLast().joined(separator: " ") + (words.count > 1 ? " " : "") + words.last! + "s"
            for variant in [entry.wording.uppercased(), entry.wording.capitalized, words.joined(separator: "-")] {
                #expect(pair(variant) == expected, "\(entry.origin): '\(variant)'")
            }
            if let last = words.last, last.count >= 3, !last.hasSuffix("s"), last.allSatisfy(\.isLetter) {
                #expect(pair(plural) == expected, "\(entry.origin): plural \(plural)")
            }
        }
    }

    @Test func everyACLEDPairIsReachable() {
        let pairs = Set(Self.vocabulary.entries.map { "\($0.eventType) / \($0.subEventType)" })
        for (type, subs) in EventTaxonomy.subEventTypes {
            for sub in subs { #expect(pairs.contains("\(type) / \(sub)"), "\(type) / \(sub)") }
        }
    }

    @Test(arguments: [
        ("drone attack", "Explosions/Remote violence / Air/drone strike"),
        ("One-Way Attack Drones", "Explosions/Remote violence / Air/drone strike"),
        ("suicide drones", "Explosions/Remote violence / Air/drone strike"),
        ("kamikaze drone", "Explosions/Remote violence / Air/drone strike"),
        ("UAV attack", "Explosions/Remote violence / Air/drone strike"),
        ("Air strikes", "Explosions/Remote violence / Air/drone strike"),
        ("air raid", "Explosions/Remote violence / Air/drone strike"),
        ("strike by F-15Es", "Explosions/Remote violence / Air/drone strike"),
        ("AC-130 strike", "Explosions/Remote violence / Air/drone strike"),
        ("helicopter attack", "Explosions/Remote violence / Air/drone strike"),
        ("107mm rockets", "Explosions/Remote violence / Shelling/artillery/missile attack"),
        ("107 mm rocket", "Explosions/Remote violence / Shelling/artillery/missile attack"),
        ("Katyusha rockets", "Explosions/Remote violence / Shelling/artillery/missile attack"),
        ("mortar fire", "Explosions/Remote violence / Shelling/artillery/missile attack"),
        ("shelling", "Explosions/Remote violence / Shelling/artillery/missile attack"),
        ("ballistic missiles", "Explosions/Remote violence / Shelling/artillery/missile attack"),
        ("cruise missile", "Explosions/Remote violence / Shelling/artillery/missile attack"),
        ("IED", "Explosions/Remote violence / Remote explosive/landmine/IED"),
        ("roadside bomb", "Explosions/Remote violence / Remote explosive/landmine/IED"),
        ("suicide bombing", "Explosions/Remote violence / Suicide bomb"),
        ("grenade", "Explosions/Remote violence / Grenade"),
        ("armed clash", "Battles / Armed clash"),
        ("clashes", "Battles / Armed clash"),
        ("ambush", "Battles / Armed clash"),
        ("drone shot down", "Strategic developments / Disrupted weapons use"),
        ("Drones shot down", "Strategic developments / Disrupted weapons use"),
        ("intercepted drones", "Strategic developments / Disrupted weapons use"),
        ("rocket attack foiled", "Strategic developments / Disrupted weapons use"),
        ("downed drone", "Strategic developments / Disrupted weapons use"),
        ("Air/drone strike", "Explosions/Remote violence / Air/drone strike"),
    ])
    func wordingFromReports(_ wording: String, _ expected: String) {
        #expect(pair(wording) == expected, "'\(wording)'")
    }

    @Test func unknownWordingGetsSuggestions() throws {
        #expect(Self.vocabulary.match("xyzzy") == nil)
        let close = Self.vocabulary.suggestions(for: "dron atack")
        #expect(close.contains { $0.subEventType == "Air/drone strike" }, "\(close.map(\.wording))")
    }

    @Test func userEntriesOverrideBundledOnes() throws {
        let user = try EventTypeVocabulary.parse(text: "wording,event_type,sub_event_type\nshelling,Battles,Armed clash\nbombardment,Explosions/Remote violence,Shelling/artillery/missile attack\n", file: "mine.csv")
        let merged = try EventTypeVocabulary(entries: Self.vocabulary.entries + user)
        #expect(merged.match("Shelling")?.entry?.subEventType == "Armed clash")
        #expect(merged.match("bombardments")?.entry?.origin == "mine.csv:3")
    }

    @Test func badUserFilesNameTheLine() {
        #expect(throws: VocabularyError(file: "x.csv", line: 2, reason: "'boom': unknown event_type 'Explosions' (ACLED types: Battles, Violence against civilians, Explosions/Remote violence, Protests, Riots, Strategic developments)")) {
            try EventTypeVocabulary.parse(text: "wording,event_type,sub_event_type\nboom,Explosions,Grenade\n", file: "x.csv")
        }
        #expect(throws: VocabularyError.self) { try EventTypeVocabulary.parse(text: "word,type\n", file: "x.csv") }
    }
}

@Suite struct ActorListTests {
    static let actors = try! ActorList.load()
    static let sides: Set<String> = ["US", "coalition", "militia", "Iran", "Iraq", "Syria", "SDF", "Turkey", "Russia", "Israel", "IS",
                                     "Hezbollah", "Houthis", "Jordan", "KRG", "unknown"]

    @Test func everyNameAndAliasFindsItsEntry() {
        #expect(Self.actors.entries.count >= 45)
        for entry in Self.actors.entries {
            #expect(Self.sides.contains(entry.side), "\(entry.origin): side \(entry.side)")
            for spelling in [entry.name] + entry.aliases {
                #expect(Self.actors.match(spelling)?.entries == [entry], "\(entry.origin): '\(spelling)'")
            }
        }
    }

    @Test(arguments: [
        ("KH", "militia"), ("Kataib Hezbollah", "militia"), ("Kata’ib Hizballah", "militia"), ("Iraqi Hezbollah", "militia"),
        ("KSS", "militia"), ("Harakat Hezbollah al-Nujaba", "militia"), ("Nujaba", "militia"), ("Asa'ib Ahl al-Haq", "militia"),
        ("Badr Organization", "militia"), ("IRI", "militia"), ("Islamic Resistance in Iraq", "militia"),
        ("Tashkil al-Waritheen", "militia"), ("Awliya al-Dam", "militia"), ("PMF", "militia"), ("Hashd al-Shaabi", "militia"),
        ("IRGC", "Iran"), ("Quds Force", "Iran"), ("Houthis", "Houthis"), ("Lebanese Hezbollah", "Hezbollah"),
        ("US", "US"), ("CENTCOM", "US"), ("the Pentagon", "US"), ("US Air Force", "US"),
        ("Military Forces of the United States (2021-)", "US"), ("Military Forces of the United States (2017-2021)", "US"),
        ("CJTF-OIR", "coalition"), ("SDF", "SDF"), ("Islamic State", "IS"), ("ISIS", "IS"), ("Daesh", "IS"),
        ("KH; KSS", "militia"), ("KH and Nujaba", "militia"), ("Unidentified armed group", "unknown"), ("كتائب حزب الله", "militia"),
    ])
    func sidesOfNamesAsAnalystsWriteThem(_ name: String, _ side: String) {
        #expect(Self.actors.match(name)?.side == side, "'\(name)'")
    }

    @Test func unknownAndMixedActorsAreNotGuessed() {
        #expect(Self.actors.match("Some new brigade") == nil)
        #expect(Self.actors.match("KH and US forces") == nil, "two sides: no side")
        #expect(Self.actors.match("") == nil)
    }

    @Test func anAliasClaimedTwiceIsAnError() throws {
        let text = "name,aliases,side\nA,X;Y,militia\nB,Y,US\n"
        #expect(throws: VocabularyError.self) { try ActorList(entries: try ActorList.parse(text: text, file: "a.csv")) }
    }
}

/// The decoder's use of the vocabulary and the actor list.
@Suite struct PlainLanguageDecodingTests {
    static let decoder = EventDecoder(vocabulary: EventTypeVocabularyTests.vocabulary, actors: ActorListTests.actors)

    func decode(_ fields: [String: String]) throws(RowProblem) -> Event {
        var ordered = OrderedDictionaryOfStrings()
        ordered["event_date"] = "2024-01-28"
        ordered["location"] = "Tower 22"
        for (k, v) in fields.sorted(by: { $0.key < $1.key }) { ordered[k] = v }
        return try Self.decoder.decode(ordered.values)
    }

    @Test func acledNamesBehaveAsBefore() throws {
        let e = try decode(["event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike"])
        #expect(e.eventType == "Explosions/Remote violence" && e.subEventType == "Air/drone strike" && e.eventTypeReported.isEmpty)
    }

    @Test func plainWordingIsMappedAndKept() throws {
        let e = try decode(["event_type": "one-way attack drones", "actor1": "KH"])
        #expect(e.subEventType == "Air/drone strike")
        #expect(e.eventTypeReported == "one-way attack drones")
        #expect(e.actorSide == "militia" && e.actorMatch == "Kata'ib Hezbollah" && e.actor1 == "KH")
    }

    @Test func givenSideIsKeptAndUnknownActorsStayUnknown() throws {
        #expect(try decode(["event_type": "airstrike", "actor1": "KH", "actor_side": "Iran"]).actorSide == "Iran")
        let e = try decode(["event_type": "airstrike", "actor1": "Brigade of the Unknown"])
        #expect(e.actorSide == "unknown" && e.actorMatch.isEmpty)
    }

    @Test func unknownWordingIsRejectedWithSuggestions() {
        #expect(throws: RowProblem.self) { try decode(["event_type": "weather report"]) }
        do {
            _ = try decode(["event_type": "dron atack"])
            Issue.record("expected a reject")
        } catch {
            #expect(error.reason == .unknownEventType)
            #expect(error.message.contains("closest:") && error.message.contains("--types FILE"), "\(error.message)")
        }
    }

    @Test func plainSubEventTypeUnderAnACLEDType() throws {
        let e = try decode(["event_type": "Explosions/Remote violence", "sub_event_type": "katyusha rockets"])
        #expect(e.subEventType == "Shelling/artillery/missile attack" && e.eventTypeReported == "katyusha rockets")
        #expect(throws: RowProblem.self) { try decode(["event_type": "Battles", "sub_event_type": "katyusha rockets"]) }
    }
}

/// A small ordered map of strings to JSON strings for the decoder.
struct OrderedDictionaryOfStrings {
    var values = OrderedDictionary<String, JSONValue>()
    subscript(key: String) -> String? {
        get { values[key]?.stringValue }
        set { values[key] = newValue.map { .string($0) } }
    }
}

@Suite struct ColumnSpecTests {
    @Test func fieldEqualsColumnSpecs() throws {
        let fields = try ColumnMapping.fields(fromSpecs: ["fatalities=killed", " Event_ID = id "])
        #expect(fields == [.fatalities: "killed", .eventID: "id"])
        for bad in [["fatalities"], ["nonsense=x"], ["fatalities="], ["fatalities=a", "fatalities=b"]] {
            #expect(throws: EventInputError.self) { try ColumnMapping.fields(fromSpecs: bad) }
        }
    }
}

/// Pairs in canonical spelling are looked up directly; everything else is folded. Both give
/// the same answer for every pair of the taxonomy and spellings around it.
@Suite struct TaxonomyFastPathTests {
    @Test func canonicalLookupEqualsTheFoldedPath() {
        var types = ["", "Bombing", "battles", " Battles ", "Air/drone strike"]
        var subs = ["", "Attack", "air/drone strike", "Excessive force against protestors"]
        for (type, list) in EventTaxonomy.subEventTypes {
            types.append(type)
            subs += list
        }
        for type in types {
            for sub in subs {
                let fast = EventTaxonomy.resolve(eventType: type, subEventType: sub).map { [$0.0, $0.1] }
                let full = EventTaxonomy.resolveAnySpelling(eventType: type, subEventType: sub).map { [$0.0, $0.1] }
                #expect(fast == full, "\(type) / \(sub)")
            }
        }
    }
}
