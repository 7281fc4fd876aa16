import Foundation
import GeoCore
import GeoProj

/// How a name was matched, strongest first.
public enum MatchType: String, Hashable, Sendable {
    case exact
    case normalized
    case skeleton
    case fuzzy
}

/// One candidate place for a query.
public struct GeocodeMatch: Hashable, Sendable {
    public var entry: GazetteerEntry
    public var matchType: MatchType
    /// How well the name matched, 0–1 (1 = exact).
    public var score: Double
    /// Score used for ranking: `score` plus kind, country, population and proximity evidence,
    /// and the main-name bonus when another candidate came close (`Gazetteer.mainNameBonus`).
    public var rankScore: Double
}

/// The answer to a query: a place, or an explicit "unresolved" with suggestions.
public struct GeocodeResult: Hashable, Sendable {
    public enum Status: String, Hashable, Sendable {
        /// One clear best place.
        case resolved
        /// A best place, but another differs little in score and lies more than 10 km away, or
        /// the best is only a weak approximate spelling (Jaro–Winkler below 0.97) of its name.
        case ambiguous
        /// Nothing matched well enough; see `suggestions`.
        case unresolved
        /// Unresolved name placed at a province or country point on request (precision 3);
        /// `fallbackBasis` says which.
        case fallback
    }

    public var query: String
    public var status: Status
    public var best: GeocodeMatch?
    /// Up to three close runners-up.
    public var alternatives: [GeocodeMatch]
    /// For unresolved queries: the closest names in the gazetteer, as "name (CC)"; with a
    /// country hint, names in that country only (names abroad only when it has none).
    public var suggestions: [String]
    /// For `.fallback`: what the point stands for, e.g. "admin1 'Deir ez-Zor' → Deir ez-Zor
    /// Governorate", "province named in the text", "capital of SY". Nil for other statuses.
    public var fallbackBasis: String?
    /// Set when the query named a place with descriptive words around it ("the US base at Erbil
    /// Airport", "Umm Qasr port"): the part that was resolved (see `DescriptivePhrase`).
    public var readAs: String?
    /// The query names a part of or a spot near the place found ("al-Qaim district", "Umm Qasr
    /// port"): geo precision 2.
    public var partOf = false

    public init(query: String, status: Status, best: GeocodeMatch?, alternatives: [GeocodeMatch], suggestions: [String], fallbackBasis: String? = nil) {
        self.query = query
        self.status = status
        self.best = best
        self.alternatives = alternatives
        self.suggestions = suggestions
        self.fallbackBasis = fallbackBasis
    }

    /// geo precision of the answer: 1 place, 2 near/part of a place (not produced by lookup
    /// itself), 3 province or country level.
    public var geoPrecision: Int? {
        guard let best else { return nil }
        if status == .fallback { return 3 }
        return partOf ? max(2, best.entry.geoPrecision) : best.entry.geoPrecision
    }
}

/// Options of a lookup.
public struct GeocodeOptions: Hashable, Sendable {
    /// ISO 3166-1 alpha-2 country the place should be in (a strong hint, not a filter).
    public var country: String?
    /// A point the place should be near.
    public var near: Position?
    /// Where to place an unresolved name, if anywhere.
    public var fallback: Fallback?
    /// The row's own region, free text: its admin1 or a region it states ("Deir ez-Zor",
    /// "Dayr az Zawr Governorate", "Anbar", "rural Idlib"). Read only by `fallback`, as the
    /// province to place an unresolved name at; resolved with `Gazetteer.province(named:country:)`
    /// among the provinces of `country`. Text that names no province (empty, a town, a country)
    /// is ignored, never guessed.
    public var region: String?
    /// Set while a shorter reading of a descriptive phrase is resolved (no second reduction).
    var readingDescriptive = false

    /// Where an unresolved name goes. Neither ever picks a province the row does not name.
    public enum Fallback: String, Hashable, Sendable, CaseIterable {
        /// The province named by `region`, else a province named in the query text (at its
        /// capital); else the name stays unresolved.
        case province
        /// The province named by `region`, else the country hint's capital (the gazetteer's
        /// `country:` entry); unresolved without a country hint.
        case country
    }

    public init(country: String? = nil, near: Position? = nil, fallback: Fallback? = nil, region: String? = nil) {
        self.country = country?.uppercased()
        self.near = near
        self.fallback = fallback
        self.region = region
    }
}

extension Gazetteer {
    /// Resolves a place name: exact, then normalised, then consonant skeleton, then fuzzy
    /// (trigram candidates scored by Jaro–Winkler). Kind words in the query ("air base",
    /// "oil field", "crossing", "province"…) rank entries of that kind first; `options.country`
    /// and `options.near` rank by country and distance; population breaks ties among towns.
    /// A leading "the" is not part of a name ("the Jazira"), and a province with compass words
    /// or "countryside" around it ("eastern Deir ez-Zor", "rural Idlib") is the province (see
    /// `RegionPhrase`).
    public func geocode(_ query: String, options: GeocodeOptions = GeocodeOptions()) -> GeocodeResult {
        geocode(PreparedQuery(query), options: options)
    }

    /// A query folded once; keys are UTF-8 bytes. Names in scripts without keys (Cyrillic,
    /// CJK…) have no folded words and match exactly or not at all.
    struct PreparedQuery {
        var text: String
        var folded: NameNormalizer.FoldedWords?
        /// The key of the whole query.
        var fullKey: [UInt8]

        init(_ text: String) {
            self.text = text
            folded = NameNormalizer.foldedWords(text)
            fullKey = folded.map { NameNormalizer.keyBytes($0) } ?? []
        }
    }

    @inline(__always)
    func geocode(_ prepared: consuming PreparedQuery, options: GeocodeOptions) -> GeocodeResult {
        let query = prepared.text, folded = prepared.folded, fullKey = prepared.fullKey
        var (kindWords, kinds) = folded.map(Self.kindPhrase) ?? (0..<0, [])
        var candidates = Candidates()
        // The whole query first (names such as "Victory base" include a kind word).
        if fullKey.isEmpty {
            forEachExactMatch(Self.trimmed(query), key: fullKey) { candidates.consider($0, .exact, 1) }
        } else {
            let sameKey = postings(fullKey)
            Self.keepReads(readAhead(sameKey.places))
            forEachExactMatch(Self.trimmed(query), among: sameKey) { candidates.consider($0, .exact, 1) }
            sameKey.forEach { candidates.consider($0, .normalized, 0.9) }
        }
        let nameKey = kinds.isEmpty ? fullKey : NameNormalizer.keyBytes(folded!, skipping: kindWords)
        if !candidates.isEmpty {
            // The whole query is a name ("Green Village", "Victory base"): its kind word is
            // part of the name, not a hint.
            kinds = []
            kindWords = 0..<0
        } else if nameKey != fullKey, !nameKey.isEmpty {
            let nameText = folded!.wordRanges.enumerated().filter { !kindWords.contains($0.offset) }
                .map { String(String.UnicodeScalarView(folded!.scalars[$0.element].compactMap(Unicode.Scalar.init))) }
                .joined(separator: " ")
            candidates.consider(exactMatches(nameText, key: nameKey), .exact, 0.98)
            candidates.consider(normalizedEntries(nameKey), .normalized, 0.88)
        }
        // "the Jazira", "the Iraq–Syria border": the article is not part of the name.
        if candidates.isEmpty, let folded, folded.wordCount > 1, Self.startsWithThe(folded) {
            return geocode(droppingThe: query, folded: folded, options: options)
        }
        // "eastern Deir ez-Zor", "Deir ez-Zor countryside": the province, at precision 3.
        var phraseKey: [UInt8] = []
        if candidates.isEmpty, let folded, folded.wordCount > 1, let phrase = RegionPhrase(folded) {
            candidates.consider(provinceEntries(named: phrase.core, compass: phrase.compass), .normalized, 0.88)
            if !candidates.isEmpty { phraseKey = NameNormalizer.keyBytes(phrase.core) }
        }
        // "the US base at Erbil Airport", "Umm Qasr port": a name with descriptive words around
        // it, if a shorter reading matches a name exactly or after normalisation.
        if candidates.isEmpty, !options.readingDescriptive, let folded, folded.wordCount > 1 {
            var inner = options
            inner.readingDescriptive = true
            inner.fallback = nil
            for reading in DescriptivePhrase.readings(of: query) {
                var r = geocode(PreparedQuery(reading.text), options: inner)
                guard let b = r.best, r.status == .resolved || r.status == .ambiguous,
                      b.matchType == .exact || b.matchType == .normalized else { continue }
                r.query = query
                r.readAs = reading.text
                r.partOf = reading.partOf || r.partOf
                return r
            }
        }
        // Same consonants (Erbil / Arbil, Rukban / Rakban) and close as a whole. A near-certain
        // skeleton match (Jaro–Winkler ≥ 0.92) is taken as it is; a weaker one (≥ 0.8) competes
        // with the fuzzy matches on the same score scale, because three consonants alone match
        // towns on every continent. (On 4,000 names with one letter dropped this places 64 %
        // within 10 km of the intended place; taking every skeleton match placed 48 %.)
        var closeSkeleton = false
        if candidates.isEmpty {
            let skeletons = skeletonIndex()
            for key in nameKey == fullKey ? [fullKey] : [fullKey, nameKey] where !key.isEmpty {
                for like in skeletons.keys(like: key, minimumSimilarity: Self.minimumSkeletonSimilarity) {
                    closeSkeleton = closeSkeleton || like.similarity >= Self.certainSkeletonSimilarity
                    candidates.consider(normalizedEntries(like.key), .skeleton, 0.85 * like.similarity)
                }
            }
        }
        if !closeSkeleton, candidates.allSatisfy(type: .skeleton), nameKey.count >= 5 {
            // Accepted hits share at least half of the trigrams.
            let nameKeyText = String(decoding: nameKey, as: UTF8.self)
            let close = fuzzy().search(nameKeyText, limit: 8, minimumSimilarity: 0.9, minimumSharedFraction: 0.5)
            for hit in close where hit.trigramOverlap >= 0.5 {
                candidates.consider(normalizedEntries(hit.key), .fuzzy, 0.85 * hit.similarity)
            }
        }
        // Rank on entry numbers, reading only the contiguous rank fields; only the answer and
        // its runners-up become `GeocodeMatch` values.
        // A country code no entry has matches none (every candidate then ranks lower).
        let country = options.country.map { countryNumbers[$0] ?? .max }
        let near = options.near
        rankFields.withUnsafeBufferPointer { fields in
            candidates.rank { id, type, score in
                Self.rank(fields[Int(id)], type: type, score: score, kinds: kinds, country: country, near: near)
            } tieBreak: { a, b in
                entries.withUnsafeBufferPointer { $0[Int(a)].id < $0[Int(b)].id }
            }
        }
        // Candidates close to the best: one named by its main name (GeoNames' name for it, or
        // a curated entry's name) gains `mainNameBonus` over one that only has the query among
        // its alternate names (Homs is Homs; "Homs" is one of Al Khums's 51 other names).
        // Only then, so that most answers read no extra memory.
        if candidates.count > 1 {
            let floor = candidates[0].rank - (Self.alternativeRankWindow + Self.mainNameBonus)
            if candidates[1].rank >= floor {
                let mainKeys = mainNameKeyHashes()
                func hash(_ key: [UInt8]) -> UInt64 { key.isEmpty ? 0 : fnv1a(key) }
                let full = hash(fullKey), name = nameKey == fullKey ? full : hash(nameKey), phrase = hash(phraseKey)
                func isQueryKey(_ h: UInt64) -> Bool { h != 0 && (h == full || h == name || h == phrase) }
                candidates.adjust(from: floor) { id in
                    isQueryKey(mainKeys[2 * Int(id)]) || isQueryKey(mainKeys[2 * Int(id) + 1]) ? Self.mainNameBonus : 0
                } tieBreak: { a, b in
                    entries.withUnsafeBufferPointer { $0[Int(a)].id < $0[Int(b)].id }
                }
            }
        }
        func match(_ r: Candidates.Candidate) -> GeocodeMatch {
            GeocodeMatch(entry: entries[Int(r.id)], matchType: r.type, score: r.score, rankScore: r.rank)
        }
        /// Unresolved (or placed by the fallback asked for), suggesting `ids` first.
        func unresolved(suggesting ids: [Int32]) -> GeocodeResult {
            let suggestions = self.suggestions(for: nameKey, candidates: ids, country: options.country)
            if let fallback = options.fallback, let placed = fallbackMatch(words: NameNormalizer.words(query), options: options, fallback: fallback) {
                return GeocodeResult(query: query, status: .fallback, best: placed.match, alternatives: [], suggestions: suggestions, fallbackBasis: placed.basis)
            }
            return GeocodeResult(query: query, status: .unresolved, best: nil, alternatives: [], suggestions: suggestions)
        }
        guard let first = candidates.first else { return unresolved(suggesting: []) }
        let best = match(first)
        // A match in another country than the one asked for is not an answer: "Akashat" in
        // Iraq must not become a town in Kazakhstan, nor "Ayash" in Syria a town in Turkey.
        // Border crossings straddle two countries and are filed under one, so they are exempt;
        // a border region names both.
        if let country = options.country, !best.entry.isIn(country: country), best.entry.kind != .crossing {
            return unresolved(suggesting: (0..<candidates.count).map { candidates[$0].id })
        }
        // A weak approximate spelling is not an answer on its own. In Arabic script a letter
        // that differs is a different name (السويعية al-Suwai'iya is not السويدية Samandağ's
        // al-Suwaydiya), so it is only a suggestion; a Latin transliteration may be the same
        // name spelt differently, so it stays the best guess but never `resolved`.
        let weak = (best.matchType == .skeleton || best.matchType == .fuzzy) && best.score < 0.85 * Self.resolvedApproximateSimilarity
        if weak, let folded, Self.isArabicScript(folded) {
            return unresolved(suggesting: (0..<candidates.count).map { candidates[$0].id })
        }
        // Runners-up: close in rank and a different place on the ground (more than 10 km away;
        // a difference of over 0.1° of latitude is always more, so no geodesic is needed).
        var alternatives: [GeocodeMatch] = []
        for i in 1..<candidates.count where candidates[i].rank >= first.rank - Self.alternativeRankWindow && alternatives.count < 3 {
            let a = rankFields[Int(first.id)].position, b = rankFields[Int(candidates[i].id)].position
            if abs(a.latitude - b.latitude) > 0.1 || Self.kilometres(a, b) > 10 { alternatives.append(match(candidates[i])) }
        }
        let ambiguous = weak || (alternatives.first.map { best.rankScore - $0.rankScore < Self.ambiguityMargin } ?? false)
        return GeocodeResult(query: query, status: ambiguous ? .ambiguous : .resolved, best: best, alternatives: alternatives, suggestions: [])
    }

    /// The query without its leading "the", resolved (the answer keeps the query as asked).
    @inline(never)
    func geocode(droppingThe query: String, folded: NameNormalizer.FoldedWords, options: GeocodeOptions) -> GeocodeResult {
        // Cut the original text after the article when it starts with it (keeps the name's own
        // spelling for exact matching); else the folded words.
        let trimmed = Self.trimmed(query)
        var rest: String
        if trimmed.count > 4, trimmed.prefix(3).lowercased() == "the", let next = trimmed.dropFirst(3).first, !next.isLetter, !next.isNumber {
            rest = String(trimmed.dropFirst(4)).trimmingCharacters(in: .whitespaces)
        } else {
            rest = NameNormalizer.words(query).dropFirst().joined(separator: " ")
        }
        if rest.isEmpty { rest = trimmed }
        var result = geocode(PreparedQuery(rest), options: options)
        result.query = query
        return result
    }

    /// Whether the first folded word is "the".
    static func startsWithThe(_ folded: NameNormalizer.FoldedWords) -> Bool {
        folded.scalars.count > 3 && folded.scalars[0] == 0x74 && folded.scalars[1] == 0x68 && folded.scalars[2] == 0x65 && folded.scalars[3] == 0
    }

    /// Whether the folded name is written in Arabic script (its first letter is).
    static func isArabicScript(_ folded: NameNormalizer.FoldedWords) -> Bool {
        folded.scalars.first { $0 != 0 }.map { $0 >= 0x600 } ?? false
    }

    /// The Jaro–Winkler similarity a key sharing the query's consonant skeleton needs.
    static let minimumSkeletonSimilarity = 0.8
    /// The Jaro–Winkler similarity from which a skeleton match needs no fuzzy search.
    static let certainSkeletonSimilarity = 0.92
    /// The Jaro–Winkler similarity an approximate (skeleton or fuzzy) match needs to be
    /// `resolved`: the lowest from which at least 80 % of answers land within 10 km of the
    /// place meant, in Latin and in Arabic script. Measured on 5,000 gazetteer names of each
    /// script with one letter dropped (approximate answers, by 0.01 band of similarity):
    /// Latin 44–63 % from 0.90 to 0.95, 54 % at 0.96, 81 % at 0.97, 95 % at 0.98; Arabic 74 %
    /// at 0.96, 94 % at 0.97, 98 % at 0.98. Below it a Latin answer is at most `ambiguous`
    /// and an Arabic one only a suggestion (see `geocode`).
    static let resolvedApproximateSimilarity = 0.97
    /// Candidates whose rank is within this of the best are listed as alternatives.
    static let alternativeRankWindow = 0.15
    /// The best is `ambiguous` when an alternative's rank is within this of it.
    static let ambiguityMargin = 0.05
    /// Rank added to a close candidate named by its main name (see `geocode`).
    static let mainNameBonus = 0.05

    /// Without leading and trailing spaces and tabs (no Foundation round trip for plain text).
    static func trimmed(_ text: String) -> String {
        let utf8 = text.utf8
        guard let first = utf8.first, let last = utf8.last else { return text }
        if first != 0x20 && first != 0x09 && last != 0x20 && last != 0x09 { return text }
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// The words (numbers) of a kind phrase in a name and the kinds it asks for:
    /// "Ain al-Asad air base" → (3..<5, [.airBase, .base, .garrison]). Phrases are tried
    /// longest first; a name that is nothing but the phrase has none.
    static func kindPhrase(_ folded: NameNormalizer.FoldedWords) -> (Range<Int>, Set<PlaceKind>) {
        // Most names hold no kind word at all: a comparison per word settles that.
        guard folded.wordCount > 1 else { return (0..<0, []) }
        var hinted = false
        folded.forEachWord { range in
            if !hinted, range.count < 64, PlaceKind.hintWordLengths & (1 << range.count) != 0 {
                hinted = PlaceKind.hintWordScalars.contains { $0.elementsEqual(folded.scalars[range]) }
            }
        }
        guard hinted else { return (0..<0, []) }
        let words = folded.wordRanges.map { folded.scalars[$0] }
        for (phrase, kinds) in PlaceKind.hintPhraseScalars where words.count > phrase.count {
            for start in 0...(words.count - phrase.count)
            where zip(words[start..<(start + phrase.count)], phrase).allSatisfy({ $0.elementsEqual($1) }) {
                return (start..<(start + phrase.count), kinds)
            }
        }
        return (0..<0, [])
    }

    /// The ranking score of a candidate: its match score plus kind, country, population and
    /// proximity evidence. (Close candidates named by their main name gain `mainNameBonus`
    /// afterwards, in `geocode`.)
    static func rank(_ entry: RankFields, type: MatchType, score: Double, kinds: Set<PlaceKind>, country: UInt16?, near: Position?) -> Double {
        var r = score
        if !kinds.isEmpty {
            r += kinds.contains(entry.kind) ? 0.3 : -0.2
        } else {
            // Without a kind word, a named base or camp is what conflict reports usually mean;
            // a province only when nothing else carries the name.
            switch entry.kind {
            case .garrison, .base, .airBase: r += 0.04
            case .camp, .outpost: r += 0.03
            case .crossing, .airport: r += 0.02
            case .oilField, .gasField: r += 0.01
            case .province: r -= 0.03
            // A bare country name means the country, not a town that shares it (Lebanon, TN);
            // a curated region's name ("al-Jazira") means the region.
            case .country, .region: r += 0.12
            case .place: break
            }
        }
        if let country { r += entry.country == country || entry.secondCountry == country ? 0.2 : -0.3 }
        r += entry.populationDecades * populationWeight(for: type)
        if let near { r += 0.25 * exp(-kilometres(near, entry.position) / 150) }
        return r
    }

    /// Rank per tenfold population. Among places whose name is exactly the query, population
    /// says which one is meant: at 0.025 a place 100 times larger clears the ambiguity margin
    /// (0.05) on population alone, so a capital or a city of millions beats a village of the
    /// same name abroad (Damascus, 1.57 M, over Damascus, Maryland, 15,257), while cities of a
    /// similar size stay ambiguous (Tripoli: Libya 1.3 M, Lebanon 229,398). (At 0.012 a factor
    /// of 10,000 was needed, and Baghdad was ambiguous with a village of 1,808 in Iran.) For
    /// other spellings (same key, skeleton, fuzzy) how well the spelling matches is evidence
    /// too, and population weighs 0.012, as before: a larger town must not win on size over the
    /// exact name (Al Hawl is Al Ḩawl, not Hull in Canada) or over a closer spelling (Darkūh is
    /// Darkūsh, not Dārkhovīn).
    static func populationWeight(for type: MatchType) -> Double {
        type == .exact ? 0.025 : 0.012
    }

    /// Geodesic distance in km (WGS84).
    static func kilometres(_ a: Position, _ b: Position) -> Double {
        Geodesic.wgs84.inverseUnchecked(latitude1: a.latitude, longitude1: a.longitude, latitude2: b.latitude, longitude2: b.longitude).distanceMeters / 1000
    }

    /// Up to five suggestions for an unresolved query, as "name (CC)": the entries `ids` that
    /// matched too weakly or abroad, then names whose keys resemble `key` (Jaro–Winkler ≥ 0.7,
    /// keys of five letters or more). With a country hint, only names in that country; names
    /// abroad only when none in it resembles the query.
    func suggestions(for key: [UInt8], candidates ids: [Int32], country: String?) -> [String] {
        var home: [String] = [], abroad: [String] = []
        func add(_ id: Int32) {
            let e = entries[Int(id)]
            let text = "\(e.name) (\(e.country))"
            if let country, e.isIn(country: country) {
                if !home.contains(text) { home.append(text) }
            } else if !abroad.contains(text) {
                abroad.append(text)
            }
        }
        for id in ids { add(id) }
        if home.count < 5, key.count >= 5 {
            let text = String(decoding: key, as: UTF8.self)
            // With a hint, the whole list is read for names in that country, and when it has
            // none, again with fewer trigrams in common (a fifth instead of a third).
            let passes: [Double] = country == nil ? [1.0 / 3] : [1.0 / 3, 0.2]
            for fraction in passes where home.isEmpty {
                let hits = fuzzy().search(text, limit: country == nil ? 8 : 1_000, minimumSimilarity: 0.7, minimumSharedFraction: fraction)
                for hit in hits where home.count < 5 {
                    let ids = normalizedEntries(hit.key)
                    if let country {
                        for id in ids where entries[Int(id)].isIn(country: country) { add(id) }
                    }
                    if abroad.count < 5, let id = ids.first { add(id) }
                }
            }
        }
        return Array((home.isEmpty ? abroad : home).prefix(5))
    }

    /// Where the fallback asked for places an unresolved name, and why (`GeocodeResult.fallbackBasis`):
    /// the province `options.region` names; else, for `.province`, a province named in the
    /// query; for `.country`, the country hint's capital. Nil when none applies: no path picks
    /// a province the row does not name (the most populous place of the country, Aleppo for
    /// Syria, was once chosen for rows whose admin1 said Deir ez-Zor).
    func fallbackMatch(words: [String], options: GeocodeOptions, fallback: GeocodeOptions.Fallback) -> (match: GeocodeMatch, basis: String)? {
        if let region = options.region, let province = province(named: region, country: options.country) {
            let text = region.trimmingCharacters(in: .whitespacesAndNewlines)
            return (GeocodeMatch(entry: province, matchType: .normalized, score: 0.5, rankScore: 0.5), "admin1 '\(text)' → \(province.name)")
        }
        switch fallback {
        case .province:
            // The longest run of words (up to four) that names a province: "Tell X, Deir ez-Zor".
            // A run of compass words alone ("north") is a direction, not Lebanon's North
            // Governorate, nor "capital" Jordan's Capital Governorate.
            guard !words.isEmpty else { return nil }
            for length in stride(from: min(4, words.count), through: 1, by: -1) {
                for start in 0...(words.count - length) {
                    let runWords = words[start..<(start + length)]
                    if runWords.allSatisfy({ RegionPhrase.compassWords[$0] != nil || $0 == "capital" || $0 == "the" }) { continue }
                    let run = NameNormalizer.keyBytes(runWords.joined(separator: " "))
                    if let province = uniqueProvince(normalizedEntries(run), country: options.country) {
                        return (GeocodeMatch(entry: province, matchType: .normalized, score: 0.5, rankScore: 0.5), "province named in the text")
                    }
                }
            }
            return nil
        case .country:
            guard let country = options.country, let index = countryEntries[country] else { return nil }
            let entry = entries[Int(index)]
            // Country entries sit at the capital; the few without one in GeoNames at their most
            // populous place, and the basis says so.
            let basis = entry.coordinateSource?.hasPrefix("capital") == true ? "capital of \(country)" : "most populous place of \(country) (no capital in the data)"
            return (GeocodeMatch(entry: entry, matchType: .normalized, score: 0.3, rankScore: 0.3), basis)
        }
    }

    /// The province `text` names: "Deir ez-Zor", "Dayr az Zawr Governorate", "Anbar",
    /// "Deir ez-Zor countryside", "rural Idlib", or a spelling close to one of a province's
    /// names (Jaro–Winkler ≥ 0.9 and a length within a third, when no name matches). Among
    /// the provinces of `country` when given; without it, only when the provinces that match
    /// are one entry. Nil for text naming no province (a town, a country, "", "eastern Syria").
    public func province(named text: String, country: String? = nil) -> GazetteerEntry? {
        guard let folded = NameNormalizer.foldedWords(text), folded.wordCount > 0 else { return nil }
        let country = country?.uppercased()
        let name = folded.wordRanges.map { String(String.UnicodeScalarView(folded.scalars[$0].compactMap(Unicode.Scalar.init))) }.joined(separator: " ")
        if let p = uniqueProvince(provinceEntries(named: name, compass: nil), country: country) { return p }
        if let phrase = RegionPhrase(folded), let p = uniqueProvince(provinceEntries(named: phrase.core, compass: phrase.compass), country: country) {
            return p
        }
        // A spelling no alias has: the closest province name, if close and unique.
        let key = SkeletonIndex.scalars(NameNormalizer.keyBytes(folded)[...])
        guard key.count >= 3 else { return nil }
        var best: (id: Int32, similarity: Double)?
        var tied = false
        let slack = FuzzyIndex.lengthSlack(key.count)
        for (id, provinceKey) in provinceKeys() where country == nil || entries[Int(id)].isIn(country: country!) {
            // Keys much longer or shorter are not spellings of it ("Aleppo city" is not "Aleppo").
            guard abs(provinceKey.count - key.count) <= slack else { continue }
            let similarity = FuzzyIndex.jaroWinkler(key, provinceKey)
            guard similarity >= 0.9 else { continue }
            if let b = best, similarity <= b.similarity {
                if similarity == b.similarity, b.id != id { tied = true }
                continue
            }
            best = (id, similarity)
            tied = false
        }
        guard let best, !tied else { return nil }
        return uniqueProvince([best.id], country: country)
    }

    /// Province entries under the key of `name` (folded words), or of `name` without its kind
    /// words ("Hasakah province"), or of "<compass> name" ("northern Lebanon" as "north
    /// lebanon", North Lebanon's alias).
    func provinceEntries(named name: String, compass: String?) -> [Int32] {
        guard let folded = NameNormalizer.foldedWords(name) else { return [] }
        func provinces(_ key: [UInt8]) -> [Int32] {
            key.isEmpty ? [] : normalizedEntries(key).filter { entries[Int($0)].kind == .province }
        }
        var ids = provinces(NameNormalizer.keyBytes(folded))
        if ids.isEmpty {
            let (kindWords, kinds) = Self.kindPhrase(folded)
            if kinds.contains(.province) { ids = provinces(NameNormalizer.keyBytes(folded, skipping: kindWords)) }
        }
        if ids.isEmpty, let compass { ids = provinces(NameNormalizer.keyBytes(compass + " " + name)) }
        return ids
    }

    /// The one province among `ids` (in `country` when given); nil for none, or for several
    /// different provinces.
    func uniqueProvince(_ ids: [Int32], country: String?) -> GazetteerEntry? {
        var found: GazetteerEntry?
        for id in ids {
            let e = entries[Int(id)]
            guard e.kind == .province, country == nil || e.isIn(country: country!) else { continue }
            if let f = found, f !== e { return nil }
            found = e
        }
        return found
    }

    /// Entries whose names match `text` at any level, best first (for `geo gazetteer search`).
    public func search(_ text: String, limit: Int = 20, options: GeocodeOptions = GeocodeOptions()) -> [GeocodeMatch] {
        let result = geocode(text, options: options)
        var list = (result.best.map { [$0] } ?? []) + result.alternatives
        if list.count < limit {
            let key = NameNormalizer.key(text)
            for hit in fuzzy().search(key, limit: limit, minimumSimilarity: 0.8) {
                for id in normalizedEntries(hit.key) where !list.contains(where: { $0.entry.id == entries[Int(id)].id }) {
                    list.append(GeocodeMatch(entry: entries[Int(id)], matchType: .fuzzy, score: 0.9 * hit.similarity, rankScore: 0.9 * hit.similarity))
                }
            }
        }
        return Array(list.prefix(limit))
    }
}

/// A query's candidate entries with their best match so far. Most queries have a handful, so
/// the first eight live inline (no allocation); more move to an array.
struct Candidates {
    struct Candidate {
        var id: Int32
        var type: MatchType
        var score: Double
        var rank: Double = 0
    }

    private var inline: InlineArray<8, Candidate>
    /// All candidates, once there are more than fit inline.
    private var overflow: [Candidate] = []
    private(set) var count = 0

    init() {
        inline = InlineArray(repeating: Candidate(id: 0, type: .exact, score: 0))
    }

    var isEmpty: Bool { count == 0 }

    var first: Candidate? { count == 0 ? nil : self[0] }

    subscript(index: Int) -> Candidate { overflow.isEmpty ? inline[index] : overflow[index] }

    /// Whether every candidate (none, too) came from `type`.
    func allSatisfy(type: MatchType) -> Bool {
        for i in 0..<count where self[i].type != type { return false }
        return true
    }

    mutating func consider(_ id: Int32, _ type: MatchType, _ score: Double) {
        let candidate = Candidate(id: id, type: type, score: score)
        if overflow.isEmpty, count < inline.count {
            inline[count] = candidate
        } else {
            if overflow.isEmpty {
                overflow.reserveCapacity(2 * inline.count)
                for i in 0..<count { overflow.append(inline[i]) }
            }
            overflow.append(candidate)
        }
        count += 1
    }

    mutating func consider(_ ids: [Int32], _ type: MatchType, _ score: Double) {
        for id in ids { consider(id, type, score) }
    }

    private mutating func withCandidates<R>(_ body: (UnsafeMutableBufferPointer<Candidate>) -> R) -> R {
        let n = count
        if !overflow.isEmpty { return overflow.withUnsafeMutableBufferPointer { body(UnsafeMutableBufferPointer(rebasing: $0[0..<n])) } }
        var span = inline.mutableSpan
        return span.withUnsafeMutableBufferPointer { body(UnsafeMutableBufferPointer(rebasing: $0[0..<n])) }
    }

    /// Adds `bonus(id)` to the rank of every candidate ranked at least `floor` (a prefix of the
    /// sorted list) and sorts that prefix again; the rest cannot overtake it, as ranks only grow.
    mutating func adjust(from floor: Double, bonus: (Int32) -> Double, tieBreak: (Int32, Int32) -> Bool) {
        withCandidates { buffer in
            var n = 0
            while n < buffer.count, buffer[n].rank >= floor {
                buffer[n].rank += bonus(buffer[n].id)
                n += 1
            }
            var prefix = UnsafeMutableBufferPointer(rebasing: buffer[0..<n])
            prefix.sort { $0.rank != $1.rank ? $0.rank > $1.rank : tieBreak($0.id, $1.id) }
        }
    }

    /// Keeps each entry once with its highest score and sorts them best first (`rank` from
    /// its fields and score; equal ranks by `tieBreak` on entry numbers).
    mutating func rank(_ rank: (Int32, MatchType, Double) -> Double, tieBreak: (Int32, Int32) -> Bool) {
        count = withCandidates { buffer in
            var list = buffer
            guard list.count > 1 else {
                if let only = list.first { list[0].rank = rank(only.id, only.type, only.score) }
                return list.count
            }
            list.sort { $0.id != $1.id ? $0.id < $1.id : $0.score > $1.score }
            var kept = 1
            for i in 1..<list.count where list[kept - 1].id != list[i].id {
                list[kept] = list[i]
                kept += 1
            }
            for i in 0..<kept { list[i].rank = rank(list[i].id, list[i].type, list[i].score) }
            var best = UnsafeMutableBufferPointer(rebasing: list[0..<kept])
            best.sort { $0.rank != $1.rank ? $0.rank > $1.rank : tieBreak($0.id, $1.id) }
            return kept
        }
        if !overflow.isEmpty { overflow.removeLast(overflow.count - count) }
    }
}
