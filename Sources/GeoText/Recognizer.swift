import GeoCore
import GeoGazetteer

/// A place name found in a window of text, before resolution.
struct Span {
    /// Scalar offsets of the whole mention (with a kind word or relative phrase).
    var start: Int
    var end: Int
    /// Scalar offsets of the name itself.
    var nameStart: Int
    var nameEnd: Int
    /// Token range of the name in its window.
    var firstToken: Int
    var lastToken: Int
    var key: [UInt8]
    var nameText: String
    /// The text of `start..<end`, set when the window is done.
    var fullText = ""
    var ids: [Int32]
    /// Entries whose name or alias is spelt exactly as written.
    var exact: Set<Int32>
    /// Kinds asked for by a kind word ("air base", "province", "the town of").
    var kinds: Set<PlaceKind> = []
    var kindText: String?
    /// Recognition evidence, 0–1.5 (kept ≥ `Recognizer.threshold`).
    var evidence: Double
    var notes: [String] = []
    var role: MentionRole = .place
    var relation: RelationPhrase?
    /// A country abbreviation ("U.S.", "UK"): the country entry.
    var forcedCountry: String?
    /// `exact` is not looked up yet (`Recognizer.consider` does it for a name it may keep).
    var exactPending = false
}

/// The words before a name that make it a relative or regional mention.
struct RelationPhrase {
    var text: String
    var distanceMeters: Double?
    var azimuthDegrees: Double?
    /// "eastern Syria": the place is a region of the anchor.
    var regional: Bool
}

/// A border named by two countries ("the Iraq–Syria border", "Syrian-Iraqi border").
struct BorderPhrase {
    var start: Int
    var end: Int
    var text: String
    var countries: (String, String)
}

/// Punctuation between two words.
struct Gap: OptionSet {
    let rawValue: UInt16
    static let space = Gap(rawValue: 1)
    static let hyphen = Gap(rawValue: 2)  // a hyphen joining two words: "al-Tanf", "U.K.-based"
    static let dash = Gap(rawValue: 4)  // – — or a spaced hyphen
    static let period = Gap(rawValue: 8)
    static let comma = Gap(rawValue: 16)
    static let stop = Gap(rawValue: 32)  // ! ? ; :
    static let newline = Gap(rawValue: 64)
    static let paragraph = Gap(rawValue: 128)
    static let paren = Gap(rawValue: 256)
    static let slash = Gap(rawValue: 512)
    static let quote = Gap(rawValue: 1024)
    static let other = Gap(rawValue: 2048)

    /// Gaps a multi-word name may contain.
    var joinsName: Bool { subtracting([.space, .hyphen]).isEmpty && !isEmpty }
}

/// The keys (`TextTokens.key`) of runs of words, each made once: the person-name check, the
/// country-alias check and `Recognizer.longestName` ask for the same runs.
final class RunKeys {
    /// Key of the run by `start * 8 + word count` (runs are at most `Recognizer.maximumWords` long).
    /// Read and written only in `key`, one access at a time: no run-time exclusivity check.
    @exclusivity(unchecked) private var known: [Int: [UInt8]] = [:]

    func key(_ tokens: TextTokens, _ range: Range<Int>) -> [UInt8] {
        guard range.count < 8 else { return tokens.key(range) }
        let slot = range.lowerBound * 8 + range.count
        if let key = known[slot] { return key }
        let key = tokens.key(range)
        known[slot] = key
        return key
    }
}

/// The exact spellings (`Recognizer.exactlyNamed`) of the names written in a window, by the
/// text as written: the same text has the same words, so the same key and candidates. A short
/// list compared by length, then byte for byte (Swift's `==` would also equate canonically
/// equivalent texts): cheaper than hashing each name when few repeat; past `capacity` names
/// it stops growing.
final class ExactNames {
    static let capacity = 256
    // Read and written only in `known` and `add`, one access at a time: no run-time exclusivity check.
    @exclusivity(unchecked) private var texts: [String] = []
    @exclusivity(unchecked) private var found: [Set<Int32>] = []

    func known(_ written: String) -> Set<Int32>? {
        let n = written.utf8.count
        for (i, t) in texts.enumerated() where t.utf8.count == n && t.utf8.elementsEqual(written.utf8) { return found[i] }
        return nil
    }

    func add(_ written: String, _ exact: Set<Int32>) {
        guard texts.count < Self.capacity else { return }
        texts.append(written)
        found.append(exact)
    }
}

/// Finds place names in one window of text: the longest gazetteer name at each word that can
/// start one, then evidence that it is a place (capitalisation, prepositions, kind words, a
/// known spelling) against a stop list, person titles and common words.
struct Recognizer {
    let gazetteer: Gazetteer
    let lexicon: Lexicon
    let scalars: UnsafeBufferPointer<UInt32>
    /// Offset of `scalars[0]` in the document.
    let offset: Int
    let tokens: TextTokens
    let isDocumentStart: Bool
    /// Whether to keep the evidence in words (`--explain`).
    let explain: Bool
    var gaps: [Gap] = []  // gaps[i]: between token i-1 and token i (gaps[0]: before the first)
    var sentenceInitial: [Bool] = []
    var headline: [Bool] = []
    var lowercaseWords: Set<UInt64> = []
    /// Words seen as the second of two capitalised words that are not a place together
    /// ("Ann Taylor"): a surname or part of a name elsewhere in the window too.
    var personLike: Set<UInt64> = []
    var spans: [Span] = []
    var borders: [BorderPhrase] = []
    /// Demonyms and adjectives seen (country code, count).
    var demonyms: [String: Double] = [:]
    let runKeys = RunKeys()
    let exactNames = ExactNames()

    static let maximumWords = 7
    static let threshold = 0.5
    /// All-capital abbreviations of countries ("US", "U.S.", "UK", "UAE").
    /// Names of countries in common use that the gazetteer files under another name (keys).
    static let countryAliases: [String: String] = [
        NameNormalizer.key("Britain"): "GB", NameNormalizer.key("Great Britain"): "GB", NameNormalizer.key("America"): "US",
        NameNormalizer.key("Holland"): "NL", NameNormalizer.key("Burma"): "MM", NameNormalizer.key("Persia"): "IR",
    ]
    /// `countryAliases` with their keys as bytes, compared with a run's key without making a string of it.
    static let countryAliasKeys: [(key: [UInt8], code: String)] = countryAliases.map { (Array($0.key.utf8), $0.value) }
    static let latin = TextTokens.foldHash("latin")
    static let countryAbbreviations: [String: String] = ["us": "US", "usa": "US", "uk": "GB", "uae": "AE", "ksa": "SA", "drc": "CD", "prc": "CN"]

    init(gazetteer: Gazetteer, lexicon: Lexicon, scalars: UnsafeBufferPointer<UInt32>, offset: Int, isDocumentStart: Bool, explain: Bool = true) {
        self.explain = explain
        self.gazetteer = gazetteer
        self.lexicon = lexicon
        self.scalars = scalars
        self.offset = offset
        self.isDocumentStart = isDocumentStart
        tokens = TextTokens(scalars: scalars, offset: offset)
    }

    var t: [TextTokens.Token] { tokens.tokens }

    func hash(_ i: Int) -> UInt64 { t[i].foldHash }

    /// The word lists of each word (`Lexicon.WordClass`), looked up once.
    var classes: [Lexicon.WordClass] = []

    @inline(__always) func has(_ i: Int, _ c: Lexicon.WordClass) -> Bool { classes[i].contains(c) }

    func shape(_ i: Int) -> TextTokens.Shape { t[i].shape }

    /// The text of scalars `start..<end` (document offsets).
    func text(_ start: Int, _ end: Int) -> String { Self.text(scalars, offset, start, end) }

    /// The text of `scalars` (whose first is at document offset `offset`) from `start` to `end`.
    @inline(__always)
    static func text(_ scalars: UnsafeBufferPointer<UInt32>, _ offset: Int, _ start: Int, _ end: Int) -> String {
        ScalarUTF8.string(UnsafeBufferPointer(rebasing: scalars[(start - offset)..<(end - offset)]))
    }

    mutating func run() {
        computeGaps()
        findPersonLike()
        findNames()
        findBorders()
        markDatelines()
        markContext()
        // The texts read through the buffer alone, not through `self` while `spans` changes.
        let scalars = self.scalars, offset = self.offset
        for i in spans.indices { spans[i].fullText = Self.text(scalars, offset, spans[i].start, spans[i].end) }
    }

    // MARK: gaps, sentences, headlines

    mutating func computeGaps() {
        let n = t.count
        gaps = Array(repeating: [], count: n + 1)
        classes = t.map { lexicon.classes[$0.foldHash] ?? [] }
        sentenceInitial = Array(repeating: false, count: n)
        headline = Array(repeating: false, count: n)
        var previousEnd = offset
        for i in 0...n {
            let end = i < n ? Int(t[i].start) : offset + scalars.count
            var g: Gap = []
            var newlines = 0
            var hyphens = 0
            for v in scalars[(previousEnd - offset)..<(end - offset)] {
                switch v {
                case 0x20, 0x09, 0xA0: g.insert(.space)
                case 0x0A:
                    newlines += 1
                    g.insert(.newline)
                case 0x0D, 0x0C: break
                case 0x2D, 0x2010, 0x2011: hyphens += 1
                case 0x2012, 0x2013, 0x2014, 0x2015, 0x2212: g.insert(.dash)
                case 0x2E: g.insert(.period)
                case 0x2C, 0x60C: g.insert(.comma)
                case 0x21, 0x3F, 0x3B, 0x3A, 0x61F, 0x61B: g.insert(.stop)
                case 0x28, 0x29, 0x5B, 0x5D: g.insert(.paren)
                case 0x2F: g.insert(.slash)
                case 0x22, 0x201C, 0x201D, 0xAB, 0xBB: g.insert(.quote)
                default: g.insert(.other)
                }
            }
            if hyphens > 0 { g.insert(hyphens == 1 && !g.contains(.space) ? .hyphen : .dash) }
            if newlines >= 2 { g.insert(.paragraph) }
            gaps[i] = g
            if i < n {
                let start = i == 0 && isDocumentStart
                let afterPeriod = g.contains(.period) && !(i > 0 && has(i - 1, .abbreviations))
                sentenceInitial[i] = start || i == 0 || afterPeriod || g.contains(.stop) || g.contains(.newline) || g.contains(.quote) && g.contains(.period)
                previousEnd = Int(t[i].end)
                if shape(i).isDisjoint(with: [.capitalized, .digits, .arabic, .otherScript]) { lowercaseWords.insert(hash(i)) }
            }
        }
        // Headlines and title-case lines: most longer words capitalised, so capitals are no evidence.
        var lineStart = 0
        for i in 0...n where i == n || (i > lineStart && gaps[i].contains(.newline)) {
            var long = 0, capital = 0
            for j in lineStart..<i where t[j].end - t[j].start >= 4 && !shape(j).contains(.digits) {
                long += 1
                if shape(j).contains(.capitalized) { capital += 1 }
            }
            // A line ending with a period is a sentence, however many capitals it has.
            let sentence = i > lineStart && gaps[i < n ? i : n].contains(.period) || i == n && scalars.last == 0x2E
            if long >= 2, capital * 10 >= long * 8, !sentence {
                for j in lineStart..<i { headline[j] = true }
            }
            lineStart = i
        }
    }

    mutating func findPersonLike() {
        guard t.count > 1 else { return }
        for i in 1..<t.count where gaps[i] == .space && !headline[i] && !sentenceInitial[i] {
            let a = shape(i - 1), b = shape(i)
            guard a.contains(.capitalized), b.contains(.capitalized), !a.contains(.allCaps), !b.contains(.allCaps) else { continue }
            let h = hash(i - 1)
            if !classes[i - 1].isDisjoint(with: [.stopWords, .prepositions, .demonym, .personTitles, .neverStart, .regionAdjective, .nameConnectors])
                || h == lexicon.the
            {
                continue
            }
            if i + 1 < t.count, kindPhrase(at: i + 1) != nil { continue }
            if gazetteer.hasEntries(forKey: runKeys.key(tokens, (i - 1)..<(i + 1))) { continue }
            personLike.insert(hash(i))
        }
    }

    // MARK: names

    func isArticle(_ i: Int) -> Bool {
        let len = t[i].end - t[i].start
        return len <= 3 && has(i, .nameConnectors) && !shape(i).contains(.capitalized)
    }

    func canStart(_ i: Int) -> Bool {
        let s = shape(i)
        if has(i, .neverStart) { return false }
        if s.contains(.long) || s.contains(.otherScript) || s.contains(.digits) { return false }
        if s.contains(.capitalized) || s.contains(.arabic) { return true }
        // "al-Tanf", "ash-Shaddadi": a lowercase article joined to a capitalised word.
        return i + 1 < t.count && isArticle(i) && gaps[i + 1].contains(.hyphen) && shape(i + 1).contains(.capitalized)
    }

    func canContinue(_ j: Int) -> Bool {
        let g = gaps[j]
        let s = shape(j)
        if s.contains(.long) || s.contains(.otherScript) { return false }
        // "U.S.", "St. Louis": a period after a one-letter word or an abbreviation.
        let abbreviation = g.contains(.period) && g.subtracting([.period, .space]).isEmpty && has(j - 1, .abbreviations)
        guard g.joinsName || abbreviation else { return false }
        if s.contains(.capitalized) || s.contains(.arabic) || s.contains(.digits) { return true }
        return has(j, .nameConnectors) || has(j, .kindWord)
    }

    /// The kind phrase starting at word `i` ("air base", "province"), as (words, kinds, text).
    func kindPhrase(at i: Int) -> (count: Int, kinds: Set<PlaceKind>, text: String)? {
        guard has(i, .kindWord) else { return nil }
        for phrase in lexicon.kindPhrases where i + phrase.words.count <= t.count {
            var ok = true
            for (k, w) in phrase.words.enumerated() where hash(i + k) != w || (k > 0 && !gaps[i + k].joinsName) {
                ok = false
                break
            }
            if ok, gaps[i].joinsName { return (phrase.words.count, phrase.kinds, phrase.text) }
        }
        return nil
    }

    mutating func findNames() {
        let n = t.count
        var i = 0
        var personUntil = -1
        while i < n {
            let h = hash(i)
            // A person title: the capitalised words after it are a person, unless they make a
            // curated site ("Prince Sultan Air Base").
            if has(i, .personTitles), shape(i).contains(.capitalized) || !sentenceInitial[i] {
                if let span = longestName(at: i), span.lastToken > i,
                   span.ids.contains(where: { gazetteer.entries[Int($0)].kind.isSite }) || !span.kinds.isEmpty
                {
                    accept(span)
                    i = span.lastToken + 1
                    continue
                }
                var j = i + 1
                while j < n, shape(j).contains(.capitalized), gaps[j].subtracting([.space, .period]).isEmpty, gaps[j].contains(.space) {
                    if has(j, .prepositions) { break }
                    j += 1
                }
                personUntil = j - 1
                i = j
                continue
            }
            guard canStart(i) else {
                i += 1
                continue
            }
            // Country abbreviations written in capitals: US, U.S., UK, UAE.
            if let (code, last) = countryAbbreviation(at: i) {
                let start = Int(t[i].start), end = Int(t[last].end)
                let endsWithPeriod = last + 1 <= n && (last + 1 == n || gaps[last + 1].contains(.period)) && scalars.indices.contains(end - offset) && scalars[end - offset] == 0x2E
                let realEnd = (last > i && endsWithPeriod) ? end + 1 : end
                var span = Span(start: start, end: realEnd, nameStart: start, nameEnd: realEnd, firstToken: i, lastToken: last, key: [],
                                nameText: text(start, realEnd), ids: [], exact: [], evidence: 1, forcedCountry: code)
                if explain { span.notes.append("country abbreviation") }
                if !followedByHyphenBased(last) || true { spans.append(span) }
                i = last + 1
                continue
            }
            // Common names of countries the gazetteer files under another ("Britain", "America").
            // ("North America" and "Latin America" are not the United States.)
            if shape(i).contains(.capitalized), !(i >= 1 && gaps[i].joinsName && (has(i - 1, .direction) || has(i - 1, .regionAdjective) || hash(i - 1) == Self.latin)) {
                var found: (String, Int)?
                // The key of two words starts with the key of the first, unless the first is an
                // article that the key of several words leaves out (`NameNormalizer.keyBytes` only
                // appends): the two-word key is made only when it can be an alias.
                let one = runKeys.key(tokens, i..<(i + 1))
                for last in [i + 1, i] where last < n && (last == i || gaps[last].joinsName) {
                    if last > i, !tokens.isArticle(i), !Self.countryAliasKeys.contains(where: { $0.key.starts(with: one) }) { continue }
                    let key = last == i ? one : runKeys.key(tokens, i..<(last + 1))
                    if let alias = Self.countryAliasKeys.first(where: { $0.key == key }) {
                        found = (alias.code, last)
                        break
                    }
                }
                if let (code, last) = found {
                    let start = Int(t[i].start), end = Int(t[last].end)
                    var span = Span(start: start, end: end, nameStart: start, nameEnd: end, firstToken: i, lastToken: last, key: [],
                                    nameText: text(start, end), ids: [], exact: [], evidence: 1, forcedCountry: code)
                    if explain { span.notes.append("common name of a country") }
                    spans.append(span)
                    i = last + 1
                    continue
                }
            }
            // Demonyms are context, unless a longer name starts with one ("American Samoa").
            if has(i, .demonym), let code = lexicon.demonyms[h], shape(i).contains(.capitalized) {
                if let span = longestName(at: i, deferExact: true), span.lastToken > i {
                    consider(span)
                    i = span.lastToken + 1
                    continue
                }
                demonyms[code, default: 0] += 1
                i += 1
                continue
            }
            if let span = longestName(at: i, deferExact: true) {
                if i > personUntil { consider(span) }
                i = span.lastToken + 1
                continue
            }
            i += 1
        }
    }

    func followedByHyphenBased(_ last: Int) -> Bool {
        last + 1 < t.count && hash(last + 1) == lexicon.based && gaps[last + 1].contains(.hyphen)
    }

    /// "US", "USA", "UK", "UAE" in capitals, or "U.S.", "U.K." with periods.
    func countryAbbreviation(at i: Int) -> (String, Int)? {
        if shape(i).contains(.allCaps), t[i].end - t[i].start <= 3, let code = Self.countryAbbreviations[tokens.foldedWord(i)] {
            // "US" in a line of capitals is "us" only in a shouted headline; keep it.
            return (code, i)
        }
        // Dotted: single capital letters separated by periods.
        var j = i
        var letters = ""
        while j < t.count, t[j].end - t[j].start == 1, shape(j).contains(.capitalized), j == i || gaps[j] == .period {
            letters += tokens.foldedWord(j)
            j += 1
        }
        if j - i >= 2, let code = Self.countryAbbreviations[letters] { return (code, j - 1) }
        return nil
    }

    /// The longest gazetteer name starting at word `i`, with a kind phrase after it.
    /// With `deferExact`, `exact` is left for `consider` to look up (`Span.exactPending`).
    func longestName(at i: Int, deferExact: Bool = false) -> Span? {
        var last = i
        while last + 1 < t.count, last + 1 - i < Self.maximumWords, canContinue(last + 1) { last += 1 }
        var end = last
        while end >= i {
            // A name never ends on a connector ("Deir ez") or starts and ends on an article.
            if end > i && (has(end, .nameConnectors) && !shape(end).contains(.capitalized)) {
                end -= 1
                continue
            }
            // A lone article or connector ("Al", "Abu", "de") is never a name.
            if end == i && t[i].end - t[i].start <= 3 && has(i, .nameConnectors) { return nil }
            let key = runKeys.key(tokens, i..<(end + 1))
            if !key.isEmpty {
                let ids = gazetteer.entryNumbers(forKey: key)
                if !ids.isEmpty {
                    let start = Int(t[i].start), stop = Int(t[end].end)
                    let written = text(start, stop)
                    var span = Span(start: start, end: stop, nameStart: start, nameEnd: stop, firstToken: i, lastToken: end, key: key,
                                    nameText: written, ids: ids, exact: deferExact ? [] : exactlyNamed(written, key: key, ids: ids),
                                    evidence: 0)
                    span.exactPending = deferExact
                    // A kind phrase inside the name ("Hasaka province") or right after it.
                    for k in i...end where k > i {
                        if let phrase = kindPhrase(at: k), k + phrase.count - 1 == end {
                            span.kinds = phrase.kinds
                            span.kindText = phrase.text
                        }
                    }
                    if end + 1 < t.count, let phrase = kindPhrase(at: end + 1) {
                        span.kinds = phrase.kinds
                        span.kindText = phrase.text
                        span.end = Int(t[end + phrase.count].end)
                        span.lastToken = end + phrase.count
                    }
                    return span
                }
            }
            end -= 1
        }
        return nil
    }

    /// The entries among `ids` spelt exactly as `written` (of a very common key, among its first
    /// 48 and last 16).
    /// A name written the same way again in the window (reports repeat their places) has the same
    /// key, candidates and exact spellings: they are looked up once (`ExactNames`).
    func exactlyNamed(_ written: String, key: [UInt8], ids: [Int32]) -> Set<Int32> {
        if let known = exactNames.known(written) { return known }
        let found = Self.plainExactlyNamed(gazetteer, written, key: key, ids: ids)
        exactNames.add(written, found)
        return found
    }

    /// `exactlyNamed` without the memo (tests compare the two).
    static func plainExactlyNamed(_ gazetteer: Gazetteer, _ written: String, key: [UInt8], ids: [Int32]) -> Set<Int32> {
        Set(gazetteer.exactlyNamed(written, key: key, among: ids.count > 64 ? Array(ids.prefix(48) + ids.suffix(16)) : ids))
    }

    /// Weighs the evidence that `span` is a place and keeps it when it is enough. A span whose
    /// exact spellings are not looked up yet is first weighed as if it had one (the most it can
    /// score): one that fails even so is dropped without the lookup.
    mutating func consider(_ span: Span) {
        var s = span
        // Sites, countries or provinces, a place of 100,000 people or more among the candidates
        // (the first 500 of a very common key): read once for both weighings.
        let kinds = gazetteer.candidateKinds(s.ids.prefix(500))
        if s.exactPending {
            s.exactPending = false
            var first = weighed(s, assumingExact: true, kinds: kinds)
            if first.evidence < Self.threshold { return }
            s.exact = exactlyNamed(s.nameText, key: s.key, ids: s.ids)
            // With an exact spelling the weighing assumed what is so: the same span.
            if !s.exact.isEmpty {
                first.exact = s.exact
                spans.append(first)
                return
            }
        }
        let weighedSpan = weighed(s, assumingExact: false, kinds: kinds)
        if weighedSpan.evidence >= Self.threshold { spans.append(weighedSpan) }
    }

    /// `span` with its recognition evidence and notes (`assumingExact`: as if it had an exact spelling).
    /// `kinds`: `Gazetteer.candidateKinds` of the span's first 500 candidates.
    func weighed(_ span: Span, assumingExact: Bool, kinds: (curated: Bool, countryOrProvince: Bool, large: Bool)) -> Span {
        var s = span
        let hasExact = assumingExact || !s.exact.isEmpty
        let i = s.firstToken
        // The name's first word that is not an article ("Qaim" in "al-Qaim"): word-level evidence
        // (capitals, stop and common words) is read there.
        var head = i
        while head < s.lastToken, isArticle(head) { head += 1 }
        let single = nameTokenCount(s) == 1
        let h = hash(head)
        // One pass over the candidates (the first 500 of a very common key): sites, countries or
        // provinces, a place of 100,000 people or more among them.
        let (curated, countryOrProvince, large) = kinds
        var e = 0.5
        var notes: [String] = []
        let explain = self.explain
        func note(_ text: @autoclosure () -> String) { if explain { notes.append(text()) } }
        let capital = shape(head).contains(.capitalized) && !shape(head).contains(.allCaps)
        if shape(i).contains(.arabic) {
            e += 0.3
            note("Arabic script")
        } else if capital && !sentenceInitial[i] && !headline[i] {
            e += 0.25
            note("capitalised")
        }
        if !single {
            e += 0.25
            note("\(nameTokenCount(s)) words")
        }
        if hasExact {
            e += 0.1
            note("known spelling")
        } else if single {
            // A single word spelt unlike any name ("Jim" for Jimma, "Sarah" for Sarh) shares only
            // the folded key; short keys share it by chance.
            e -= s.key.count <= 5 ? 0.3 : 0.15
        }
        if s.kindText != nil {
            e += 0.4
            note("kind word '\(s.kindText!)'")
        }
        let before = i - 1
        if before >= 0, gaps[i].subtracting([.space]).isEmpty || gaps[i] == [.space, .quote] {
            if has(before, .prepositions) {
                e += 0.2
                note("after '\(tokens.foldedWord(before))'")
                // "the town of X", "province of X"
                if hash(before) == lexicon.of, before >= 1, gaps[before].joinsName, has(before - 1, .placeNouns) {
                    e += 0.2
                    if let phrase = kindPhrase(at: before - 1), s.kinds.isEmpty {
                        s.kinds = phrase.kinds
                        s.kindText = phrase.text + " of"
                    }
                }
            }
        }
        if curated {
            e += countryOrProvince ? 0.3 : 0.15
            note(countryOrProvince ? "country or province" : "curated site")
        }
        // Against: stop words, common words without capital evidence, parts of other names.
        if single, has(head, .stopWords), s.kindText == nil {
            e -= 1
            note("stop word")
        }
        let common = single && (has(head, .commonWords) || lowercaseWords.contains(h))
        if common, !countryOrProvince {
            let strong = (capital && !sentenceInitial[i] && !headline[i]) || s.kindText != nil
            e -= strong ? 0.25 : 0.6
            note(lowercaseWords.contains(h) ? "also written in lowercase here" : "common word")
        }
        if shape(i).contains(.allCaps), !isDocumentStart || i > 12, !countryOrProvince, single, s.kindText == nil {
            e -= 0.5  // acronyms: "ISIS", "NATO", "SDF" (datelines are handled apart)
            note("in capitals")
        }
        if before >= 0, gaps[i] == .space, shape(before).contains(.capitalized), !sentenceInitial[before], !headline[i],
           !has(before, .prepositions), !has(before, .demonym), hash(before) != lexicon.the,
           lexicon.regionAdjectives[hash(before)] == nil, spans.last?.lastToken != before, !curated || single
        {
            e -= large && !common && hasExact ? 0.2 : 0.45
            note("after the capitalised word '\(tokens.foldedWord(before))'")
        } else if single, !curated, personLike.contains(h) {
            e -= 0.45
            note("also the second of two capitalised words here (a name)")
        }
        // Very short words ("R", "T", "Wa") are initials or abbreviations, not places.
        if single, !curated, !shape(i).contains(.arabic), t[s.lastToken].end - t[i].start <= 2 || nameTokenCount(s) == 1 && s.nameEnd - s.nameStart <= 2 {
            e -= 1
            note("too short")
        }
        // Part of a hyphenated compound with another capitalised word ("Wal-Mart", "Tri-State").
        if single, !countryOrProvince, s.lastToken + 1 < t.count, gaps[s.lastToken + 1] == .hyphen, shape(s.lastToken + 1).contains(.capitalized) {
            e -= 0.5
            note("part of a hyphenated name")
        }
        if single, !countryOrProvince, i >= 1, gaps[i] == .hyphen, shape(i - 1).contains(.capitalized) {
            e -= 0.5
            note("part of a hyphenated name")
        }
        // "The city", "The state": a kind word is not a name.
        if !single || h == lexicon.the, (i...s.lastToken).allSatisfy({ hash($0) == lexicon.the || !shape($0).contains(.capitalized) || has($0, .kindWord) }),
           (i...s.lastToken).contains(where: { has($0, .kindWord) }), !shape(i).contains(.arabic)
        {
            e -= 1
            note("only a kind word")
        }
        if lexicon.stopPhrases.contains(s.key) {
            e -= 1
            note("institution")
        }
        // Before a capitalised word: part of a longer proper name ("Human Rights", "Quds Force",
        // "Washington Post"), unless that word is a kind word or starts another place.
        let next = s.lastToken + 1
        if single, next < t.count, gaps[next] == .space, shape(next).contains(.capitalized), !shape(next).contains(.allCaps), !headline[i],
           kindPhrase(at: next) == nil, !has(next, .demonym), !has(next, .personTitles),
           !countryOrProvince || has(next, .stopWords)
        {
            // A big place keeps its name inside an organisation's ("Winnipeg Free Press").
            // ... but never inside an organisation's ("Quds Force", "Palestine Street").
            let organisation = has(next, .stopWords) && !has(next, .landmarkWords)
            let landmark = has(next, .landmarkWords) || large && !common && hasExact
            e -= organisation ? 0.5 : landmark ? 0.1 : 0.4
            note("before '\(tokens.foldedWord(next))'")
        }
        // "Biden said", "Austin told": a person or an organisation speaks (big places and
        // countries speak for their governments and stay).
        if next < t.count, gaps[next] == .space, has(next, .speechVerbs), !countryOrProvince,
           !s.ids.contains(where: { gazetteer.entries[Int($0)].population >= 500_000 })
        {
            e -= 0.3
            note("before '\(tokens.foldedWord(next))'")
        }
        s.evidence = e
        s.notes = notes
        return s
    }

    mutating func accept(_ span: Span) {
        var s = span
        s.evidence = 1
        s.notes = ["curated site after a title word"]
        spans.append(s)
    }

    func nameTokenCount(_ s: Span) -> Int {
        // Words of the name, not counting articles and connectors ("al-Shuhada" is one word).
        var n = 0
        for k in s.firstToken...s.lastToken where Int(t[k].end) <= s.nameEnd && !has(k, .nameConnectors) { n += 1 }
        return max(1, n)
    }

    // MARK: phrases

    /// Reads the relative phrase before each span: "20 km east of", "north of", "near",
    /// "outskirts of", "eastern".
    mutating func findRelations() {
        for index in spans.indices {
            let i = spans[index].firstToken
            guard spans[index].relation == nil, i >= 1 else { continue }
            let g = gaps[i]
            guard g.subtracting([.space]).isEmpty else { continue }
            var j = i - 1
            let hj = hash(j)
            // "eastern Syria", "north-eastern Syria", "northeast Syria" (a direction word right
            // before a country or province).
            let bareDirection = has(j, .direction) && t[j].end - t[j].start >= 4 && spans[index].ids.contains { gazetteer.entries[Int($0)].kind == .country || gazetteer.entries[Int($0)].kind == .province }
            if has(j, .regionAdjective) || bareDirection, !shape(j).contains(.capitalized) || sentenceInitial[j] {
                var azimuth = lexicon.regionAdjectives[hj] ?? lexicon.directions[hj].map { Optional($0) } ?? nil
                var first = j
                if j >= 1, gaps[j] == .hyphen, has(j - 1, .direction), let a = lexicon.directions[hash(j - 1)], let b = azimuth {
                    azimuth = (a == 0 && b == 270) ? 315 : (a + b) / 2
                    first = j - 1
                }
                spans[index].relation = RelationPhrase(text: text(Int(t[first].start), Int(t[j].end)), distanceMeters: nil, azimuthDegrees: azimuth, regional: true)
                spans[index].start = Int(t[first].start)
                continue
            }
            if has(j, .nearWords) {
                spans[index].relation = RelationPhrase(text: text(Int(t[j].start), Int(t[j].end)), distanceMeters: nil, azimuthDegrees: nil, regional: false)
                continue
            }
            guard hj == lexicon.of || hash(j) == lexicon.to, j >= 1, gaps[j].subtracting([.space]).isEmpty else { continue }
            let ofIndex = j
            j -= 1
            if has(j, .nearWords) {  // "outskirts of", "close to", "vicinity of"
                spans[index].relation = RelationPhrase(text: text(Int(t[j].start), Int(t[ofIndex].end)), distanceMeters: nil, azimuthDegrees: nil, regional: false)
                continue
            }
            guard hash(ofIndex) == lexicon.of else { continue }
            // A direction: "east", "northeast", "north-east", "north east".
            guard var azimuth = lexicon.directions[hash(j)], !shape(j).contains(.allCaps) else { continue }
            var first = j
            if j >= 1, let a = lexicon.directions[hash(j - 1)], gaps[j].joinsName, t[j - 1].end - t[j - 1].start >= 4, t[j].end - t[j].start >= 4 {
                azimuth = (a == 0 && azimuth == 270) ? 315 : (a + azimuth) / 2  // north-east 45, south-west 225, north-west 315
                first = j - 1
            }
            var distance: Double?
            var phraseStart = first
            // "20 km", "20km", "2.5 kilometres", "twenty miles"
            if first >= 1, let unit = lexicon.units[hash(first - 1)] {
                let u = first - 1
                if u >= 1, shape(u - 1).contains(.digits), gaps[u].subtracting([.space]).isEmpty {
                    var value = Double(tokens.foldedWord(u - 1)) ?? 0
                    phraseStart = u - 1
                    if u >= 3, gaps[u - 1] == .period, shape(u - 2).contains(.digits), let whole = Double(tokens.foldedWord(u - 2) + "." + tokens.foldedWord(u - 1)) {
                        value = whole
                        phraseStart = u - 2
                    }
                    distance = value * unit
                } else if u >= 1, let value = lexicon.numberWords[hash(u - 1)] {
                    distance = value * unit
                    phraseStart = u - 1
                }
            } else if first >= 1 {
                let word = tokens.foldedWord(first - 1)
                if let split = word.firstIndex(where: { !$0.isNumber && $0 != "." }), split > word.startIndex,
                   let value = Double(word[..<split]), let unit = lexicon.units[TextTokens.foldHash(String(word[split...]))]
                {
                    distance = value * unit
                    phraseStart = first - 1
                }
            }
            spans[index].relation = RelationPhrase(text: text(Int(t[phraseStart].start), Int(t[ofIndex].end)), distanceMeters: distance,
                                                   azimuthDegrees: azimuth, regional: false)
        }
    }

    /// "the Iraq–Syria border", "Iraq-Syria border", "Syrian-Iraqi border", "the border between
    /// Iraq and Syria".
    mutating func findBorders() {
        findRelations()
        let n = t.count
        let entries = gazetteer.entries
        // The span starting at each word (-1: none; the last of several, as a dictionary keeps it).
        var spanAt = [Int](repeating: -1, count: n)
        func index() {
            for k in spanAt.indices { spanAt[k] = -1 }
            for (index, s) in spans.enumerated() { spanAt[s.firstToken] = index }
        }
        index()
        func countryCode(_ i: Int) -> (String, Int)? {
            if has(i, .demonym), let code = lexicon.demonyms[hash(i)], shape(i).contains(.capitalized) { return (code, i) }
            if spanAt[i] >= 0 {
                let span = spans[spanAt[i]]
                if let code = span.forcedCountry { return (code, span.lastToken) }
                if let c = span.ids.suffix(4).lazy.map({ entries[Int($0)] }).first(where: { $0.kind == .country }) { return (c.country, span.lastToken) }
            }
            return nil
        }
        var i = 0
        while i < n {
            guard !classes[i].isDisjoint(with: [.demonym, .borderWords]) || spanAt[i] >= 0 else {
                i += 1
                continue
            }
            if let (a, lastA) = countryCode(i), lastA + 2 < n, gaps[lastA + 1].contains(.hyphen) || gaps[lastA + 1].contains(.dash) || gaps[lastA + 1].contains(.slash),
               let (b, lastB) = countryCode(lastA + 1), lastB + 1 < n, has(lastB + 1, .borderWords), a != b
            {
                let start = Int(t[i].start), end = Int(t[lastB + 1].end)
                borders.append(BorderPhrase(start: start, end: end, text: text(start, end), countries: (a, b)))
                spans.removeAll { $0.firstToken >= i && $0.lastToken <= lastB }
                index()
                i = lastB + 2
                continue
            }
            // "border between X and Y"
            if has(i, .borderWords), i + 3 < n, hash(i + 1) == lexicon.between, let (a, lastA) = countryCode(i + 2),
               lastA + 2 < n, hash(lastA + 1) == lexicon.and, let (b, lastB) = countryCode(lastA + 2), a != b
            {
                let start = Int(t[i].start), end = Int(t[lastB].end)
                borders.append(BorderPhrase(start: start, end: end, text: text(start, end), countries: (a, b)))
                spans.removeAll { $0.firstToken >= i + 2 && $0.lastToken <= lastB }
                index()
                i = lastB + 1
                continue
            }
            i += 1
        }
    }

    /// Datelines at the top of the document: "BAGHDAD (AP) —", "ERBIL, Kurdistan Region -",
    /// "Beirut, Lebanon (Reuters) -".
    mutating func markDatelines() {
        guard !t.isEmpty else { return }
        var lineStart = 0
        var lines = 0
        while lineStart < t.count {
            // Near the top any capitalised line start may be a dateline; further down only one in capitals.
            let top = isDocumentStart && lines < 8 && lineStart < 80
            if !top && !shape(lineStart).contains(.allCaps) {
                var next = lineStart + 1
                while next < t.count, !gaps[next].contains(.newline) { next += 1 }
                lineStart = next
                lines += 1
                continue
            }
            var lineEnd = lineStart + 1
            while lineEnd < t.count, !gaps[lineEnd].contains(.newline) { lineEnd += 1 }
            if shape(lineStart).contains(.allCaps) || shape(lineStart).contains(.capitalized) {
                // Words up to a dash or an agency in parentheses, within the first eight words.
                var k = lineStart + 1
                var found: Int?
                while k < min(lineEnd, lineStart + 9) {
                    let g = gaps[k]
                    if g.contains(.dash) || g.contains(.paren) && k + 1 < lineEnd && shape(k).contains(.allCaps) || g.contains(.paren) && shape(k).contains(.capitalized) {
                        found = k
                        break
                    }
                    if g.contains(.period) || g.contains(.stop) { break }
                    k += 1
                }
                if let stop = found, shape(lineStart).contains(.allCaps) || lineStart + 4 >= stop {
                    let end = Int(t[stop].start)
                    var any = false
                    for index in spans.indices where spans[index].start >= Int(t[lineStart].start) && spans[index].end <= end {
                        spans[index].role = .dateline
                        if explain { spans[index].notes.append("dateline") }
                        any = true
                    }
                    // A dateline in capitals that failed the evidence test: try again.
                    if !any, shape(lineStart).contains(.allCaps), let span = longestName(at: lineStart), span.end <= end {
                        var s = span
                        s.role = .dateline
                        s.evidence = 1
                        s.notes = ["dateline"]
                        spans.removeAll { $0.firstToken == lineStart }
                        spans.insert(s, at: 0)
                        any = true
                    }
                    if any && top { return }
                }
            }
            lineStart = lineEnd
            lines += 1
        }
    }

    /// Places that only locate a speaker or an institution: "a Pentagon spokesman in
    /// Washington", "the London-based monitor", "the embassy in Baghdad".
    mutating func markContext() {
        for index in spans.indices where spans[index].role == .place && spans[index].relation == nil {
            let s = spans[index]
            if followedByHyphenBased(s.lastToken) {
                spans[index].role = .context
                if explain { spans[index].notes.append("'-based'") }
                continue
            }
            let i = s.firstToken
            guard i >= 2, hash(i - 1) == lexicon.in else { continue }
            var j = i - 2
            while j >= max(0, i - 5) {
                if gaps[j + 1].contains(.period) || gaps[j + 1].contains(.stop) { break }
                if has(j, .speakerNouns) {
                    spans[index].role = .context
                    if explain { spans[index].notes.append("locates '\(tokens.foldedWord(j))'") }
                    break
                }
                j -= 1
            }
        }
    }
}
