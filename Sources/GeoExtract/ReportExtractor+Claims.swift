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

    /// Where ", killing …" (a comma, then a word ending in "ing") starts between `start` and `end`:
    /// the end of a stated link's clause, as the participle goes back to the sentence's subject.
    static func participleAfterComma(from start: Int, in lower: [Unicode.Scalar], before end: Int) -> Int? {
        var i = start
        while i < end {
            if lower[i] == ",", i + 1 < end {
                var j = i + 1
                while j < end, lower[j] == " " { j += 1 }
                var k = j
                while k < end, lower[k].properties.isAlphabetic { k += 1 }
                if k - j > 4, lower[k - 3] == "i", lower[k - 2] == "n", lower[k - 1] == "g" { return i }
            }
            i += 1
        }
        return nil
    }

    /// Words that say part of a salvo got through ("intercepted some of them").
    static let partialWords: PhraseList = ["some of", "most of", "one of", "several of", "all but", "part of", "others hit", "others landed"]

    static let casualtyStems: PhraseList = ["kill", "dead", "die", "death", "wound", "injur", "hurt", "casualt", "toll", "fatalit", "lost", "nobody", "no one"]

    static let bothWords: PhraseList = ["both attacks", "both strikes", "the two attacks", "both of the attacks", "both drone"]

    static let victimWords = [" killed", " wounded", " injured", " hurt", " died", " dead", " were hit", " was hit"]

    static let referenceNouns: PhraseList = ["the strike", "the attack", "the raid", "the bombing", "took place", "the incident", "the explosion", "the blast", "the attacks", "both attacks", "claimed responsibility", "the strikes"]

    /// Adds a sentence about an event already found: its claims, its evidence, a denial, an actor.
    func continueDraft(_ d: inout Draft, with sentence: Sentence, lower: [Unicode.Scalar],
                       actorMentions: [ActorHit], claims: ClaimsMemo, explain: (String, Int, Int, String) -> Void) {
        let range = sentence.start..<sentence.end
        if !d.evidenceStarts.contains(sentence.start) {
            // "Another member was also killed": one more than the figure already read.
            if Self.saysAnotherKilled(lower, range), Self.addAnotherKilled(to: &d.event.fatalityClaims) {
                explain("claim", sentence.start, sentence.end, "one more killed than the figure before (\(d.event.eventTypeReported))")
            }
            d.evidence.append(sentence); d.evidenceStarts.insert(sentence.start)
        }
        // Figures inside a stated link ("in retaliation for an attack that killed …") belong to the earlier event.
        let linkAt = PhraseSearch.earliest(of: Self.linkPhrases, in: lower, range).map { $0.at - sentence.start }
        let own = linkAt.map { String(String.UnicodeScalarView(sentence.text.unicodeScalars.prefix($0))) } ?? sentence.text
        for found in (Self.mayHaveClaims(lower, range) ? claims.find(in: own) : []) where !d.event.fatalityClaims.contains(found.claim) {
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

    /// Words that describe a claimant as one of Iran's allied militias ("Iran-backed Iraqi militants").
    static let backerDescriptions: PhraseList = ["iran-backed", "iranian-backed", "iran backed", "pro-iran", "pro-iranian", "iran-aligned", "iran-allied"]
    /// The actor-list name such a description stands for.
    static let describedActor = "Iran-backed militias"

    /// The event a link clause names, when the clause has a wording and a date phrase.
    /// The earlier draft a stated link clause names: the last with a place the clause names, else
    /// the last of a type the clause names; nil when the clause names neither.
    static func draftNamed(by link: (Int, Int, String), in drafts: [Draft], places: [PlaceMention], wordings: [Wording]) -> Draft? {
        let clausePlaces = places.filter { $0.start >= link.0 && $0.end <= link.1 && $0.role == .place }.map { $0.id ?? $0.name ?? $0.text }
        let clauseTypes = wordings.filter { $0.start >= link.0 && $0.end <= link.1 }.map(\.entry.subEventType)
        return drafts.last { clausePlaces.contains($0.placeKey) } ?? drafts.last { clauseTypes.contains($0.event.subEventType) }
    }

    /// Whether `d` is the phrase a link counts with ("a day after", "hours after"): one counted from
    /// another event, at the link phrase.
    static func countsLink(_ d: DateMention, _ link: (Int, Int, String)) -> Bool {
        guard case .relativeToEvent = d.kind else { return false }
        return d.start < link.1 && d.end > link.0 - 12 && d.end <= link.0 + link.2.unicodeScalars.count + 1
    }

    func clauseEvent(link: (start: Int, end: Int, phrase: String), of response: Draft, wordings: [Wording],
                     dates: [DateMention], places: [PlaceMention], actors: [ActorHit], scalars: [Unicode.Scalar], lower: [Unicode.Scalar], document: String,
                     sources: [String], stem: String, number: Int) -> Draft? {
        var typeNote: String?
        let w: Wording
        if let own = wordings.first(where: { $0.start >= link.start && $0.end <= link.end }) {
            w = own
        } else if let verb = Self.referredHit(link: link, of: response, places: places, lower: lower) {
            // "The attack comes a day after they claimed to have hit US troops in al-Tanf": the clause
            // has a verb of attack on a place but no wording; "the attack" before the link says it was
            // one of the same kind as the response.
            w = verb
            typeNote = "type: '\(verb.text)' in a stated link after '\(Self.wordsBefore(link.start, scalars, count: 3).joined(separator: " "))': the same kind as \(response.event.eventTypeReported)"
        } else {
            return nil
        }
        var found = dates.filter({ $0.start >= link.start + link.phrase.unicodeScalars.count && $0.end <= link.end }).min(by: { abs($0.start - w.start) < abs($1.start - w.start) })
        let counted = dates.first { Self.countsLink($0, (link.start, link.end, link.phrase)) }
        if found == nil, let gap = counted, case .relativeToEvent(let offset, let span) = gap.kind {
            // "came hours after X", "a day after X": X is that long before the response.
            var m = gap
            // "early on Tuesday, hours after …": the earlier event was most likely the day before.
            let head = response.sentence.start < link.start && link.start <= response.sentence.end
                ? ScalarText.string(scalars, response.sentence.start..<link.start).lowercased() : response.datePhrase.lowercased()
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
                              text: ScalarText.string(scalars, link.start..<link.end))
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
        } else if let claimed = PhraseSearch.find("claimed", in: lower, link.start..<w.start) {
            // "hours after an umbrella group of Iran-backed Iraqi militants … claimed an attack on …":
            // the one who claimed it, named or only described, before "claimed".
            // A name used as a qualifier ("Iran-backed") is no claimant.
            if let a = actors.last(where: { $0.start >= link.start && $0.end <= claimed && !(scalars.indices.contains($0.end) && scalars[$0.end] == "-") }) {
                e.actor1 = a.entry.acledName.isEmpty ? a.entry.name : a.entry.acledName
                e.actor1Reported = a.text
                e.actorMatch = a.entry.name
                e.actorSide = a.entry.side
            } else if let described = PhraseSearch.earliest(of: Self.backerDescriptions, in: lower, link.start..<claimed),
                      let entry = self.actors.match(Self.describedActor)?.entries.first {
                e.actor1 = entry.acledName.isEmpty ? entry.name : entry.acledName
                e.actor1Reported = ScalarText.string(scalars, described.at..<claimed).trimmingSpaces
                e.actorMatch = entry.name
                e.actorSide = entry.side
            }
        }
        if e.actor1.isEmpty, !response.event.actor1.isEmpty, !response.event.tags.contains("attribution-disputed"),
           let pronoun = Self.wordsAfter(link.start + link.phrase.unicodeScalars.count, lower, count: 1).first, Self.anaphoricSubjects.contains(pronoun) {
            // "The attack comes a day after they claimed …": "they" are the ones who carried out the attack the sentence names.
            e.actor1 = response.event.actor1
            e.actor1Reported = response.event.actor1Reported
            e.actorMatch = response.event.actorMatch
            e.actorSide = response.event.actorSide
            typeNote = (typeNote.map { $0 + "; " } ?? "") + "actor1: '\(pronoun)' of the stated link, the actor of \(response.event.eventTypeReported)"
        }
        var placeKey = ""
        if let p = places.filter({ $0.start >= link.start && $0.end <= link.end && $0.role == .place && $0.position != nil })
            .min(by: { ($0.geoPrecision ?? 9, $0.start) < ($1.geoPrecision ?? 9, $1.start) }) {
            apply(p, to: &e)
            placeKey = p.id ?? p.name ?? p.text
        }
        e.fatalityClaims = CasualtyClaims.find(in: clause.text).map(\.claim)
        e.notes = "named in a stated link ('\(link.phrase)'); date: '\(d.text)' — \(d.note)"
        if let weapon = w.typedBy, typeNote == nil { e.notes += "; type: '\(w.text)' with '\(weapon)' named in the report" }
        if let typeNote { e.notes += "; " + typeNote }
        e.tags = ["from-stated-link"]
        return Draft(event: e, sentence: clause, evidence: [clause], evidenceStarts: [clause.start], index: response.index,
                     datePhrase: d.text, paragraph: response.paragraph, linkClause: nil, answers: nil, placeKey: placeKey)
    }

    /// Verbs of attack that the vocabulary leaves out ("they claimed to have hit US troops in …").
    static let hitVerbs: Set<String> = ["hit", "hitting", "targeted", "targeting", "shelled", "bombed", "attacking"]
    /// Nouns a response names itself by before its link ("the attack comes a day after …").
    static let referringNouns: Set<String> = ["attack", "attacks", "strike", "strikes", "raid", "raids", "bombing"]
    /// Subjects of a link clause that stand for the actor of the response ("a day after they claimed …").
    static let anaphoricSubjects: Set<String> = ["they", "it"]

    /// A link clause without a wording whose verb of attack (`hitVerbs`) hits a place, after a
    /// response that names itself by a definite noun ("The attack comes a day after they claimed to
    /// have hit US troops in al-Tanf"): a wording at the verb typed as the response's event.
    static func referredHit(link: (start: Int, end: Int, phrase: String), of response: Draft, places: [PlaceMention], lower: [Unicode.Scalar]) -> Wording? {
        guard let entry = response.entry else { return nil }
        let head = wordsBefore(link.start, lower, count: 6)
        guard let k = head.lastIndex(where: { referringNouns.contains($0) }), k > 0, definite.contains(head[k - 1]),
              head[(k + 1)...].contains(where: { ["comes", "came", "come", "follows", "followed"].contains($0) }) else { return nil }
        var i = link.start + link.phrase.unicodeScalars.count
        while i < link.end {
            guard isLetter(lower[i]), i == 0 || !isLetter(lower[i - 1]) else { i += 1; continue }
            var j = i
            while j < link.end, isLetter(lower[j]) { j += 1 }
            let word = ScalarText.string(lower, i..<j)
            if hitVerbs.contains(word), places.contains(where: { $0.start >= j && $0.end <= link.end && $0.role == .place && $0.position != nil }) {
                return Wording(entry: entry, start: i, end: j, text: word, typedBy: "the response's '\(response.event.eventTypeReported)'")
            }
            i = j
        }
        return nil
    }

    /// The date phrase of the latest stated link of `draft` in a sentence before `index`, when the
    /// link clause dates the event it names ("came after an attack nearly two weeks ago").
    static func linkedEventDate(of draft: Draft, before index: Int, datesBy: [[DateMention]]) -> DateMention? {
        let links = (draft.linkClause.map { [($0, draft.linkIndex)] } ?? []) + draft.moreLinks.map { ($0.link, $0.index) }
        guard let (link, at) = links.filter({ $0.1 < index && $0.1 >= draft.index }).max(by: { $0.1 < $1.1 }) else { return nil }
        let phraseEnd = link.start + link.phrase.unicodeScalars.count
        return datesBy[at].first { d in
            guard d.start >= phraseEnd, d.end <= link.end, d.date != nil else { return false }
            if case .relativeToEvent = d.kind { return false }
            return true
        }
    }

    /// Words of a sentence that goes on from casualties already given ("Another member was also killed").
    static let followUpWords: PhraseList = [" also ", "another ", " other ", " others"]

    /// Whether the sentence at `index` goes on with the casualties of the stated link of `draft` read
    /// in the sentence just before ("… after X was killed in a drone strike. Another member was also
    /// killed …"): the word that says so, or nil.
    static func followUpCue(of draft: Draft, at index: Int, lower: [Unicode.Scalar], _ range: Range<Int>) -> String? {
        guard let link = latestLink(of: draft), link.index == index - 1,
              mayHaveClaims(lower, link.link.start..<link.link.end), mayHaveClaims(lower, range) else { return nil }
        return PhraseSearch.first(of: followUpWords, in: lower, range)
    }

    /// The stated link of `draft` read last: (clause, index of its sentence).
    static func latestLink(of draft: Draft) -> (link: (start: Int, end: Int, phrase: String), index: Int)? {
        let links = (draft.linkClause.map { [($0, draft.linkIndex)] } ?? []) + draft.moreLinks.map { ($0.link, $0.index) }
        return links.max { $0.1 < $1.1 }.map { (link: $0.0, index: $0.1) }
    }

    /// Nouns of one person after "another" ("another member of the faction was also killed").
    static let anotherNouns: Set<String> = [
        "member", "person", "fighter", "soldier", "civilian", "commander", "militant", "officer", "man", "woman", "guard",
        "aide", "bodyguard", "contractor", "militiaman", "leader", "official", "operative", "servicemember", "serviceman", "child",
    ]

    /// Whether the sentence says one more person was killed than the sentence before it ("Another
    /// member of the faction was also killed …"): it starts with "another" and a noun of one person,
    /// whose verb, within a few words and before any "and" or comma, is "was (also) killed" or
    /// "(also) died". Such a sentence has no figure of its own (`CasualtyClaims` reads none).
    static func saysAnotherKilled(_ lower: [Unicode.Scalar], _ range: Range<Int>) -> Bool {
        var i = range.lowerBound
        while i < range.upperBound, !isLetter(lower[i]) { i += 1 }
        guard range.upperBound - i > 20, lower[i..<i + 8].elementsEqual("another ".unicodeScalars) else { return false }
        var words: [String] = []
        var k = i
        while k < range.upperBound, words.count < 12 {
            if lower[k] == "," || lower[k] == ";" { break }
            guard isLetter(lower[k]) else { k += 1; continue }
            var j = k
            while j < range.upperBound, isLetter(lower[j]) { j += 1 }
            words.append(ScalarText.string(lower, k..<j))
            k = j
        }
        guard words.count >= 3, words.prefix(4).dropFirst().contains(where: { anotherNouns.contains($0) }) else { return false }
        for (n, w) in words.enumerated() where n >= 2 {
            if w == "and" || w == "but" { return false }
            if w == "died" { return true }
            if w == "killed" { return ["was", "also"].contains(words[n - 1]) }
        }
        return false
    }

    /// "Another … was also killed" after a kill: one more on the last claim with a killed figure.
    /// Returns whether a claim was raised.
    @discardableResult
    static func addAnotherKilled(to claims: inout [FatalityClaim]) -> Bool {
        guard let i = claims.lastIndex(where: { $0.killed != nil }) else { return false }
        claims[i].killed! += 1
        return true
    }

    /// Adds the figures and evidence of the follow-up sentences of the link read at `linkIndex` to `target`.
    static func addFollowUps(_ followUps: [(sentence: Sentence, linkIndex: Int)], of linkIndex: Int, to target: inout Draft, lower: [Unicode.Scalar]) {
        for (sentence, index) in followUps where index == linkIndex {
            if !target.evidenceStarts.contains(sentence.start), saysAnotherKilled(lower, sentence.start..<sentence.end) {
                addAnotherKilled(to: &target.event.fatalityClaims)
            }
            for found in CasualtyClaims.find(in: sentence.text) where !target.event.fatalityClaims.contains(found.claim) {
                target.event.fatalityClaims.append(found.claim)
            }
            if !target.evidenceStarts.contains(sentence.start) { target.evidence.append(sentence); target.evidenceStarts.insert(sentence.start) }
        }
    }
}
