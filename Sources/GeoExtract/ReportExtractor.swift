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
/// - Stated links: a phrase counted from another event ("days later") after a link clause that
///   dates the event it names counts from that event; the claimant a link clause names or describes
///   ("Iran-backed militants claimed an attack") is that event's actor; figures inside the link
///   clause, and those of the next sentence when it goes on with them ("another … was also killed"),
///   are that event's, not the response's.
/// - An assassination named again without a date or place of its own is the killing already read.
/// - Events of one report with the same date, type and place are one event (claims, evidence and
///   tags combined).
/// - Bad input: a document over `maxScalars` is refused whole (a reject giving its size); a run of
///   over 1,000 scalars without a sentence end is cut at a space (`SentenceSplitter`).
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
        /// Sentences that go on with the casualties of a stated link clause ("… after X was killed in
        /// a drone strike. Another member was also killed …"), with the index of the link's sentence:
        /// their figures belong to the event the link names.
        var linkFollowUps: [(sentence: Sentence, linkIndex: Int)] = []
        var answers: String?
        var placeKey: String
    }

    public func extract(text: String, document: String, published given: EventDate? = nil) -> ExtractionResult {
        let scalars = Array(text.unicodeScalars)
        let log = ExtractionLog(scalars)
        guard scalars.count <= Self.maxScalars else {
            // Not one report (a dump, a log, a whole site): refused whole, with the reason.
            let reason = "the document has \(scalars.count) characters; a report has at most \(Self.maxScalars) (split it into articles)"
            log.rejects.append(ExtractionReject(document: document, start: 0, end: scalars.count, text: RawText.clipped(text, limit: 200), reason: reason))
            log.explanations.append(Explanation(kind: "reject", text: "", start: 0, end: scalars.count, reason: reason))
            return ExtractionResult(events: [], rejects: log.rejects, explanations: log.explanations, published: given)
        }
        func explain(_ kind: String, _ start: Int, _ end: Int, _ reason: String) { log.explain(kind, start, end, reason) }

        // Publication date.
        var published = given
        if published == nil, let found = ReportDates.publicationDate(in: text), let d = found.date {
            published = d
            explain("date", found.start, found.end, found.note)
        }
        let pubPhraseStart = published != nil && given == nil ? ReportDates.publicationDate(in: text)?.start : nil
        let isPublicationPhrase = { (m: DateMention) in m.start == pubPhraseStart }

        let sentenceList = SentenceSplitter.split(scalars: scalars)
        let dates = Self.dateMentions(text, scalars, sentenceList, published: published)
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
        let places = geoparser.parse(scalars: scalars).mentions.filter { p in
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

        let reading = Reading(document: document, scalars: scalars, lower: lowerScalars, log: log, published: published, pubPhraseStart: pubPhraseStart,
                              sentences: sentences, elliptical: elliptical, sentenceDates: sentenceDates, wordingsBy: wordingsBy, datesBy: datesBy,
                              placesBy: placesBy, actorsBy: actorsBy, contextBy: contextBy, speakersBy: speakersBy,
                              backgroundStarts: backgroundStarts, mainPlace: mainPlace, sources: sources)
        let drafts = draftEvents(reading)
        let events = assemble(drafts, reading)
        return ExtractionResult(events: events, rejects: log.rejects, explanations: log.explanations, published: published)
    }
}

/// A report read into mentions by clause: what `draftEvents` and `assemble` work from.
struct Reading {
    var document: String
    var scalars: [Unicode.Scalar]
    /// `scalars` with ASCII capitals lowered, for phrase search.
    var lower: [Unicode.Scalar]
    var log: ExtractionLog
    var published: EventDate?
    /// Where the publication date phrase read from the text starts (it dates no event).
    var pubPhraseStart: Int?
    /// Sentences, cut into one clause per event where a sentence reports several.
    var sentences: [Sentence]
    /// Clauses that share the wording of the clause before them.
    var elliptical: Set<Int>
    /// For a clause cut from a sentence: the date phrases of its sentence.
    var sentenceDates: [Int: [DateMention]]
    var wordingsBy: [[ReportExtractor.Wording]]
    var datesBy: [[DateMention]]
    var placesBy: [[PlaceMention]]
    var actorsBy: [[ReportExtractor.ActorHit]]
    var contextBy: [[PlaceMention]]
    var speakersBy: [[ReportExtractor.ActorHit]]
    /// Sentences whose wordings were all background.
    var backgroundStarts: Set<Int>
    var mainPlace: PlaceMention?
    var sources: [String]
    /// Casualty claims of the sentences read so far.
    var claims = ClaimsMemo()
}

/// `CasualtyClaims.find` of a report's sentences, each text read once: a sentence is looked at
/// as a continuation, as the next sentence of an event and as a draft of its own.
final class ClaimsMemo {
    /// A text compared scalar for scalar (Swift's `==` also equates canonically equivalent
    /// strings, whose offsets differ).
    struct ExactText: Hashable {
        var text: String
        static func == (a: ExactText, b: ExactText) -> Bool { a.text.utf8.elementsEqual(b.text.utf8) }
        func hash(into hasher: inout Hasher) { hasher.combine(text) }
    }

    private var found: [ExactText: [CasualtyClaims.Found]] = [:]

    func find(in text: String) -> [CasualtyClaims.Found] {
        if let known = found[ExactText(text: text)] { return known }
        let result = CasualtyClaims.find(in: text)
        found[ExactText(text: text)] = result
        return result
    }
}

/// Explanations and rejects collected while a report is read (`--explain`, `--rejects`).
final class ExtractionLog {
    let scalars: [Unicode.Scalar]
    var explanations: [Explanation] = []
    var rejects: [ExtractionReject] = []

    init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

    func explain(_ kind: String, _ start: Int, _ end: Int, _ reason: String) {
        let t = ScalarText.string(scalars, max(0, start)..<min(scalars.count, end))
        explanations.append(Explanation(kind: kind, text: t, start: start, end: end, reason: reason))
    }
}

extension ReportExtractor {
    /// The longest document read as one report, in Unicode scalars (about 300 long articles).
    public static let maxScalars = 1_000_000

    /// The date phrases of the report (`ReportDates.mentions`); a long document is read in pieces
    /// of whole sentences, about 20,000 scalars each, so that the time stays linear in its length.
    static func dateMentions(_ text: String, _ scalars: [Unicode.Scalar], _ sentences: [Sentence], published: EventDate?) -> [DateMention] {
        let piece = 20_000
        guard scalars.count > piece else { return ReportDates.mentions(in: text, scalars: scalars, published: published) }
        var result: [DateMention] = []
        var start = 0
        func read(_ end: Int) {
            guard end > start else { return }
            for var m in ReportDates.mentions(in: ScalarText.string(scalars, start..<end), published: published) {
                m.start += start; m.end += start
                result.append(m)
            }
            start = end
        }
        for s in sentences where s.start - start >= piece { read(s.start) }
        read(scalars.count)
        return result
    }
}

