import GeoEvents
import GeoText

/// Clauses and grouping: sentences cut into one clause per event, mentions grouped by clause, and when two drafts are at the same place.
extension ReportExtractor {
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
            return Sentence(start: a, end: e, paragraph: s.paragraph, text: ScalarText.string(scalars, a..<e))
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
}
