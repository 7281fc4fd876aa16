import GeoCore
import GeoEvents
import GeoText

extension ReportExtractor {
    /// One event draft per clause with an event wording, in text order: its date, place, actors,
    /// denial, claims and evidence (the rules are `ReportExtractor`'s); sentences without a
    /// wording add claims, evidence, a denial or a more specific place to the draft before them.
    func draftEvents(_ r: Reading) -> [Draft] {
        let document = r.document, scalars = r.scalars, lowerScalars = r.lower, published = r.published
        let sentences = r.sentences, wordingsBy = r.wordingsBy, datesBy = r.datesBy, placesBy = r.placesBy, actorsBy = r.actorsBy
        let isPublicationPhrase = { (m: DateMention) in m.start == r.pubPhraseStart }
        func explain(_ kind: String, _ start: Int, _ end: Int, _ reason: String) { r.log.explain(kind, start, end, reason) }
        let elliptical = r.elliptical, sentenceDates = r.sentenceDates, contextBy = r.contextBy, speakersBy = r.speakersBy
        let backgroundStarts = r.backgroundStarts, mainPlace = r.mainPlace, sources = r.sources
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
                let hasClaims = Self.mayHaveClaims(lowerScalars, range) && (!r.claims.find(in: sentence.text).isEmpty || Self.saysAnotherKilled(lowerScalars, range))
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
                    if hasClaims, let cue = Self.followUpCue(of: drafts[drafts.count - 1], at: si, lower: lowerScalars, range) {
                        drafts[drafts.count - 1].linkFollowUps.append((sentence, si - 1))
                        explain("claim", sentence.start, sentence.end, "goes on ('\(cue.trimmingSpaces)') with the casualties of the stated link before it: they belong to the event it names")
                        continue
                    }
                    continueDraft(&drafts[drafts.count - 1], with: sentence, lower: lowerScalars,
                                  actorMentions: actorsBy[si], claims: r.claims, explain: explain)
                    Self.shareClaimOfBoth(&drafts, sentence, lowerScalars)
                }
                continue
            }
            // A stated link: the clause from the link phrase to the end of the sentence names the
            // earlier event, up to a participle after a comma, which goes back to the sentence's
            // own subject ("… in retaliation for the attack on Kirkuk, killing at least 25 fighters").
            let range = sentence.start..<sentence.end
            let link: (Int, Int, String)? = PhraseSearch.earliest(of: Self.linkPhrases, in: lowerScalars, range).map {
                ($0.at, Self.participleAfterComma(from: $0.at + $0.phrase.unicodeScalars.count, in: lowerScalars, before: sentence.end) ?? sentence.end, $0.phrase)
            }
            let outsideLink = { (a: Int) in link == nil || a < link!.0 || a >= link!.1 }
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
            /// The word before the wording ("the strike", "another attack"), read once.
            let wordBeforeWording = Self.wordBefore(wording.start, scalars)
            let definiteRef = Self.definite.contains(wordBeforeWording)
            // "the strikes targeted a convoy that arrived from Iraq": a definite reference keeps its event unless it names a town or site.
            let ownPlace = placesBy[si].contains { $0.role == .place && $0.position != nil && outsideLink($0.start) && (!definiteRef || ($0.geoPrecision ?? 9) <= 2) }
            // "… was assassinated because …", "condemned the assassination": the killing the report
            // already gave, named again without a date or place of its own, is no new event.
            if previousDraft != nil, !ownDate, !ownPlace, TextContains.any(wording.text.lowercased(), ["assassinat"]) {
                explain("event", wording.start, wording.end, "an assassination named again, without a date or place of its own: the killing already reported, not a new event")
                continue
            }
            if let prev = previousDraft, !ownDate, !ownPlace,
               Self.definite.contains(wordBeforeWording) || prev.event.subEventType == wording.entry.subEventType {
                if let link {
                    if drafts[drafts.count - 1].linkClause == nil {
                        drafts[drafts.count - 1].linkClause = link
                        drafts[drafts.count - 1].linkIndex = si
                    } else {
                        drafts[drafts.count - 1].moreLinks.append((link, si))
                    }
                }
                if link == nil, let cue = Self.followUpCue(of: drafts[drafts.count - 1], at: si, lower: lowerScalars, range) {
                    // "More than 40 other service members were wounded in that attack": the attack of the link before.
                    drafts[drafts.count - 1].linkFollowUps.append((sentence, si - 1))
                    explain("event", wording.start, wording.end, "goes on ('\(cue.trimmingSpaces)') with the casualties of the stated link before it: the event it names")
                    continue
                }
                continueDraft(&drafts[drafts.count - 1], with: sentence, lower: lowerScalars, actorMentions: actorsBy[si], claims: r.claims, explain: explain)
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
                if let prev = previous, let named = Self.linkedEventDate(of: prev, before: si, datesBy: datesBy) {
                    // "The US move came after an attack nearly two weeks ago … Another salvo hit … days
                    // later": counted from the event named last, the one of the stated link.
                    let anchored = c.anchored(to: named.date!)
                    c = anchored
                    if let end = named.dateEnd, end.daysSinceEpoch > named.date!.daysSinceEpoch {
                        c.dateEnd = (anchored.dateEnd ?? anchored.date!).adding(days: end.daysSinceEpoch - named.date!.daysSinceEpoch)
                    }
                    c.note += " (the event named in the stated link '\(named.text)')"
                } else if let prev = previous {
                    c = c.anchored(to: prev.event.date)
                } else {
                    c.note += "; no earlier event to count from"
                }
                chosen = c
            }
            // "… a day after the Tower 22 attack", "hours after the strikes in X": a response without a
            // date of its own is dated from the earlier event of the report that its link names.
            if chosen == nil, let link, let named = Self.draftNamed(by: link, in: drafts, places: placesBy[si], wordings: sw),
               let gap = datesBy[si].first(where: { Self.countsLink($0, link) }) {
                var c = gap.anchored(to: named.event.date)
                c.note += " (counted from the event the stated link names, the \(named.event.eventTypeReported) of \(named.event.date.iso))"
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
                r.log.rejects.append(ExtractionReject(document: document, start: sentence.start, end: sentence.end, text: sentence.text, reason: reason))
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
                let between = a.end < verbAt ? ScalarText.string(scalars, a.end..<verbAt).lowercased() : ""
                return !Self.victimWords.contains { between.contains($0) }
            }
            let byActor = sa.first { a in
                a.start > wording.end && sentence.end >= a.start
                    && ScalarText.string(scalars, max(sentence.start, a.start - 3)..<a.start).lowercased() == "by "
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
            if event.actor1.isEmpty, let prev = previous, ["first", "second", "third", "latter", "former", "other"].contains(wordBeforeWording),
               sentence.paragraph - prev.paragraph <= 1, !prev.event.actor1.isEmpty {
                // "The first attack targeted …": one of the attacks the sentence before attributed.
                event.actor1 = prev.event.actor1; event.actor1Reported = prev.event.actor1Reported
                event.actorMatch = prev.event.actorMatch; event.actorSide = prev.event.actorSide
                notes.append("actor1: '\(wordBeforeWording) \(wording.text)' refers to the attacks of \(prev.event.actor1Reported)")
            }
            if event.actor1.isEmpty, let prev = previous, prev.paragraph == sentence.paragraph, prev.event.date == event.date,
               prev.event.subEventType == event.subEventType, !prev.event.actor1.isEmpty, !prev.event.tags.contains("attribution-disputed"),
               wording.typedBy != nil || Self.definite.contains(wordBeforeWording),
               !["a", "an", "another"].contains(wordBeforeWording) {
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
            // Figures inside the stated link ("hours after … claimed an attack that wounded three") belong to the earlier event.
            let ownText = link.map { ScalarText.string(scalars, sentence.start..<$0.0) + ScalarText.string(scalars, $0.1..<sentence.end) } ?? sentence.text
            // An offset in `ownText` → in the document (past the cut link clause, add its length).
            let cut = link.map { (at: $0.0 - sentence.start, length: $0.1 - $0.0) }
            let startOffset = { (k: Int) in sentence.start + k + (cut.map { k >= $0.at ? $0.length : 0 } ?? 0) }
            let endOffset = { (k: Int) in sentence.start + k + (cut.map { k > $0.at ? $0.length : 0 } ?? 0) }
            for found in Self.mayHaveClaims(lowerScalars, range) ? r.claims.find(in: ownText) : [] {
                claims.append(found.claim)
                explain("claim", startOffset(found.start), endOffset(found.end), "\(found.claim.source): killed \(found.claim.killed.map(String.init) ?? "-"), injured \(found.claim.injured.map(String.init) ?? "-")")
            }
            if let n = next, !nextHasWording {
                let more = Self.mayHaveClaims(lowerScalars, n.start..<n.end) ? r.claims.find(in: n.text) : []
                for found in more {
                    claims.append(found.claim)
                    explain("claim", n.start + found.start, n.start + found.end, "next sentence: \(found.claim.source): killed \(found.claim.killed.map(String.init) ?? "-")")
                }
                // "… killed a commander. Another member was also killed": one more than the figure before.
                let another = claims.contains { $0.killed != nil } && Self.saysAnotherKilled(lowerScalars, n.start..<n.end)
                if another {
                    Self.addAnotherKilled(to: &claims)
                    explain("claim", n.start, n.end, "next sentence: one more killed than the figure before")
                }
                if !more.isEmpty || another { evidence.append(n) }
            }
            event.fatalityClaims = claims
            event.notes = notes.joined(separator: "; ")
            event.tags = tags
            explain("event", wording.start, wording.end, "\(wording.entry.eventType) / \(wording.entry.subEventType) on \(event.date.iso)")
            drafts.append(Draft(event: event, entry: wording.entry, sentence: sentence, evidence: evidence, evidenceStarts: Set(evidence.map(\.start)), index: si, linkIndex: si,
                                datePhrase: datePhrase, paragraph: sentence.paragraph, linkClause: link, answers: nil, placeKey: placeKey))
            drafts[drafts.count - 1].placeAssumed = placeAssumed
        }

        return drafts
    }
}
