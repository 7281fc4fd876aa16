import GeoCore
import GeoEvents
import GeoText

/// Claims, continuations and stated links: casualty figures of a sentence, sentences that add to the event before them, and the event a link clause names.
extension ReportExtractor {
    /// Whether a sentence can hold a casualty figure at all (a cheap test before `CasualtyClaims`).
    static func mayHaveClaims(_ lower: [Unicode.Scalar], _ range: Range<Int>) -> Bool {
        PhraseSearch.containsAny(casualtyStems, in: lower, range)
    }

    /// Where a stated link starts in a sentence, or nil.
    static func linkStart(in s: Sentence, _ lower: [Unicode.Scalar]) -> Int? {
        PhraseSearch.earliest(of: linkPhrases, in: lower, s.start..<s.end)?.at
    }

    /// Words that say part of a salvo got through ("intercepted some of them").
    static let partialWords: PhraseList = ["some of", "most of", "one of", "several of", "all but", "part of", "others hit", "others landed"]

    static let casualtyStems: PhraseList = ["kill", "dead", "die", "death", "wound", "injur", "hurt", "casualt", "toll", "fatalit", "lost", "nobody", "no one"]

    static let bothWords: PhraseList = ["both attacks", "both strikes", "the two attacks", "both of the attacks", "both drone"]

    static let victimWords = [" killed", " wounded", " injured", " hurt", " died", " dead", " were hit", " was hit"]

    static let referenceNouns: PhraseList = ["the strike", "the attack", "the raid", "the bombing", "took place", "the incident", "the explosion", "the blast", "the attacks", "both attacks", "claimed responsibility", "the strikes"]

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
}
