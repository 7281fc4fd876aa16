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

    public init(geoparser: Geoparser, vocabulary: EventTypeVocabulary, actors: ActorList) {
        self.geoparser = geoparser
        self.vocabulary = vocabulary
        self.actors = actors
    }

    /// Loads the bundled gazetteer and vocabularies.
    public convenience init(gazetteer: Gazetteer) throws {
        self.init(geoparser: Geoparser(gazetteer: gazetteer), vocabulary: try EventTypeVocabulary.load(), actors: try ActorList.load())
    }

    static let linkPhrases = [
        "in response to", "in retaliation for", "in retaliation against", "in reprisal for", "to avenge", "hours after",
        "a day after", "days after", "shortly after", "in answer to", "responding to", "retaliating for", "following the",
    ]
    static let denialPhrases = [
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

    struct Draft {
        var event: Event
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

        let sentences = SentenceSplitter.split(scalars: scalars)
        let dates = ReportDates.mentions(in: text, published: published)
        let wordings = vocabulary.mentions(in: text)
        let allActors = actors.mentions(in: text).map { ActorHit(entry: $0.entry, start: $0.start, end: $0.end, text: $0.text) }
        let actorMentionsFound = allActors.filter { a in
            if ["in", "near", "inside", "across", "at"].contains(Self.wordBefore(a.start, scalars)) {
                explain("actor", a.start, a.end, "a place here ('\(Self.wordBefore(a.start, scalars)) …'), not an actor"); return false
            }
            if let why = Self.speakerReason(a, scalars) { explain("actor", a.start, a.end, "a speaker, not an actor (\(why))"); return false }
            return true
        }
        var actorMentions = actorMentionsFound
        let places = geoparser.parse(text).mentions.filter { p in
            // "U.S. drone strike", "Iran's proxies": a place word used as an actor is no event place
            // unless a locative word stands before it ("in Syria"); it is an actor there.
            let overlapping = allActors.contains(where: { $0.start < p.end && $0.end > p.start })
            let asActor = overlapping || p.kind != "country" ? nil : actors.match(p.text)?.entries.first
            guard overlapping || asActor != nil else { return true }
            // Part of an actor's name ("Islamic Resistance in Iraq"): never a place.
            let insideName = allActors.contains { $0.start < p.start && $0.end >= p.end || $0.start <= p.start && $0.end > p.end }
            if !insideName, Self.locatives.contains(Self.wordBefore(p.start, scalars)) { return true }
            if let entry = asActor { actorMentions.append(ActorHit(entry: entry, start: p.start, end: p.end, text: p.text)) }
            explain("place", p.start, p.end, "names an actor here, not a place")
            return false
        }
        actorMentions.sort { $0.start < $1.start }
        for p in places where p.role != .place {
            explain("place", p.start, p.end, "\(p.role.rawValue) mention: never an event location")
        }
        let sources = [document] + headerURLs(scalars)

        // The article's main place: the place-role mention named most often.
        var counts: OrderedDictionary<String, (Int, PlaceMention)> = [:]
        for p in places where p.role == .place && p.position != nil {
            let key = p.id ?? p.name ?? p.text
            counts[key, default: (0, p)].0 += 1
        }
        let mainPlace = counts.values.max { $0.0 < $1.0 }?.1

        // Mentions by sentence (each list in text order), so that long documents stay linear.
        let starts = sentences.map(\.start)
        let wordingsBy = Self.bucket(wordings, starts, sentences) { ($0.start, $0.end) }
        let datesBy = Self.bucket(dates, starts, sentences) { ($0.start, $0.end) }
        let placesBy = Self.bucket(places, starts, sentences) { ($0.start, $0.end) }
        let actorsBy = Self.bucket(actorMentions, starts, sentences) { ($0.start, $0.end) }

        var drafts: [Draft] = []
        for (si, sentence) in sentences.enumerated() {
            let sw = wordingsBy[si]
            guard !sw.isEmpty else {
                let lower = sentence.text.lowercased()
                let hasClaims = !CasualtyClaims.find(in: sentence.text).isEmpty
                // Wire copy often gives each sentence its own paragraph: claims reach three paragraphs on.
                if let last = drafts.last, hasClaims || Self.referenceNouns.contains(where: { lower.contains($0) }),
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
                    continueDraft(&drafts[drafts.count - 1], with: sentence, next: nil, nextHasWording: true,
                                  actorMentions: actorsBy[si], explain: explain)
                }
                continue
            }
            // A stated link: the clause from the link phrase to the end of the sentence names the earlier event.
            let lowerSentence = sentence.text.lowercased()
            var link: (Int, Int, String)?
            for phrase in Self.linkPhrases {
                if let r = lowerSentence.range(of: phrase) {
                    let offset = lowerSentence.unicodeScalars.distance(from: lowerSentence.unicodeScalars.startIndex, to: r.lowerBound)
                    let s = sentence.start + offset
                    if link == nil || s < link!.0 { link = (s, sentence.end, phrase) }
                }
            }
            let outsideLink = { (a: Int) in link == nil || a < link!.0 }
            guard let wording = sw.filter({ outsideLink($0.start) }).max(by: { $0.entry.priority < $1.entry.priority }) else {
                for w in sw { explain("event", w.start, w.end, "names the earlier event of a stated link, not a new one") }
                // "The strikes came hours after a missile attack on …": the link belongs to the event before.
                if let link, !drafts.isEmpty, drafts[drafts.count - 1].linkClause == nil {
                    drafts[drafts.count - 1].linkClause = link
                    drafts[drafts.count - 1].linkIndex = si
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
            let ownPlace = placesBy[si].contains { $0.role == .place && $0.position != nil && outsideLink($0.start) }
            if let prev = previousDraft, !ownDate, !ownPlace,
               Self.definite.contains(Self.wordBefore(wording.start, scalars)) || prev.event.subEventType == wording.entry.subEventType {
                if let link, drafts[drafts.count - 1].linkClause == nil {
                    drafts[drafts.count - 1].linkClause = link
                    drafts[drafts.count - 1].linkIndex = si
                }
                continueDraft(&drafts[drafts.count - 1], with: sentence, next: si + 1 < sentences.count ? sentences[si + 1] : nil,
                              nextHasWording: true, actorMentions: actorsBy[si], explain: explain)
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
            let sd = datesBy[si].filter { outsideLink($0.start) && !isPublicationPhrase($0) }
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
            let before = sa.last { a in
                guard a.start < wording.start else { return false }
                let between = a.end < wording.start ? String(String.UnicodeScalarView(scalars[a.end..<wording.start])).lowercased() : ""
                return !Self.victimWords.contains { between.contains($0) }
            }
            let byActor = sa.first { a in
                a.start > wording.end && lowerSentence.unicodeScalars.count >= a.start - sentence.start
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
            } else {
                event.actorSide = "unknown"
            }
            let next = si + 1 < sentences.count ? sentences[si + 1] : nil
            let nextHasWording = next == nil || !wordingsBy[si + 1].isEmpty
            let denialText = lowerSentence + (next.map { " " + $0.text.lowercased() } ?? "")
            if let denial = Self.denialPhrases.first(where: { denialText.contains($0) }) {
                if !event.actor1.isEmpty { notes.append("attribution to \(event.actor1Reported) disputed ('\(denial)')") }
                else { notes.append("attribution unknown ('\(denial)')") }
                event.actorSide = "unknown"
                tags.append("attribution-disputed")
            }

            // Claims.
            var evidence = [sentence]
            var claims: [FatalityClaim] = []
            for found in CasualtyClaims.find(in: sentence.text) {
                claims.append(found.claim)
                explain("claim", sentence.start + found.start, sentence.start + found.end, "\(found.claim.source): killed \(found.claim.killed.map(String.init) ?? "-"), injured \(found.claim.injured.map(String.init) ?? "-")")
            }
            if let n = next, !nextHasWording {
                let more = CasualtyClaims.find(in: n.text)
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
            drafts.append(Draft(event: event, sentence: sentence, evidence: evidence, evidenceStarts: Set(evidence.map(\.start)), index: si, linkIndex: si,
                                datePhrase: datePhrase, paragraph: sentence.paragraph, linkClause: link, answers: nil, placeKey: placeKey))
            drafts[drafts.count - 1].placeAssumed = placeAssumed
        }

        // Merge events of the same date, type and place.
        var merged: [Draft] = []
        var byDateType: [String: [Int]] = [:]
        for d in drafts {
            let key = "\(d.event.date.iso)|\(d.event.eventType)|\(d.event.subEventType)"
            if let i = byDateType[key]?.first(where: { Self.samePlace(merged[$0], d) }) {
                var m = merged[i]
                if (d.event.geoPrecision ?? 9) < (m.event.geoPrecision ?? 9) { copyPlace(from: d.event, to: &m.event); m.placeKey = d.placeKey }
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
                merged[i] = m
                explain("event", d.sentence.start, d.sentence.end, "merged into the event of the same date, type and place")
            } else {
                byDateType[key, default: []].append(merged.count)
                merged.append(d)
            }
        }
        let stem = documentStem(document)
        for i in merged.indices { merged[i].event.eventID = "\(stem)-\(i + 1)" }

        // Stated links: the earlier event the link clause names (its place, else its type, else the one
        // before); when it is none of them and the clause dates it ("after a rocket attack on Kirkuk on
        // Friday"), the clause gives that event.
        var extraDrafts: [Draft] = []
        for i in merged.indices {
            guard let link = merged[i].linkClause else { continue }
            let clausePlaces = placesBy[merged[i].linkIndex].filter { $0.start >= link.start && $0.end <= link.end && $0.role == .place }.map { $0.id ?? $0.name ?? $0.text }
            let clauseTypes = wordingsBy[merged[i].linkIndex].filter { $0.start >= link.start && $0.end <= link.end }.map(\.entry.subEventType)
            let others = merged.indices.filter { $0 != i }
            let target = others.first { clausePlaces.contains(merged[$0].placeKey) }
                ?? others.first { clauseTypes.contains(merged[$0].event.subEventType) && merged[$0].event.date <= merged[i].event.date }
                ?? (i > 0 && clauseTypes.isEmpty && clausePlaces.isEmpty ? i - 1 : nil)
            if let t = target {
                merged[i].answers = merged[t].event.eventID
                explain("link", link.start, link.end, "'\(link.phrase)': answers \(merged[t].event.eventID)")
            } else if let named = clauseEvent(link: link, of: merged[i], wordings: wordingsBy[merged[i].linkIndex], dates: datesBy[merged[i].linkIndex],
                                              places: placesBy[merged[i].linkIndex], scalars: scalars, document: document, sources: sources, stem: stem,
                                              number: merged.count + extraDrafts.count + 1) {
                merged[i].answers = named.event.eventID
                extraDrafts.append(named)
                explain("link", link.start, link.end, "'\(link.phrase)': the event it names, \(named.event.eventID), is taken from the clause")
            } else {
                merged[i].event.notes += (merged[i].event.notes.isEmpty ? "" : "; ") + "stated link '\(link.phrase)' to an event not reported here"
                explain("link", link.start, link.end, "'\(link.phrase)': the event it names is not one of the report's")
            }
        }

        merged += extraDrafts
        let events = merged.map { d -> Event in
            var e = d.event
            e.fatalities = Event.conservativeFatalities(e.fatalityClaims)
            if !d.datePhrase.isEmpty { e.extra["date_phrase"] = .string(d.datePhrase) }
            e.extra["evidence"] = .array(d.evidence.map { s in
                .object(["document": .string(document), "start": .integer(Int64(s.start)), "end": .integer(Int64(s.end)), "text": .string(s.text)])
            })
            if let a = d.answers { e.extra["answers"] = .string(a) }
            return e
        }
        return ExtractionResult(events: events, rejects: rejects, explanations: explanations, published: published)
    }

    static let victimWords = [" killed", " wounded", " injured", " hurt", " died", " dead", " were hit", " was hit"]
    static let locatives: Set<String> = ["in", "near", "at", "of", "to", "on", "across", "over", "from", "inside", "into", "outside", "around", "northern", "southern", "eastern", "western", "central"]
    static let definite: Set<String> = ["the", "this", "that", "same", "its"]
    static let referenceNouns = ["the strike", "the attack", "the raid", "the bombing", "took place", "the incident", "the explosion", "the blast", "the attacks", "both attacks", "claimed responsibility", "the strikes"]
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

    /// The lower-cased word just before `offset`.
    static func wordBefore(_ offset: Int, _ s: [Unicode.Scalar]) -> String { wordsBefore(offset, s, count: 1).last ?? "" }

    static func wordsBefore(_ offset: Int, _ s: [Unicode.Scalar], count: Int) -> [String] {
        var words: [String] = []
        var i = min(offset, s.count) - 1
        while words.count < count && i >= 0 {
            while i >= 0 && !(s[i].properties.isAlphabetic || s[i] == "'") { if s[i] == "." || s[i] == "\n" { return words.reversed() }; i -= 1 }
            let end = i + 1
            while i >= 0 && (s[i].properties.isAlphabetic || s[i] == "'") { i -= 1 }
            if end > i + 1 { words.append(String(String.UnicodeScalarView(s[(i + 1)..<end])).lowercased()) }
        }
        return words.reversed()
    }

    static func wordsAfter(_ offset: Int, _ s: [Unicode.Scalar], count: Int) -> [String] {
        var words: [String] = []
        var i = offset
        while words.count < count && i < s.count {
            while i < s.count && !s[i].properties.isAlphabetic { if s[i] == "." || s[i] == "," || s[i] == "\n" { return words }; i += 1 }
            let start = i
            while i < s.count && (s[i].properties.isAlphabetic || s[i] == "'") { i += 1 }
            if i > start { words.append(String(String.UnicodeScalarView(s[start..<i])).lowercased()) }
        }
        return words
    }

    /// Adds a sentence about an event already found: its claims, its evidence, a denial, an actor.
    func continueDraft(_ d: inout Draft, with sentence: Sentence, next: Sentence?, nextHasWording: Bool,
                       actorMentions: [ActorHit], explain: (String, Int, Int, String) -> Void) {
        if !d.evidenceStarts.contains(sentence.start) { d.evidence.append(sentence); d.evidenceStarts.insert(sentence.start) }
        for found in CasualtyClaims.find(in: sentence.text) where !d.event.fatalityClaims.contains(found.claim) {
            d.event.fatalityClaims.append(found.claim)
            explain("claim", sentence.start + found.start, sentence.start + found.end, "\(found.claim.source): killed \(found.claim.killed.map(String.init) ?? "-"), injured \(found.claim.injured.map(String.init) ?? "-") (continues \(d.event.eventTypeReported))")
        }
        let lower = sentence.text.lowercased()
        if let denial = Self.denialPhrases.first(where: { lower.contains($0) }), !d.event.tags.contains("attribution-disputed") {
            d.event.tags.append("attribution-disputed")
            d.event.actorSide = "unknown"
            d.event.notes += "; attribution disputed ('\(denial)')"
        }
        // "X claimed the attack": X, named before "claimed", when no stated link comes first.
        let claimedAt = lower.range(of: "claimed").map { sentence.start + lower.unicodeScalars.distance(from: lower.unicodeScalars.startIndex, to: $0.lowerBound) }
        let linkFirst = claimedAt.map { c in Self.linkPhrases.contains { p in lower.range(of: p).map { sentence.start + lower.unicodeScalars.distance(from: lower.unicodeScalars.startIndex, to: $0.lowerBound) < c } ?? false } } ?? true
        if d.event.actor1.isEmpty, !linkFirst, let c = claimedAt,
           let a = actorMentions.last(where: { $0.start >= sentence.start && $0.end <= c }) {
            d.event.actor1 = a.entry.acledName.isEmpty ? a.entry.name : a.entry.acledName
            d.event.actor1Reported = a.text
            d.event.actorMatch = a.entry.name
            if !d.event.tags.contains("attribution-disputed") { d.event.actorSide = a.entry.side }
            explain("actor", a.start, a.end, "actor1 from a claim of responsibility")
        }
    }

    /// The event a link clause names, when the clause has a wording and a date phrase.
    func clauseEvent(link: (start: Int, end: Int, phrase: String), of response: Draft, wordings: [TextMention<EventTypeVocabulary.Entry>],
                     dates: [DateMention], places: [PlaceMention], scalars: [Unicode.Scalar], document: String, sources: [String],
                     stem: String, number: Int) -> Draft? {
        guard let w = wordings.first(where: { $0.start >= link.start && $0.end <= link.end }),
              var d = dates.filter({ $0.start >= link.start + link.phrase.unicodeScalars.count && $0.end <= link.end }).min(by: { abs($0.start - w.start) < abs($1.start - w.start) })
        else { return nil }
        if case .relativeToEvent = d.kind { d = d.anchored(to: response.event.date) }
        guard let date = d.date else { return nil }
        let clause = Sentence(start: link.start, end: link.end, paragraph: response.paragraph,
                              text: String(String.UnicodeScalarView(scalars[link.start..<link.end])))
        var e = Event(eventID: "\(stem)-\(number)", date: date, dateEnd: d.dateEnd, timePrecision: d.precision,
                      eventType: w.entry.eventType, subEventType: w.entry.subEventType, eventTypeReported: Self.cleanWording(w.text),
                      actorSide: "unknown", sources: sources)
        var placeKey = ""
        if let p = places.filter({ $0.start >= link.start && $0.end <= link.end && $0.role == .place && $0.position != nil })
            .min(by: { ($0.geoPrecision ?? 9, $0.start) < ($1.geoPrecision ?? 9, $1.start) }) {
            apply(p, to: &e)
            placeKey = p.id ?? p.name ?? p.text
        }
        e.fatalityClaims = CasualtyClaims.find(in: clause.text).map(\.claim)
        e.notes = "named in a stated link ('\(link.phrase)'); date: '\(d.text)' — \(d.note)"
        e.tags = ["from-stated-link"]
        return Draft(event: e, sentence: clause, evidence: [clause], evidenceStarts: [clause.start], index: response.index,
                     datePhrase: d.text, paragraph: response.paragraph, linkClause: nil, answers: nil, placeKey: placeKey)
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
    func headerURLs(_ s: [Unicode.Scalar]) -> [String] {
        var urls: [String] = []
        for line in String(String.UnicodeScalarView(s.prefix(8_000))).split(separator: "\n", omittingEmptySubsequences: false).prefix(40) {
            let lower = line.lowercased()
            for label in ["url:", "source:", "link:"] where lower.hasPrefix(label) {
                let rest = line.dropFirst(label.count).trimmingCharacters(in: " \t\r")
                if rest.hasPrefix("http://") || rest.hasPrefix("https://") { urls.append(String(rest)) }
            }
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
