import GeoCore
import GeoEvents
import GeoGazetteer
import GeoText
import OrderedCollections

/// Why a phrase of the report was used or left out (`geo extract --explain`).
public struct Explanation: Hashable, Sendable {
    /// `date`, `place`, `actor`, `claim`, `event`, `link`, `reject`.
    public var kind: String
    public var text: String
    /// Offsets in Unicode scalars, end exclusive.
    public var start: Int
    public var end: Int
    public var reason: String
}

/// An event wording that could not become an event (nothing anchors its date).
public struct ExtractionReject: Hashable, Sendable {
    public var document: String
    public var start: Int
    public var end: Int
    public var text: String
    public var reason: String
}

public struct ExtractionResult: Hashable, Sendable {
    public var events: [Event]
    public var rejects: [ExtractionReject]
    public var explanations: [Explanation]
    /// The publication date used (given, or read from the text), nil when none.
    public var published: EventDate?
}

/// Reads a news report into dated, placed events with their claims and evidence.
///
/// Rules (offsets are Unicode scalars of the whole document):
/// - The report is split into sentences (`SentenceSplitter`). A sentence with an event wording
///   (the event-type vocabulary) gives an event. Wordings after a stated link ("in response to",
///   "in retaliation for", "hours after", …) name the earlier event and give none of their own.
/// - Date: the date phrase of the sentence nearest the wording (outside the link clause); else the
///   previous event's date in the same paragraph, else the last date phrase before the sentence,
///   else the publication date (with a note). A phrase counted from another event ("days later")
///   is anchored on the previous event. With no anchor the wording goes to `rejects`.
/// - Place: the most specific `place`-role mention of the sentence (never a dateline or context
///   mention); else the previous event's place in the paragraph; else the article's most
///   named place at geo precision 3.
/// - Actors: the actor named last before the wording is actor1 (its side is `actor_side`); the
///   others are actor2 / target. A denial ("denied", "did not carry out", "unclear who", "no
///   one claimed") in the sentence or the next makes `actor_side` `unknown` with the tag
///   `attribution-disputed`.
/// - Claims: casualty figures of the sentence, and of the next when it has no wording of its own;
///   `fatalities` is the lowest killed figure.
/// - Events of one report with the same date, type and place are one event (claims, evidence and
///   tags combined).
public final class ReportExtractor: Sendable {
    public let geoparser: Geoparser
    public let vocabulary: EventTypeVocabulary
    public let actors: ActorList
    /// The vocabularies' phrase tables, for looking a report's words up without splitting it again.
    let tables: PhraseTables

    public init(geoparser: Geoparser, vocabulary: EventTypeVocabulary, actors: ActorList) {
        self.geoparser = geoparser
        self.vocabulary = vocabulary
        self.actors = actors
        tables = PhraseTables(actors: actors, vocabulary: vocabulary)
    }

    /// Loads the bundled gazetteer and vocabularies.
    public convenience init(gazetteer: Gazetteer) throws {
        self.init(geoparser: Geoparser(gazetteer: gazetteer), vocabulary: try EventTypeVocabulary.load(), actors: try ActorList.load())
    }

    static let linkPhrases: PhraseList = [
        "in response to", "in retaliation for", "in retaliation against", "in reprisal for", "to avenge", "hours after",
        "a day after", "days after", "shortly after", "in answer to", "responding to", "retaliating for", "following the",
        "came after", "comes after", "come after", "in revenge for", "a response to",
    ]
    static let denialPhrases: PhraseList = [
        "denied", "denies", "did not carry out", "didn't carry out", "unclear who", "not clear who", "no one claimed",
        "nobody claimed", "no group claimed", "not claimed", "did not claim", "did not comment", "did not immediately comment", "declined to comment",
        "has not been confirmed who", "unknown aircraft", "unidentified aircraft", "unidentified drone",
    ]

    /// An actor named in the text (from the actor list, or a place name used as an actor).
    struct ActorHit: Hashable {
        var entry: ActorList.Entry
        var start: Int
        var end: Int
        var text: String
    }

    /// An event wording of the text: a vocabulary entry, or a generic word ("attack", "salvo")
    /// typed by the weapon the report names (`typedBy`).
    struct Wording: Hashable {
        var entry: EventTypeVocabulary.Entry
        var start: Int
        var end: Int
        var text: String
        var typedBy: String?
    }

    struct Draft {
        var event: Event
        /// The wording's entry, for a clause that shares it ("… on Wednesday and at Y on Thursday").
        var entry: EventTypeVocabulary.Entry?
        var sentence: Sentence
        var evidence: [Sentence]
        var evidenceStarts: Set<Int> = []
        /// Index of the sentence that started the event.
        var index: Int = 0
        /// The place is the article's main place, not one the sentence names.
        var placeAssumed = false
        /// Index of the sentence holding `linkClause`.
        var linkIndex: Int = 0
        var datePhrase: String
        var paragraph: Int
        var linkClause: (start: Int, end: Int, phrase: String)?
        /// Further stated links read for this event (sentences after the first).
        var moreLinks: [(link: (start: Int, end: Int, phrase: String), index: Int)] = []
        var answers: String?
        var placeKey: String
    }

    public func extract(text: String, document: String, published given: EventDate? = nil) -> ExtractionResult {
        let scalars = Array(text.unicodeScalars)
        var explanations: [Explanation] = []
        var rejects: [ExtractionReject] = []
        func explain(_ kind: String, _ start: Int, _ end: Int, _ reason: String) {
            let t = String(String.UnicodeScalarView(scalars[max(0, start)..<min(scalars.count, end)]))
            explanations.append(Explanation(kind: kind, text: t, start: start, end: end, reason: reason))
        }

        // Publication date.
        var published = given
        if published == nil, let found = ReportDates.publicationDate(in: text), let d = found.date {
            published = d
            explain("date", found.start, found.end, found.note)
        }
        let pubPhraseStart = published != nil && given == nil ? ReportDates.publicationDate(in: text)?.start : nil
        let isPublicationPhrase = { (m: DateMention) in m.start == pubPhraseStart }

        let dates = ReportDates.mentions(in: text, published: published)
        let sentenceList = SentenceSplitter.split(scalars: scalars)
        let lowerScalars = scalars.map { $0.value >= 65 && $0.value <= 90 ? Unicode.Scalar($0.value + 32)! : $0 }
        let words = ReportWords(scalars)
        var wordings = tables.eventMentions(words, scalars, vocabulary).map { Wording(entry: $0.entry, start: $0.start, end: $0.end, text: $0.text) }
        wordings = mergeGeneric(into: wordings, lower: lowerScalars, sentences: sentenceList, explain: explain)
        let allActors = tables.actorMentions(words, scalars, actors).map { ActorHit(entry: $0.entry, start: $0.start, end: $0.end, text: $0.text) }
        // "in US airstrikes": a name just before an event wording is the one who acted, whatever stands before it.
        let wordingStarts = Set(wordings.map(\.start))
        let beforeWording = { (end: Int) in wordingStarts.contains(end + 1) }
        var speakers: [ActorHit] = []
        let actorMentionsFound = allActors.filter { a in
            if !beforeWording(a.end), ["in", "near", "inside", "across", "at"].contains(Self.wordBefore(a.start, scalars)) {
                explain("actor", a.start, a.end, "a place here ('\(Self.wordBefore(a.start, scalars)) …'), not an actor"); return false
            }
            if let why = Self.speakerReason(a, scalars) { explain("actor", a.start, a.end, "a speaker, not an actor (\(why))"); speakers.append(a); return false }
            return true
        }
        var actorMentions = actorMentionsFound
        let places = geoparser.parse(text).mentions.filter { p in
            if p.role == .place, let why = Self.notAPlaceReason(p, scalars, lowerScalars) {
                explain("place", p.start, p.end, why)
                return false
            }
            // "U.S. drone strike", "Iran's proxies": a place word used as an actor is no event place
            // unless a locative word stands before it ("in Syria"); it is an actor there.
            let overlapping = allActors.contains(where: { $0.start < p.end && $0.end > p.start })
            let asActor = overlapping || p.kind != "country" ? nil : actors.match(p.text)?.entries.first
            guard overlapping || asActor != nil else { return true }
            // Part of an actor's name ("Islamic Resistance in Iraq"): never a place.
            let insideName = allActors.contains { $0.start < p.start && $0.end >= p.end || $0.start <= p.start && $0.end > p.end }
            if !insideName, !beforeWording(p.end), Self.locatives.contains(Self.wordBefore(p.start, scalars)) { return true }
            if let entry = asActor { actorMentions.append(ActorHit(entry: entry, start: p.start, end: p.end, text: p.text)) }
            explain("place", p.start, p.end, "names an actor here, not a place")
            return false
        }
        actorMentions.sort { $0.start < $1.start }
        for p in places where p.role != .place {
            explain("place", p.start, p.end, "\(p.role.rawValue) mention: never an event location")
        }
        let sources = [document] + headerURLs(scalars, lower: lowerScalars)

        // The article's main place: the place-role mention named most often.
        var counts: OrderedDictionary<String, (Int, PlaceMention)> = [:]
        for p in places where p.role == .place && p.position != nil {
            let key = p.id ?? p.name ?? p.text
            counts[key, default: (0, p)].0 += 1
        }
        let mainPlace = counts.values.max { $0.0 < $1.0 }?.1

        // Headlines and background sentences report no event of their own.
        let sentenceStarts = sentenceList.map(\.start)
        let datesBySentence = Self.bucket(dates, sentenceStarts, sentenceList) { ($0.start, $0.end) }
        let placesBySentence = Self.bucket(places, sentenceStarts, sentenceList) { ($0.start, $0.end) }
        var kept: [Wording] = []
        /// Sentences whose wordings were all background: their figures belong to no event read here.
        var backgroundStarts: Set<Int> = []
        for (si, sw) in Self.bucket(wordings, sentenceStarts, sentenceList, { ($0.start, $0.end) }).enumerated() {
            for w in sw {
                if let why = Self.notAnEventReason(w, sentence: sentenceList[si], isFirst: si == 0, lower: lowerScalars,
                                                   ownDate: datesBySentence[si].contains { !isPublicationPhrase($0) && !Self.isSinceDate($0, lowerScalars) }) {
                    explain("event", w.start, w.end, why)
                    if !why.hasPrefix("a headline") { backgroundStarts.insert(sentenceList[si].start) }
                } else {
                    kept.append(w)
                }
            }
        }
        wordings = kept

        // Sentences that report two events are cut into one clause each; mentions by clause.
        var sentences: [Sentence] = []
        var elliptical: Set<Int> = []
        /// For a clause cut from a sentence: the date phrases of its sentence.
        var sentenceDates: [Int: [DateMention]] = [:]
        let wordingsBySentence = Self.bucket(wordings, sentenceStarts, sentenceList) { ($0.start, $0.end) }
        for (si, sentence) in sentenceList.enumerated() {
            let clauses = Self.eventClauses(sentence, wordings: wordingsBySentence[si], dates: datesBySentence[si].filter { !isPublicationPhrase($0) },
                                            places: placesBySentence[si].filter { $0.role == .place && $0.position != nil }, lower: lowerScalars, scalars: scalars)
            for (ci, c) in clauses.enumerated() {
                if clauses.count > 1 { sentenceDates[sentences.count] = datesBySentence[si].filter { !isPublicationPhrase($0) } }
                if ci > 0 {
                    explain("event", c.start, c.end, "a clause reporting another event of the sentence")
                    let linkAt = Self.linkStart(in: c, lowerScalars) ?? c.end
                    if !wordingsBySentence[si].contains(where: { $0.start >= c.start && $0.end <= linkAt }) { elliptical.insert(sentences.count) }
                }
                sentences.append(c)
            }
        }

        // Mentions by clause (each list in text order), so that long documents stay linear.
        let starts = sentences.map(\.start)
        let wordingsBy = Self.bucket(wordings, starts, sentences) { ($0.start, $0.end) }
        let datesBy = Self.bucket(dates, starts, sentences) { ($0.start, $0.end) }
        let placesBy = Self.bucket(places, starts, sentences) { ($0.start, $0.end) }
        let actorsBy = Self.bucket(actorMentions, starts, sentences) { ($0.start, $0.end) }
        let contextBy = Self.bucket(places.filter { $0.role == .context }, starts, sentences) { ($0.start, $0.end) }
        let speakersBy = Self.bucket(speakers, starts, sentences) { ($0.start, $0.end) }

        var drafts: [Draft] = []
        for (si, sentence) in sentences.enumerated() {
            var sw = wordingsBy[si]
            // "… at Ain al-Asad on Wednesday and at the Conoco field on Thursday": the clause shares the wording before it.
            if elliptical.contains(si), let prev = drafts.last, let entry = prev.entry {
                sw.insert(Wording(entry: entry, start: sentence.start, end: sentence.start, text: prev.event.eventTypeReported), at: 0)
            }
            guard !sw.isEmpty else {
                let range = sentence.start..<sentence.end
                let refers = PhraseSearch.containsAny(Self.referenceNouns, in: lowerScalars, range)
                // "Washington did not immediately comment on the strike": a denial about the event before, even in background.
                if let last = drafts.last, sentence.paragraph - last.paragraph <= 3, !last.event.tags.contains("attribution-disputed"),
                   refers, let denial = PhraseSearch.first(of: Self.denialPhrases, in: lowerScalars, range) {
                    drafts[drafts.count - 1].event.tags.append("attribution-disputed")
                    drafts[drafts.count - 1].event.actorSide = "unknown"
                    drafts[drafts.count - 1].event.notes += "; attribution disputed ('\(denial)')"
                    explain("actor", sentence.start, sentence.end, "a denial about \(last.event.eventTypeReported): side unknown")
                }
                let hasClaims = Self.mayHaveClaims(lowerScalars, range) && !CasualtyClaims.find(in: sentence.text).isEmpty
                // Wire copy often gives each sentence its own paragraph: claims reach three paragraphs on.
                if let last = drafts.last, hasClaims || refers,
                   !backgroundStarts.contains(where: { $0 >= sentence.start - 1 && $0 <= sentence.end }),
                   sentence.paragraph - last.paragraph <= 3 {
                    // "The strike took place in the al-Swiah region": a more specific place, claims.
                    let sp = placesBy[si].filter { $0.role == .place && $0.position != nil }
                    if let best = sp.min(by: { ($0.geoPrecision ?? 9, $0.start) < ($1.geoPrecision ?? 9, $1.start) }),
                       (best.geoPrecision ?? 9) < (drafts[drafts.count - 1].event.geoPrecision ?? 9) {
                        apply(best, to: &drafts[drafts.count - 1].event)
                        drafts[drafts.count - 1].placeKey = best.id ?? best.name ?? best.text
                        drafts[drafts.count - 1].event.notes += "; place from a later sentence about it"
                        explain("place", best.start, best.end, "more specific place of the previous event (the sentence refers to it)")
                    }
                    continueDraft(&drafts[drafts.count - 1], with: sentence, lower: lowerScalars,
                                  actorMentions: actorsBy[si], explain: explain)
                    Self.shareClaimOfBoth(&drafts, sentence, lowerScalars)
                }
                continue
            }
            // A stated link: the clause from the link phrase to the end of the sentence names the earlier event.
            let range = sentence.start..<sentence.end
            let link: (Int, Int, String)? = PhraseSearch.earliest(of: Self.linkPhrases, in: lowerScalars, range).map { ($0.at, sentence.end, $0.phrase) }
            let outsideLink = { (a: Int) in link == nil || a < link!.0 }
            // "intercepted some of them": part of the salvo got through, so the attack is the event (ACLED).
            let partial = PhraseSearch.containsAny(Self.partialWords, in: lowerScalars, range)
            // A named wording first, then a generic word typed by a weapon, then a bare "strike".
            let rank = { (w: Wording) in (partial && w.entry.subEventType == "Disrupted weapons use" ? 0 : 1,
                                          w.typedBy == nil ? 2 : w.typedBy == "strike" || w.typedBy!.hasPrefix("the earlier") ? 0 : 1, w.entry.priority) }
            guard let wording = sw.filter({ outsideLink($0.start) }).max(by: { rank($0) < rank($1) }) else {
                for w in sw { explain("event", w.start, w.end, "names the earlier event of a stated link, not a new one") }
                // "The strikes came hours after a missile attack on …": the link belongs to the event before.
                if let link, !drafts.isEmpty {
                    if drafts[drafts.count - 1].linkClause == nil {
                        drafts[drafts.count - 1].linkClause = link
                        drafts[drafts.count - 1].linkIndex = si
                    } else {
                        drafts[drafts.count - 1].moreLinks.append((link, si))
                    }
                }
                continue
            }
            for w in sw where w != wording && outsideLink(w.start) {
                explain("event", w.start, w.end, "a second wording of the sentence's event")
            }
            // A continuation: no date or place of its own, and a definite reference ("the drone
            // strike") or the same type as the previous event: it adds claims and evidence.
            let previousDraft = drafts.last
            let ownDate = datesBy[si].contains { outsideLink($0.start) && !isPublicationPhrase($0) }
            let definiteRef = Self.definite.contains(Self.wordBefore(wording.start, scalars))
            // "the strikes targeted a convoy that arrived from Iraq": a definite reference keeps its event unless it names a town or site.
            let ownPlace = placesBy[si].contains { $0.role == .place && $0.position != nil && outsideLink($0.start) && (!definiteRef || ($0.geoPrecision ?? 9) <= 2) }
            if let prev = previousDraft, !ownDate, !ownPlace,
               Self.definite.contains(Self.wordBefore(wording.start, scalars)) || prev.event.subEventType == wording.entry.subEventType {
                if let link {
                    if drafts[drafts.count - 1].linkClause == nil {
                        drafts[drafts.count - 1].linkClause = link
                        drafts[drafts.count - 1].linkIndex = si
                    } else {
                        drafts[drafts.count - 1].moreLinks.append((link, si))
                    }
                }
                continueDraft(&drafts[drafts.count - 1], with: sentence, lower: lowerScalars, actorMentions: actorsBy[si], explain: explain)
                Self.shareClaimOfBoth(&drafts, sentence, lowerScalars)
                explain("event", wording.start, wording.end, "continues \(prev.event.eventTypeReported) (no date or place of its own)")
                continue
            }
            var event = Event(eventID: "", date: EventDate(daysSinceEpoch: 0))
            event.eventType = wording.entry.eventType
            event.subEventType = wording.entry.subEventType
            event.eventTypeReported = Self.cleanWording(wording.text)
            event.sources = sources
            var notes: [String] = []
            var tags: [String] = []

            // Date.
            let previous = drafts.last
            var sd = datesBy[si].filter { outsideLink($0.start) && !isPublicationPhrase($0) && !Self.isSinceDate($0, lowerScalars) }
            // A clause cut from a sentence takes the sentence's date when it names none ("near X and near Y on Sunday").
            if sd.isEmpty, let siblings = sentenceDates[si] { sd = siblings.filter { outsideLink($0.start) } }
            var chosen = sd.min { abs($0.start - wording.start) < abs($1.start - wording.start) }
            if var c = chosen, case .relativeToEvent = c.kind {
                if let prev = previous { c = c.anchored(to: prev.event.date) } else { c.note += "; no earlier event to count from" }
                chosen = c
            }
            var dateOK = false
            var datePhrase = ""
            if let c = chosen, let d = c.date {
                event.date = d
                event.dateEnd = c.dateEnd
                event.timePrecision = c.precision
                datePhrase = c.text
                notes.append("date: '\(c.text)' — \(c.note)")
                explain("date", c.start, c.end, "used for '\(wording.text)': \(c.note)")
                dateOK = true
            } else if let prev = previous, prev.paragraph == sentence.paragraph, chosen == nil {
                event.date = prev.event.date
                event.dateEnd = prev.event.dateEnd
                event.timePrecision = prev.event.timePrecision
                datePhrase = prev.datePhrase
                notes.append("date: none in the sentence; the previous event's")
                dateOK = true
            } else if chosen == nil, si > 0, let last = datesBy[si - 1].last(where: { $0.date != nil && !isPublicationPhrase($0) }) {
                event.date = last.date!
                event.dateEnd = last.dateEnd
                event.timePrecision = last.precision
                datePhrase = last.text
                notes.append("date: none in the sentence; the previous sentence's ('\(last.text)')")
                dateOK = true
            } else if let pub = published {
                event.date = pub
                datePhrase = ""
                notes.append("date: no date phrase; publication date \(pub.iso) assumed")
                tags.append("date-assumed")
                dateOK = true
            }
            guard dateOK else {
                let reason = chosen.map { "date phrase '\($0.text)' cannot be resolved: \($0.note)" } ?? "no date phrase and no publication date"
                rejects.append(ExtractionReject(document: document, start: sentence.start, end: sentence.end, text: sentence.text, reason: reason))
                explain("reject", wording.start, wording.end, reason)
                continue
            }

            // Place.
            let sp = placesBy[si].filter { $0.role == .place && $0.position != nil && outsideLink($0.start) }
            var placeKey = ""
            var placeAssumed = false
            if let best = sp.min(by: { ($0.geoPrecision ?? 9, $0.start) < ($1.geoPrecision ?? 9, $1.start) }) {
                apply(best, to: &event)
                placeKey = best.id ?? best.name ?? best.text
                explain("place", best.start, best.end, "most specific place of the sentence (precision \(best.geoPrecision ?? 0))")
            } else if let prev = previous, prev.paragraph == sentence.paragraph, prev.event.hasCoordinates {
                copyPlace(from: prev.event, to: &event)
                placeKey = prev.placeKey
                notes.append("place: none in the sentence; the previous event's")
            } else if let site = contextBy[si].first(where: { $0.start > wording.start && $0.position != nil && Self.targetNouns.contains(Self.wordsBefore($0.start, scalars, count: 2).first ?? "") && outsideLink($0.start) }) {
                // "rockets were fired at the US embassy in Baghdad": the site attacked, not a speaker's place.
                apply(site, to: &event)
                placeKey = site.id ?? site.name ?? site.text
                notes.append("place: the site attacked ('\(Self.wordsBefore(site.start, scalars, count: 2).joined(separator: " ")) \(site.text)')")
                explain("place", site.start, site.end, "the place of the site attacked, though it locates an institution")
            } else if let main = mainPlace {
                apply(main, to: &event)
                event.geoPrecision = 3
                placeKey = main.id ?? main.name ?? main.text
                placeAssumed = true
                notes.append("place: none in the sentence; the article's main place, precision 3")
            } else {
                notes.append("place: none found")
            }

            // Actors.
            let sa = actorsBy[si].filter { outsideLink($0.start) }
            // The one named before the wording acted, unless the words between make it the one hit
            // ("three US soldiers were killed in a drone attack").
            // The subject stands before the clause's first wording ("IRI … attacked two bases … with drones").
            let verbAt = sw.filter { outsideLink($0.start) && $0.start > sentence.start }.map(\.start).min() ?? wording.start
            let before = sa.last { a in
                guard a.start < verbAt else { return false }
                let between = a.end < verbAt ? String(String.UnicodeScalarView(scalars[a.end..<verbAt])).lowercased() : ""
                return !Self.victimWords.contains { between.contains($0) }
            }
            let byActor = sa.first { a in
                a.start > wording.end && sentence.end >= a.start
                    && String(String.UnicodeScalarView(scalars[max(sentence.start, a.start - 3)..<a.start])).lowercased() == "by "
            }
            if let a1 = before ?? byActor {
                event.actor1 = a1.entry.acledName.isEmpty ? a1.entry.name : a1.entry.acledName
                event.actor1Reported = a1.text
                event.actorMatch = a1.entry.name
                event.actorSide = a1.entry.side
                explain("actor", a1.start, a1.end, "actor1 (\(a1.entry.side)): named \(byActor != nil ? "as the one by whom" : "before the wording")")
                if let other = sa.first(where: { $0.entry != a1.entry }) {
                    event.actor2 = other.entry.acledName.isEmpty ? other.entry.name : other.entry.acledName
                    event.target = other.text
                    explain("actor", other.start, other.end, "actor2 / target")
                }
            } else if let other = sa.first {
                event.actor2 = other.entry.acledName.isEmpty ? other.entry.name : other.entry.acledName
                event.target = other.text
                event.actorSide = "unknown"
                explain("actor", other.start, other.end, "actor2 / target: named after the wording")
            } else if wording.entry.subEventType == "Disrupted weapons use", let defender = speakersBy[si].first(where: { $0.start > wording.end && !Self.hostileSides.contains($0.entry.side) }) {
                // "two drones were shot down …, the coalition said": the force that reports the interception made it.
                event.actor1 = defender.entry.acledName.isEmpty ? defender.entry.name : defender.entry.acledName
                event.actor1Reported = defender.text
                event.actorMatch = defender.entry.name
                event.actorSide = defender.entry.side
                notes.append("actor1: the force reporting the interception ('\(defender.text)')")
                explain("actor", defender.start, defender.end, "actor1 of an interception: the force that reports it")
            } else if elliptical.contains(si), let prev = previous, wording.start == sentence.start {
                // The clause shares the subject of the clause before it.
                event.actor1 = prev.event.actor1; event.actor1Reported = prev.event.actor1Reported
                event.actorMatch = prev.event.actorMatch; event.actorSide = prev.event.actorSide
                event.actor2 = prev.event.actor2; event.target = prev.event.target
            } else {
                event.actorSide = "unknown"
            }
            if event.actor1.isEmpty, let prev = previous, ["first", "second", "third", "latter", "former", "other"].contains(Self.wordBefore(wording.start, scalars)),
               sentence.paragraph - prev.paragraph <= 1, !prev.event.actor1.isEmpty {
                // "The first attack targeted …": one of the attacks the sentence before attributed.
                event.actor1 = prev.event.actor1; event.actor1Reported = prev.event.actor1Reported
                event.actorMatch = prev.event.actorMatch; event.actorSide = prev.event.actorSide
                notes.append("actor1: '\(Self.wordBefore(wording.start, scalars)) \(wording.text)' refers to the attacks of \(prev.event.actor1Reported)")
            }
            if event.actor1.isEmpty, let prev = previous, prev.paragraph == sentence.paragraph, prev.event.date == event.date,
               prev.event.subEventType == event.subEventType, !prev.event.actor1.isEmpty, !prev.event.tags.contains("attribution-disputed"),
               wording.typedBy != nil || Self.definite.contains(Self.wordBefore(wording.start, scalars)),
               !["a", "an", "another"].contains(Self.wordBefore(wording.start, scalars)) {
                // "US bombers struck … on Friday. In Syria, … killed in strikes near Deir ez-Zor": the same campaign.
                event.actor1 = prev.event.actor1; event.actor1Reported = prev.event.actor1Reported
                event.actorMatch = prev.event.actorMatch; event.actorSide = prev.event.actorSide
                notes.append("actor1: the same day's \(prev.event.eventTypeReported) of the paragraph")
            }
            if let weapon = wording.typedBy { notes.append("type: '\(wording.text)' with '\(weapon)' named in the report") }
            let next = si + 1 < sentences.count ? sentences[si + 1] : nil
            let nextHasWording = next == nil || !wordingsBy[si + 1].isEmpty
            if let denial = PhraseSearch.first(of: Self.denialPhrases, in: lowerScalars, range)
                ?? next.flatMap({ PhraseSearch.first(of: Self.denialPhrases, in: lowerScalars, $0.start..<$0.end) }) {
                if !event.actor1.isEmpty { notes.append("attribution to \(event.actor1Reported) disputed ('\(denial)')") }
                else { notes.append("attribution unknown ('\(denial)')") }
                event.actorSide = "unknown"
                tags.append("attribution-disputed")
            }

            // Claims.
            var evidence = [sentence]
            var claims: [FatalityClaim] = []
            for found in Self.mayHaveClaims(lowerScalars, range) ? CasualtyClaims.find(in: sentence.text) : [] {
                claims.append(found.claim)
                explain("claim", sentence.start + found.start, sentence.start + found.end, "\(found.claim.source): killed \(found.claim.killed.map(String.init) ?? "-"), injured \(found.claim.injured.map(String.init) ?? "-")")
            }
            if let n = next, !nextHasWording {
                let more = Self.mayHaveClaims(lowerScalars, n.start..<n.end) ? CasualtyClaims.find(in: n.text) : []
                for found in more {
                    claims.append(found.claim)
                    explain("claim", n.start + found.start, n.start + found.end, "next sentence: \(found.claim.source): killed \(found.claim.killed.map(String.init) ?? "-")")
                }
                if !more.isEmpty { evidence.append(n) }
            }
            event.fatalityClaims = claims
            event.notes = notes.joined(separator: "; ")
            event.tags = tags
            explain("event", wording.start, wording.end, "\(wording.entry.eventType) / \(wording.entry.subEventType) on \(event.date.iso)")
            drafts.append(Draft(event: event, entry: wording.entry, sentence: sentence, evidence: evidence, evidenceStarts: Set(evidence.map(\.start)), index: si, linkIndex: si,
                                datePhrase: datePhrase, paragraph: sentence.paragraph, linkClause: link, answers: nil, placeKey: placeKey))
            drafts[drafts.count - 1].placeAssumed = placeAssumed
        }

        // Merge events of the same date, type and place.
        var merged: [Draft] = []
        var byDateType: [String: [Int]] = [:]
        for d in drafts.filter({ !($0.placeAssumed && $0.datePhrase.isEmpty) }) + drafts.filter({ $0.placeAssumed && $0.datePhrase.isEmpty }) {
            let key = "\(d.event.date.iso)|\(d.event.eventType)|\(d.event.subEventType)"
            let vague = d.placeAssumed && d.datePhrase.isEmpty
            let sameType = vague ? merged.indices.first { merged[$0].event.subEventType == d.event.subEventType } : nil
            if let i = sameType ?? byDateType[key]?.first(where: { Self.samePlace(merged[$0], d) }) {
                var m = merged[i]
                if !vague, (d.event.geoPrecision ?? 9) < (m.event.geoPrecision ?? 9) || (m.placeAssumed && !d.placeAssumed) {
                    copyPlace(from: d.event, to: &m.event); m.placeKey = d.placeKey; m.placeAssumed = d.placeAssumed
                }
                for c in d.event.fatalityClaims where !m.event.fatalityClaims.contains(c) { m.event.fatalityClaims.append(c) }
                for e in d.evidence where !m.evidenceStarts.contains(e.start) { m.evidence.append(e); m.evidenceStarts.insert(e.start) }
                for t in d.event.tags where !m.event.tags.contains(t) && !(t == "date-assumed" && !m.datePhrase.isEmpty) { m.event.tags.append(t) }
                if m.event.actor1.isEmpty && !d.event.actor1.isEmpty {
                    m.event.actor1 = d.event.actor1; m.event.actor1Reported = d.event.actor1Reported
                    m.event.actorMatch = d.event.actorMatch; m.event.actorSide = d.event.actorSide
                }
                if m.event.tags.contains("attribution-disputed") { m.event.actorSide = "unknown" }
                if m.event.actor2.isEmpty { m.event.actor2 = d.event.actor2; m.event.target = d.event.target }
                if m.linkClause == nil { m.linkClause = d.linkClause; m.linkIndex = d.linkIndex }
                else if let l = d.linkClause { m.moreLinks.append((l, d.linkIndex)) }
                m.moreLinks += d.moreLinks
                merged[i] = m
                explain("event", d.sentence.start, d.sentence.end, "merged into the event of the same date, type and place")
            } else {
                byDateType[key, default: []].append(merged.count)
                merged.append(d)
            }
        }
        // Time zone caveats ("4:45 a.m. local time, Monday evening in Washington") stay as notes of the event they date.
        for sentence in sentences {
            let range = sentence.start..<sentence.end
            guard let cue = PhraseSearch.first(of: Self.timeZoneCues, in: lowerScalars, range),
                  ["local time", " gmt", " utc", "eastern time", "time zone"].contains(cue) || PhraseSearch.containsAny(Self.timesOfDay, in: lowerScalars, range) else { continue }
            guard let i = merged.lastIndex(where: { $0.evidenceStarts.contains(sentence.start) }) ?? merged.lastIndex(where: { $0.sentence.start <= sentence.start }) else { continue }
            merged[i].event.notes += (merged[i].event.notes.isEmpty ? "" : "; ") + "time zone ('\(cue)'): '\(RawText.clipped(sentence.text, limit: 120))'"
            if !merged[i].event.tags.contains("time-zone") { merged[i].event.tags.append("time-zone") }
            explain("date", sentence.start, sentence.end, "a time zone caveat: kept as a note of \(merged[i].event.eventTypeReported)")
        }
        let stem = documentStem(document)
        for i in merged.indices { merged[i].event.eventID = "\(stem)-\(i + 1)" }

        // Stated links: the earlier event the link clause names (its place, else its type, else the one
        // before); when it is none of them and the clause dates it ("after a rocket attack on Kirkuk on
        // Friday"), the clause gives that event.
        var extraDrafts: [Draft] = []
        for i in merged.indices {
          let allLinks = (merged[i].linkClause.map { [($0, merged[i].linkIndex)] } ?? []) + merged[i].moreLinks
          for (link, linkIndex) in allLinks {
            let clausePlaces = placesBy[linkIndex].filter { $0.start >= link.start && $0.end <= link.end && $0.role == .place }.map { $0.id ?? $0.name ?? $0.text }
            let clauseTypes = wordingsBy[linkIndex].filter { $0.start >= link.start && $0.end <= link.end }.map(\.entry.subEventType)
            // A date the clause names itself ("… on Tower 22 last Sunday") rules out events of other days.
            let phraseEnd = link.start + link.phrase.unicodeScalars.count
            let clauseDates = Set(datesBy[linkIndex].filter { $0.start >= phraseEnd && $0.end <= link.end }.compactMap(\.date))
            let others = merged.indices.filter { $0 != i && (clauseDates.isEmpty || clauseDates.contains(merged[$0].event.date)) }
            let target = others.first { clausePlaces.contains(merged[$0].placeKey) }
                ?? others.first { clauseTypes.contains(merged[$0].event.subEventType) && merged[$0].event.date <= merged[i].event.date && merged[$0].sentence.paragraph != merged[i].sentence.paragraph || clauseTypes.contains(merged[$0].event.subEventType) && merged[$0].event.date < merged[i].event.date }
                ?? (i > 0 && clauseTypes.isEmpty && clausePlaces.isEmpty ? i - 1 : nil)
            if let t = target {
                if merged[i].answers == nil { merged[i].answers = merged[t].event.eventID }
                explain("link", link.start, link.end, "'\(link.phrase)': answers \(merged[t].event.eventID)")
            } else if let named = clauseEvent(link: link, of: merged[i], wordings: wordingsBy[linkIndex], dates: datesBy[linkIndex],
                                              places: placesBy[linkIndex], actors: actorsBy[linkIndex], scalars: scalars, document: document,
                                              sources: sources, stem: stem, number: merged.count + extraDrafts.count + 1) {
                if merged[i].answers == nil { merged[i].answers = named.event.eventID }
                extraDrafts.append(named)
                explain("link", link.start, link.end, "'\(link.phrase)': the event it names, \(named.event.eventID), is taken from the clause")
            } else {
                merged[i].event.notes += (merged[i].event.notes.isEmpty ? "" : "; ") + "stated link '\(link.phrase)' to an event not reported here"
                explain("link", link.start, link.end, "'\(link.phrase)': the event it names is not one of the report's")
            }
          }
        }

        merged += extraDrafts
        let events = merged.map { d -> Event in
            var e = d.event
            e.fatalities = Event.conservativeFatalities(e.fatalityClaims)
            // Only the wounded reported: no one was reported killed, which ACLED codes as 0.
            if e.fatalities == nil, e.fatalityClaims.contains(where: { $0.injured != nil }) {
                e.fatalities = 0
                e.notes += (e.notes.isEmpty ? "" : "; ") + "fatalities: 0, only the wounded are reported"
            }
            if !d.datePhrase.isEmpty { e.extra["date_phrase"] = .string(d.datePhrase) }
            e.extra["evidence"] = .array(d.evidence.map { s in
                .object(["document": .string(document), "start": .integer(Int64(s.start)), "end": .integer(Int64(s.end)), "text": .string(s.text)])
            })
            if let a = d.answers { e.extra["answers"] = .string(a) }
            return e
        }
        return ExtractionResult(events: events, rejects: rejects, explanations: explanations, published: published)
    }

    /// Whether a sentence can hold a casualty figure at all (a cheap test before `CasualtyClaims`).
    static func mayHaveClaims(_ lower: [Unicode.Scalar], _ range: Range<Int>) -> Bool {
        PhraseSearch.containsAny(casualtyStems, in: lower, range)
    }

    /// Institutions whose place is the event's when they are attacked ("the embassy in Baghdad").
    static let targetNouns: Set<String> = ["embassy", "consulate", "prison", "jail", "parliament", "headquarters", "compound", "office", "offices", "camp"]
    /// Sides that fire rather than intercept.
    static let hostileSides: Set<String> = ["militia", "IS", "unknown", "Hezbollah"]

    /// Verbs that make a place the subject of a sentence ("Washington did not comment"): an actor.
    static let subjectVerbs: Set<String> = ["did", "does", "said", "says", "announced", "blamed", "warned", "denied", "accused", "responded", "vowed", "declined", "condemned", "called", "urged"]

    /// Why a place-role mention is no place in this text, or nil: a dateline that opens a paragraph
    /// ("Baghdad: The …", "ERBIL - …"), a possessor ("Washington's approach"), a sentence subject
    /// ("Washington did not comment"), an outlet's name ("Deir Ezzor 24").
    static func notAPlaceReason(_ p: PlaceMention, _ s: [Unicode.Scalar], _ lower: [Unicode.Scalar]) -> String? {
        var a = p.start - 1
        while a >= 0 && (s[a] == " " || s[a] == "\t") { a -= 1 }
        let lineStart = a < 0 || s[a] == "\n"
        var b = p.end
        while b < s.count && s[b] == " " { b += 1 }
        let twoBefore = wordsBefore(p.start, lower, count: 3)
        if twoBefore.contains(where: { ["war", "conflict", "crisis", "massacres", "occupation"].contains($0) }) {
            return "the place of a war named as background ('\(twoBefore.joined(separator: " ")) \(p.text)')"
        }
        if lineStart, b < s.count, [":", "—", "–"].contains(s[b]) || (s[b] == "-" && b + 1 < s.count && s[b + 1] == " ") {
            return "a dateline opening the paragraph ('\(p.text)\(s[b])'): never an event location"
        }
        if p.end + 1 < s.count, ["'", "\u{2019}"].contains(s[p.end]), lower[p.end + 1] == "s",
           p.end + 2 >= s.count || !s[p.end + 2].properties.isAlphabetic {
            // "Syria's Hasaka province" keeps Hasaka; "Washington's support" names an actor.
            let next = wordsAfter(p.end + 2, s, count: 1).first ?? ""
            if !["province", "governorate", "capital", "city", "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest", "border", "airport", "outskirts", "suburbs", "centre", "center", "old", "district", "neighbourhood", "neighborhood", "countryside", "desert"].contains(next),
               !(wordsAfter(p.end + 2, s, count: 1).first.map { _ in
                   var k = p.end + 2
                   while k < s.count && !s[k].properties.isAlphabetic { k += 1 }
                   return k < s.count && s[k].properties.isUppercase } ?? false) { return "a possessor ('\(p.text)'s \(next)'), not the event's place" }
        }
        if let next = wordsAfter(p.end, s, count: 1).first, subjectVerbs.contains(next), !locatives.contains(wordBefore(p.start, s)),
           wordsBefore(p.start, s, count: 1).isEmpty || ["however", "but", "and", "while"].contains(wordBefore(p.start, s)) {
            return "the subject of '\(next)': an actor, not a place"
        }
        if b < s.count, s[b].properties.numericType != nil, b > p.end {
            var c = b
            while c < s.count && s[c].properties.numericType != nil { c += 1 }
            if c >= s.count || !s[c].properties.isAlphabetic { return "an outlet's name ('\(p.text) \(String(String.UnicodeScalarView(s[b..<c])))'), not a place" }
        }
        return nil
    }

    /// Where a stated link starts in a sentence, or nil.
    static func linkStart(in s: Sentence, _ lower: [Unicode.Scalar]) -> Int? {
        PhraseSearch.earliest(of: linkPhrases, in: lower, s.start..<s.end)?.at
    }

    static let timeZoneCues: PhraseList = ["local time", " gmt", " utc", "eastern time", " est)", " et)", "in washington", "washington time", "time zone"]
    static let timesOfDay: PhraseList = ["a.m.", "p.m.", "morning", "evening", "night", "o'clock"]
    /// Words that say part of a salvo got through ("intercepted some of them").
    static let partialWords: PhraseList = ["some of", "most of", "one of", "several of", "all but", "part of", "others hit", "others landed"]
    static let casualtyStems: PhraseList = ["kill", "dead", "die", "death", "wound", "injur", "hurt", "casualt", "toll", "fatalit", "lost", "nobody", "no one"]
    static let bothWords: PhraseList = ["both attacks", "both strikes", "the two attacks", "both of the attacks", "both drone"]
    static let victimWords = [" killed", " wounded", " injured", " hurt", " died", " dead", " were hit", " was hit"]
    static let locatives: Set<String> = ["in", "near", "at", "of", "to", "on", "across", "over", "from", "inside", "into", "outside", "around", "northern", "southern", "eastern", "western", "central"]
    static let definite: Set<String> = ["the", "this", "that", "same", "its"]
    static let referenceNouns: PhraseList = ["the strike", "the attack", "the raid", "the bombing", "took place", "the incident", "the explosion", "the blast", "the attacks", "both attacks", "claimed responsibility", "the strikes"]
    static let speakerWords: Set<String> = [
        "official", "officials", "spokesman", "spokesperson", "spokeswoman", "source", "sources", "statement", "media",
        "television", "tv", "outlet", "channel", "agency", "said", "says", "told", "commander", "commanders", "leader",
    ]

    /// Why an actor mention names a speaker rather than one who acted, or nil.
    static func speakerReason(_ a: ActorHit, _ scalars: [Unicode.Scalar]) -> String? {
        // "the UK-based monitor", "a U.S.-designated group": a qualifier, not an actor.
        if a.end < scalars.count, scalars[a.end] == "-" { return "part of a compound ('\(a.text)-…')" }
        let after = wordsAfter(a.end, scalars, count: 2)
        if let w = after.first, speakerWords.contains(w) { return "followed by '\(w)'" }
        if after.count == 2, speakerWords.contains(after[1]), !["said", "says", "told"].contains(after[1]) { return "followed by '\(after[1])'" }
        if wordsBefore(a.start, scalars, count: 3).suffix(2) == ["according", "to"] { return "after 'according to'" }
        return nil
    }

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
            if end > i + 1 { words.append(String(String.UnicodeScalarView(s[(i + 1)..<end])).lowercased()) }
        }
        return words.reversed()
    }

    static func wordsAfter(_ offset: Int, _ s: [Unicode.Scalar], count: Int) -> [String] {
        var words: [String] = []
        var i = offset
        while words.count < count && i < s.count {
            while i < s.count && !isLetter(s[i]) { if s[i] == "." || s[i] == "," || s[i] == "\n" { return words }; i += 1 }
            let start = i
            while i < s.count && (isLetter(s[i]) || s[i] == "'") { i += 1 }
            if i > start { words.append(String(String.UnicodeScalarView(s[start..<i])).lowercased()) }
        }
        return words
    }

    /// Adds a sentence about an event already found: its claims, its evidence, a denial, an actor.
    func continueDraft(_ d: inout Draft, with sentence: Sentence, lower: [Unicode.Scalar],
                       actorMentions: [ActorHit], explain: (String, Int, Int, String) -> Void) {
        if !d.evidenceStarts.contains(sentence.start) { d.evidence.append(sentence); d.evidenceStarts.insert(sentence.start) }
        // Figures inside a stated link ("in retaliation for an attack that killed …") belong to the earlier event.
        let range = sentence.start..<sentence.end
        let linkAt = PhraseSearch.earliest(of: Self.linkPhrases, in: lower, range).map { $0.at - sentence.start }
        let own = linkAt.map { String(String.UnicodeScalarView(sentence.text.unicodeScalars.prefix($0))) } ?? sentence.text
        for found in (Self.mayHaveClaims(lower, range) ? CasualtyClaims.find(in: own) : []) where !d.event.fatalityClaims.contains(found.claim) {
            d.event.fatalityClaims.append(found.claim)
            explain("claim", sentence.start + found.start, sentence.start + found.end, "\(found.claim.source): killed \(found.claim.killed.map(String.init) ?? "-"), injured \(found.claim.injured.map(String.init) ?? "-") (continues \(d.event.eventTypeReported))")
        }
        if let denial = PhraseSearch.first(of: Self.denialPhrases, in: lower, range), !d.event.tags.contains("attribution-disputed") {
            d.event.tags.append("attribution-disputed")
            d.event.actorSide = "unknown"
            d.event.notes += "; attribution disputed ('\(denial)')"
        }
        // "X claimed the attack": X, named before "claimed", when no stated link comes first.
        let claimedAt = PhraseSearch.find("claimed", in: lower, range)
        let linkFirst = claimedAt.map { c in linkAt.map { sentence.start + $0 < c } ?? false } ?? true
        if d.event.actor1.isEmpty, !linkFirst, let c = claimedAt,
           let a = actorMentions.last(where: { $0.start >= sentence.start && $0.end <= c }) {
            d.event.actor1 = a.entry.acledName.isEmpty ? a.entry.name : a.entry.acledName
            d.event.actor1Reported = a.text
            d.event.actorMatch = a.entry.name
            if !d.event.tags.contains("attribution-disputed") { d.event.actorSide = a.entry.side }
            explain("actor", a.start, a.end, "actor1 from a claim of responsibility")
        }
    }

    /// "X claimed both attacks": the actor of the last event goes to the one before it too.
    static func shareClaimOfBoth(_ drafts: inout [Draft], _ sentence: Sentence, _ lower: [Unicode.Scalar]) {
        guard drafts.count >= 2, PhraseSearch.containsAny(bothWords, in: lower, sentence.start..<sentence.end) else { return }
        let last = drafts[drafts.count - 1].event
        guard !last.actor1.isEmpty, drafts[drafts.count - 2].event.actor1.isEmpty else { return }
        drafts[drafts.count - 2].event.actor1 = last.actor1
        drafts[drafts.count - 2].event.actor1Reported = last.actor1Reported
        drafts[drafts.count - 2].event.actorMatch = last.actorMatch
        if !drafts[drafts.count - 2].event.tags.contains("attribution-disputed") { drafts[drafts.count - 2].event.actorSide = last.actorSide }
        if !drafts[drafts.count - 2].evidenceStarts.contains(sentence.start) {
            drafts[drafts.count - 2].evidence.append(sentence); drafts[drafts.count - 2].evidenceStarts.insert(sentence.start)
        }
    }

    /// The event a link clause names, when the clause has a wording and a date phrase.
    func clauseEvent(link: (start: Int, end: Int, phrase: String), of response: Draft, wordings: [Wording],
                     dates: [DateMention], places: [PlaceMention], actors: [ActorHit], scalars: [Unicode.Scalar], document: String,
                     sources: [String], stem: String, number: Int) -> Draft? {
        guard let w = wordings.first(where: { $0.start >= link.start && $0.end <= link.end }) else { return nil }
        var found = dates.filter({ $0.start >= link.start + link.phrase.unicodeScalars.count && $0.end <= link.end }).min(by: { abs($0.start - w.start) < abs($1.start - w.start) })
        let counted = dates.first { d in
            guard case .relativeToEvent = d.kind else { return false }
            return d.start < link.end && d.end > link.start - 12 && d.end <= link.start + link.phrase.unicodeScalars.count + 1
        }
        if found == nil, let gap = counted, case .relativeToEvent(let offset, let span) = gap.kind {
            // "came hours after X", "a day after X": X is that long before the response.
            var m = gap
            // "early on Tuesday, hours after …": the earlier event was most likely the day before.
            let head = response.sentence.start < link.start && link.start <= response.sentence.end
                ? String(String.UnicodeScalarView(scalars[response.sentence.start..<link.start])).lowercased() : response.datePhrase.lowercased()
            let early = ["early", "dawn", "before sunrise"].contains { head.contains($0) } && !head.contains("overnight")
            let back = offset == 0 && span > 0 && early ? 1 : 0
            m.date = response.event.date.adding(days: -offset - back)
            m.dateEnd = nil
            m.note = "'\(gap.text)' counted back from the response (\(response.event.date.iso)\(back > 0 ? ", early in the day: the day before" : ""))" + (span > 0 && back == 0 ? "; it may be the day before" : "")
            found = m
        }
        guard var d = found else { return nil }
        if case .relativeToEvent = d.kind, d.date == nil { d = d.anchored(to: response.event.date) }
        guard let date = d.date else { return nil }
        let clause = Sentence(start: link.start, end: link.end, paragraph: response.paragraph,
                              text: String(String.UnicodeScalarView(scalars[link.start..<link.end])))
        var e = Event(eventID: "\(stem)-\(number)", date: date, dateEnd: d.dateEnd, timePrecision: d.precision,
                      eventType: w.entry.eventType, subEventType: w.entry.subEventType, eventTypeReported: Self.cleanWording(w.text),
                      actorSide: "unknown", sources: sources)
        // "in a U.S. drone strike", "a drone strike by X": the actor the clause names at its wording.
        if let a = actors.last(where: { $0.start >= link.start && $0.end <= w.start && w.start - $0.end <= 2 })
            ?? actors.first(where: { $0.start > w.end && $0.start <= link.end && Self.wordBefore($0.start, scalars) == "by" }) {
            e.actor1 = a.entry.acledName.isEmpty ? a.entry.name : a.entry.acledName
            e.actor1Reported = a.text
            e.actorMatch = a.entry.name
            e.actorSide = a.entry.side
        }
        var placeKey = ""
        if let p = places.filter({ $0.start >= link.start && $0.end <= link.end && $0.role == .place && $0.position != nil })
            .min(by: { ($0.geoPrecision ?? 9, $0.start) < ($1.geoPrecision ?? 9, $1.start) }) {
            apply(p, to: &e)
            placeKey = p.id ?? p.name ?? p.text
        }
        e.fatalityClaims = CasualtyClaims.find(in: clause.text).map(\.claim)
        e.notes = "named in a stated link ('\(link.phrase)'); date: '\(d.text)' — \(d.note)"
        if let weapon = w.typedBy { e.notes += "; type: '\(w.text)' with '\(weapon)' named in the report" }
        e.tags = ["from-stated-link"]
        return Draft(event: e, sentence: clause, evidence: [clause], evidenceStarts: [clause.start], index: response.index,
                     datePhrase: d.text, paragraph: response.paragraph, linkClause: nil, answers: nil, placeKey: placeKey)
    }

    // MARK: Generic wordings, headlines, background, clauses

    /// Generic words the vocabulary leaves out on purpose ("attack" says nothing of the means).
    static let genericWords: Set<String> = ["attack", "attacks", "attacked", "salvo", "salvos", "volley", "volleys", "strike", "strikes", "struck"]
    /// Weapons that type a generic word, with the vocabulary wording of that type.
    static let weapons: [(words: [String], wording: String)] = [
        (["drone", "drones", "uav", "uavs", "jets", "jet", "aircraft", "warplanes", "warplane", "bombers", "airstrike", "airstrikes", "helicopter", "helicopters"], "drone strike"),
        (["rocket", "rockets", "missile", "missiles", "mortar", "mortars", "katyusha", "katyushas"], "rocket attack"),
        (["ied", "ieds", "roadside bomb", "roadside bombs", "explosive device", "car bomb"], "roadside bomb"),
    ]

    /// Generic words (-1) and weapon words (their group in `weapons`; "ied", "roadside" and
    /// "bomb" the roadside-bomb group), by packed word.
    static let genericKinds: [WordKey: Int] = {
        var table: [WordKey: Int] = [:]
        for w in genericWords { table[WordKey(w)] = -1 }
        for (k, group) in weapons.enumerated() {
            for w in group.words where table[WordKey(w)] == nil { table[WordKey(w)] = k }
        }
        for w in ["ied", "roadside", "bomb"] where table[WordKey(w)] == nil { table[WordKey(w)] = 2 }
        return table
    }()

    /// Adds generic words as wordings typed by the nearest weapon the report names (the sentence,
    /// else the whole report; "salvo" and "volley" are rockets or missiles). Without a weapon the word
    /// gives no event (ACLED codes an attack by its means).
    func mergeGeneric(into found: [Wording], lower: [Unicode.Scalar], sentences: [Sentence], explain: (String, Int, Int, String) -> Void) -> [Wording] {
        var generic: [(start: Int, end: Int, word: String)] = []
        var weaponHits: [(at: Int, index: Int, word: String)] = []
        var i = 0
        let n = lower.count
        while i < n {
            guard Self.isLetter(lower[i]), i == 0 || !Self.isLetter(lower[i - 1]) else { i += 1; continue }
            var j = i
            while j < n && Self.isLetter(lower[j]) { j += 1 }
            // Words are compared packed (no string per word of the report).
            if let key = WordKey(lower, i, j), let kind = Self.genericKinds[key] {
                let word = String(String.UnicodeScalarView(lower[i..<j]))
                if kind < 0 {
                    if !found.contains(where: { $0.start <= i && $0.end >= j }) { generic.append((i, j, word)) }
                } else {
                    weaponHits.append((i, kind, word))
                }
            }
            i = j
        }
        guard !generic.isEmpty else { return found }
        var result = found
        for g in generic {
            let sentence = sentences.first { $0.start <= g.start && $0.end >= g.end }
            let inSentence = weaponHits.filter { h in sentence.map { $0.start <= h.at && h.at < $0.end } ?? false }
            let strikeWord = g.word == "strike" || g.word == "strikes" || g.word == "struck"
            if inSentence.isEmpty, strikeWord {
                let earlier = found.last { w in w.start < g.start && Self.eventStems.contains { w.text.lowercased().contains($0) } }
                let entry = earlier?.entry ?? vocabulary.match("airstrike")?.entry
                if let entry {
                    let text = String(String.UnicodeScalarView(lower[g.start..<g.end]))
                    result.append(Wording(entry: entry, start: g.start, end: g.end, text: text, typedBy: earlier.map { "the earlier '\($0.text)'" } ?? "strike"))
                    continue
                }
            }
            let hit = inSentence.min { abs($0.at - g.start) < abs($1.at - g.start) }
                ?? (g.word.hasPrefix("salvo") || g.word.hasPrefix("volley") ? (g.start, 1, g.word) : nil)
                ?? weaponHits.min { abs($0.at - g.start) < abs($1.at - g.start) }
            guard let hit, let entry = vocabulary.match(Self.weapons[hit.index].wording)?.entry else {
                explain("event", g.start, g.end, "'\(g.word)' without a weapon named in the report: no event type")
                continue
            }
            let text = String(String.UnicodeScalarView(lower[g.start..<g.end]))
            result.append(Wording(entry: entry, start: g.start, end: g.end, text: text, typedBy: hit.word))
        }
        return result.sorted { $0.start < $1.start }
    }

    static let intentions: PhraseList = [" will ", " would ", " could ", " might ", "likely", "threatened", "threatens", "vowed", "vows", "plans to", "to carry out", "to conduct", "to launch"]
    static let habits: PhraseList = ["has been", "have been", "has conducted", "have conducted", "has carried", "have carried", "has claimed", "have claimed", "have targeted", "has targeted", "are being", "often", "routinely", "regularly", "repeatedly", "over the past", "in recent", "since the"]
    /// Why a wording reports no event of its own, or nil: a headline, a count or series of attacks,
    /// an intention or a habit ("will intensify attacks", "have conducted strikes … since").
    static func notAnEventReason(_ w: Wording, sentence: Sentence, isFirst: Bool, lower: [Unicode.Scalar], ownDate: Bool) -> String? {
        let text = sentence.text
        if let last = text.unicodeScalars.last, !".!?\"”’')".unicodeScalars.contains(last), !text.hasSuffix(":") {
            let words = text.split(separator: " ")
            let capitalised = words.filter { $0.first?.isUppercase == true }.count
            if words.count <= 16, isFirst || capitalised * 2 >= words.count + 1 { return "a headline: the body reports the event" }
        }
        let before = wordsBefore(w.start, lower, count: 4)
        // "The base hosts F-16 jets": a weapon named without an act is no event.
        let wordingText = w.text.lowercased()
        if w.typedBy == nil, !eventStems.contains(where: { wordingText.contains($0) }) {
            let words = Set(String(String.UnicodeScalarView(lower[sentence.start..<sentence.end])).split { !$0.isLetter }.map(String.init))
            if words.isDisjoint(with: actionVerbs) { return "'\(w.text)' named without an act (no verb of attack in the sentence)" }
        }
        if w.typedBy != nil, let b = before.last, ["heart", "panic", "cyber", "to"].contains(b) { return "'\(b) \(w.text)' is no armed attack" }
        if w.text.lowercased() == "fighting", let b = before.last, b.hasSuffix("s"), b != "fierce" { return "'\(b) fighting': who fights, not a fight" }
        let aggregates: Set<String> = ["series", "spate", "wave", "string", "surge", "campaign", "dozens", "hundreds", "scores", "hundred", "most", "majority", "number", "string", "slew"]
        if before.contains(where: { aggregates.contains($0) }) { return "a count or series of attacks, not one event" }
        // "More than 100 attacks with rockets and drones have targeted …": every wording after the count.
        let head = String(String.UnicodeScalarView(lower[max(sentence.start, w.start - 120)..<w.start]))
        let countWords = head.split { !$0.isLetter && !$0.isNumber }.map(String.init)
        for (k, word) in countWords.enumerated() where ["attacks", "strikes"].contains(word) && k > 0 {
            let q = countWords[max(0, k - 3)..<k]
            if q.contains(where: { (Int($0) ?? 0) >= 10 || aggregates.contains($0) }) { return "after a count of attacks ('\(q.joined(separator: " ")) \(word)'): not one event" }
        }
        let startOffset = max(sentence.start, w.start - 40)
        let lead = String(String.UnicodeScalarView(lower[startOffset..<w.start]))
        // "30 rockets slammed into …" is one salvo; "19 attacks" are many events.
        let eventNoun = ["attack", "strike", "raid"].contains { wordingText.contains($0) }
        if eventNoun, let n = lead.split(whereSeparator: { !$0.isNumber }).last.flatMap({ Int($0) }), n >= 10, lead.hasSuffix("\(n) ") || lead.hasSuffix("\(n) rocket ") || lead.hasSuffix("\(n) drone ") {
            return "a count of attacks (\(n)), not one event"
        }
        if let cue = PhraseSearch.first(of: intentions, in: lower, max(0, sentence.start - 1)..<max(sentence.start, w.start)) { return "an intention, threat or order ('\(cue.trimmingSpaces)'), not an event" }
        if !ownDate, let cue = PhraseSearch.first(of: habits, in: lower, sentence.start..<sentence.end) {
            return "background ('\(cue)'), no date of its own: not one event"
        }
        return nil
    }

    /// Words that name an act in a wording; a wording without one ("F-16 jets", "rockets") needs a verb.
    static let eventStems = ["strike", "attack", "raid", "bomb", "shell", "barrage", "explo", "blast", "clash", "fight", "intercept", "shot down", "shoot", "down", "assassinat", "ambush", "battle", "protest", "demonstrat", "salvo", "fire", "hit", "struck", "launch", "kill"]
    static let actionVerbs: Set<String> = [
        "struck", "strike", "strikes", "hit", "hits", "fired", "fire", "fires", "launched", "launch", "launches", "targeted", "target",
        "targets", "bombed", "attacked", "attack", "shelled", "carried", "conducted", "landed", "exploded", "killed", "killing", "wounded",
        "wounding", "injured", "intercepted", "shot", "downed", "crashed", "pounded", "slammed", "rained", "destroyed", "damaged", "raided",
    ]

    /// "since October 17": the start of a span, not the date of an event.
    static func isSinceDate(_ d: DateMention, _ lower: [Unicode.Scalar]) -> Bool {
        wordBefore(d.start, lower) == "since" || wordsBefore(d.start, lower, count: 3).suffix(2) == ["prior", "to"]
    }

    /// Where a sentence may go on to another event.
    static let clauseJoiners = [", while ", "; ", ", and ", " and ", ", whereas ", " while ", ", but "]

    /// The clauses of a sentence that reports several events: cut at a joiner when the part after it
    /// has its own place and either its own wording ("the first attack targeted X, while the second
    /// hit Y") or its own date while the part before has one too ("at X on Wednesday and at Y on
    /// Thursday"). A stated link ("in response to …") is never cut. One clause otherwise.
    static func eventClauses(_ s: Sentence, wordings: [Wording], dates: [DateMention], places: [PlaceMention],
                             lower: [Unicode.Scalar], scalars: [Unicode.Scalar]) -> [Sentence] {
        guard !wordings.isEmpty, dates.count + places.count >= 2 else { return [s] }
        let linkStart = linkStart(in: s, lower) ?? s.end
        var cuts: [(at: Int, length: Int)] = []
        for joiner in clauseJoiners {
            for at in PhraseSearch.all(joiner, in: lower, s.start..<s.end) where at < linkStart && !cuts.contains(where: { abs($0.at - at) < 3 }) {
                cuts.append((at, joiner.unicodeScalars.count))
            }
        }
        guard !cuts.isEmpty else { return [s] }
        cuts.sort { $0.at < $1.at }
        func has<T>(_ items: [T], _ a: Int, _ b: Int, _ r: (T) -> Int) -> Bool { items.contains { r($0) >= a && r($0) < b } }
        func joinerIsAnd(_ cut: (at: Int, length: Int)) -> Bool { cut.length <= 6 && lower[cut.at + cut.length - 4..<cut.at + cut.length - 1].elementsEqual("and".unicodeScalars) }
        var pieces: [(Int, Int)] = []
        var left = s.start
        var leftIsEvent = has(wordings, s.start, cuts[0].at) { $0.start }
        for (k, cut) in cuts.enumerated() {
            let rightStart = cut.at + cut.length
            let rightEnd = k + 1 < cuts.count ? cuts[k + 1].at : min(s.end, linkStart)
            guard rightStart < rightEnd else { continue }
            let rightPlace = has(places, rightStart, rightEnd) { $0.start }
            let rightWording = has(wordings, rightStart, rightEnd) { $0.start }
            let rightDate = has(dates, rightStart, rightEnd) { $0.start }
            let leftPlace = has(places, left, cut.at) { $0.start }
            let leftDate = has(dates, left, cut.at) { $0.start }
            // "struck a facility near Albu Kamal and a safe house near Mayadin": two towns, one event each (ACLED's unit).
            let towns = !rightWording && joinerIsAnd(cut) && places.contains { $0.start >= left && $0.start < cut.at && ($0.geoPrecision ?? 9) <= 2 }
                && places.contains { p in p.start >= rightStart && p.start < rightEnd && (p.geoPrecision ?? 9) <= 2
                    && !places.contains { $0.start >= left && $0.start < cut.at && ($0.id ?? $0.text) == (p.id ?? p.text) } }
            if leftIsEvent, rightPlace, (rightWording && leftPlace) || (!rightWording && rightDate && leftDate) || towns {
                pieces.append((left, cut.at))
                left = rightStart
                leftIsEvent = true
            } else if !leftIsEvent {
                leftIsEvent = has(wordings, left, rightEnd) { $0.start }
            }
        }
        guard !pieces.isEmpty else { return [s] }
        pieces.append((left, s.end))
        return pieces.map { a, b in
            var e = b
            while e > a, scalars[e - 1].properties.isWhitespace || scalars[e - 1] == "," { e -= 1 }
            return Sentence(start: a, end: e, paragraph: s.paragraph, text: String(String.UnicodeScalarView(scalars[a..<e])))
        }
    }

    /// Items grouped by the sentence that holds them (an item across a sentence end is left out).
    static func bucket<T>(_ items: [T], _ starts: [Int], _ sentences: [Sentence], _ range: (T) -> (Int, Int)) -> [[T]] {
        var result = [[T]](repeating: [], count: sentences.count)
        for item in items {
            let (a, b) = range(item)
            var lo = 0, hi = starts.count  // the last sentence starting at or before a
            while lo < hi { let mid = (lo + hi) / 2; if starts[mid] <= a { lo = mid + 1 } else { hi = mid } }
            let i = lo - 1
            if i >= 0, b <= sentences[i].end { result[i].append(item) }
        }
        return result
    }

    /// Same place for merging: the same place, or one of the two known only to its region or
    /// country (precision 3) in the other's country.
    static func samePlace(_ a: Draft, _ b: Draft) -> Bool {
        if a.placeKey == b.placeKey { return true }
        // A place only assumed (the report's main place) says nothing against the other's.
        if a.placeAssumed != b.placeAssumed { return true }
        guard !a.placeAssumed, !b.placeAssumed, !a.event.country.isEmpty, a.event.country == b.event.country else { return false }
        return a.event.geoPrecision == 3 || b.event.geoPrecision == 3
    }

    /// The wording without a stray initial the matcher took along ("S. drone strike" from "U.S. drone strike").
    static func cleanWording(_ text: String) -> String {
        var t = Substring(text)
        while t.count > 3, let f = t.first, f.isLetter, t.dropFirst().hasPrefix(". ") { t = t.dropFirst(3) }
        return String(t)
    }

    func apply(_ p: PlaceMention, to event: inout Event) {
        event.location = p.name ?? p.text
        event.latitude = p.position?.latitude
        event.longitude = p.position?.longitude
        event.geoPrecision = p.geoPrecision
        event.country = p.country ?? ""
        event.admin1 = p.entry?.admin1 ?? ""
    }

    func copyPlace(from e: Event, to event: inout Event) {
        event.location = e.location
        event.latitude = e.latitude
        event.longitude = e.longitude
        event.geoPrecision = e.geoPrecision
        event.country = e.country
        event.admin1 = e.admin1
    }

    /// URLs of `URL:` / `Source:` header lines in the first 40 lines.
    func headerURLs(_ s: [Unicode.Scalar], lower: [Unicode.Scalar]) -> [String] {
        var urls: [String] = []
        var lineStart = 0, lines = 0
        while lineStart < min(s.count, 8_000) && lines < 40 {
            var lineEnd = lineStart
            while lineEnd < s.count && s[lineEnd] != "\n" { lineEnd += 1 }
            for label in ["url:", "source:", "link:"] where PhraseSearch.find(label, in: lower, lineStart..<min(lineEnd, lineStart + label.unicodeScalars.count)) == lineStart {
                let rest = String(String.UnicodeScalarView(s[(lineStart + label.unicodeScalars.count)..<lineEnd])).trimmingSpaces
                if rest.hasPrefix("http://") || rest.hasPrefix("https://") { urls.append(rest) }
            }
            lineStart = lineEnd + 1
            lines += 1
        }
        return urls
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
