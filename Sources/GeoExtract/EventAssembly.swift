import GeoCore
import GeoEvents
import GeoText
import OrderedCollections

extension ReportExtractor {
    /// Drafts → events: drafts of the same date, type and place merged, time zone caveats kept as
    /// notes, event ids given, stated links resolved (`answers`), fatalities and evidence written.
    func assemble(_ drafts: [Draft], _ r: Reading) -> [Event] {
        let document = r.document, scalars = r.scalars, lowerScalars = r.lower
        let sentences = r.sentences, wordingsBy = r.wordingsBy, datesBy = r.datesBy, placesBy = r.placesBy, actorsBy = r.actorsBy
        func explain(_ kind: String, _ start: Int, _ end: Int, _ reason: String) { r.log.explain(kind, start, end, reason) }
        let sources = r.sources
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
                m.linkFollowUps += d.linkFollowUps
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
                Self.addFollowUps(merged[i].linkFollowUps, of: linkIndex, to: &merged[t], lower: lowerScalars)
                explain("link", link.start, link.end, "'\(link.phrase)': answers \(merged[t].event.eventID)")
            } else if let named = clauseEvent(link: link, of: merged[i], wordings: wordingsBy[linkIndex], dates: datesBy[linkIndex],
                                              places: placesBy[linkIndex], actors: actorsBy[linkIndex], scalars: scalars, lower: lowerScalars, document: document,
                                              sources: sources, stem: stem, number: merged.count + extraDrafts.count + 1) {
                var named = named
                Self.addFollowUps(merged[i].linkFollowUps, of: linkIndex, to: &named, lower: lowerScalars)
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
        return merged.map { d -> Event in
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
    }
}
