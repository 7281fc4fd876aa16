import Foundation
import GeoEvents

/// The words of a report, cut once and shared by the actor and event-wording searches.
///
/// The words and their folding are those of `TextWord.split` (GeoEvents): letters, digits and
/// combining marks, an apostrophe inside a word, a split between ASCII digits and letters;
/// ASCII words are lower-cased without apostrophes by hand, other words are folded as the
/// vocabularies fold (`PhraseKey.words`). A word whose folding is empty is left out.
/// `ReportWordsTests` checks that searches over these words find exactly what
/// `ActorList.mentions(in:)` and `EventTypeVocabulary.mentions(in:)` find.
struct ReportWords {
    struct Word {
        /// Offsets in Unicode scalars, end exclusive.
        var start: Int
        var end: Int
        /// Folded as `TextWord.folded` (may hold spaces for a non-ASCII word).
        var folded: String
        var isASCII: Bool
        /// `WordFilter.hash(folded)` of an ASCII word, made while it is read (0 for other words).
        var filterHash: Int = 0
    }

    var words: [Word] = []

    init(_ s: [Unicode.Scalar]) {
        words.reserveCapacity(s.count / 5)
        var i = 0
        let n = s.count
        var lastWasDigit = false
        var start = -1  // start of the current word, -1 when none
        var ascii = true
        /// Letters and digits of the current ASCII word (its apostrophes left out).
        var letters = 0
        var hash = WordFilter.seed
        func flush(_ end: Int) {
            guard start >= 0 else { return }
            if ascii {
                if letters > 0 {
                    // The folding written straight into the string: the word's scalars but its
                    // apostrophes, ASCII capitals lowered.
                    let first = start
                    let folded = s.withUnsafeBufferPointer { b in
                        String(unsafeUninitializedCapacity: letters) { out in
                            var k = 0
                            for j in first..<end {
                                let v = b[j].value
                                if v == 39 || v == 96 { continue }
                                out[k] = UInt8(v >= 65 && v <= 90 ? v + 32 : v)
                                k += 1
                            }
                            return k
                        }
                    }
                    words.append(Word(start: start, end: end, folded: folded, isASCII: true, filterHash: WordFilter.finish(hash)))
                }
            } else {
                let written = ScalarText.string(s, start..<end)
                let folded = PhraseKey.words(written).joined(separator: " ")
                if !folded.isEmpty { words.append(Word(start: start, end: end, folded: folded, isASCII: false)) }
            }
            start = -1
            ascii = true
            letters = 0
            hash = WordFilter.seed
        }
        while i < n {
            let c = s[i]
            let v = c.value
            if v < 128 {
                let isLetter = (v | 0x20) >= 97 && (v | 0x20) <= 122
                let isDigit = v >= 48 && v <= 57
                let isApostrophe = v == 39 || v == 96
                if isLetter || isDigit || (isApostrophe && start >= 0) {
                    if start >= 0 && !isApostrophe && isDigit != lastWasDigit { flush(i) }
                    if start < 0 { start = i }
                    if !isApostrophe {
                        letters += 1
                        hash = WordFilter.step(hash, UInt8(v >= 65 && v <= 90 ? v + 32 : v))
                        lastWasDigit = isDigit
                    }
                } else {
                    flush(i)
                }
            } else {
                let props = c.properties
                let isApostrophe = c == "\u{2019}" || c == "\u{2018}" || c == "\u{02BC}" || c == "\u{02BF}" || c == "\u{02BE}"
                let isMark = props.generalCategory == .nonspacingMark
                if props.isAlphabetic || props.numericType != nil || isMark || (isApostrophe && start >= 0) {
                    // Non-ASCII digits do not count as digits for the split (as `TextWord.split`).
                    if start >= 0 && !isApostrophe && lastWasDigit && !isMark { flush(i) }
                    if start < 0 { start = i }
                    ascii = false
                    if !isApostrophe { lastWasDigit = false }
                } else {
                    flush(i)
                }
            }
            i += 1
        }
        flush(n)
    }
}

/// A set of short strings as bits of a hash (FNV-1a of the UTF-8 bytes, 2^16 bits): "no" is
/// sure, "maybe" is then asked of the exact set. Most words of a report are no first word of
/// any key; this answers them without hashing a `String`.
struct WordFilter: Sendable {
    private var bits = [UInt64](repeating: 0, count: 1 << 10)

    init(_ words: some Sequence<String>) {
        for w in words {
            let h = Self.hash(w)
            bits[h >> 6] |= 1 << UInt64(h & 63)
        }
    }

    @inline(__always) static func hash(_ word: String) -> Int {
        var h = seed
        for b in word.utf8 { h = step(h, b) }
        return finish(h)
    }

    /// `hash` one byte at a time: `finish` of `step` over the bytes from `seed`.
    static let seed: UInt32 = 2_166_136_261
    @inline(__always) static func step(_ h: UInt32, _ b: UInt8) -> UInt32 { (h ^ UInt32(b)) &* 16_777_619 }
    @inline(__always) static func finish(_ h: UInt32) -> Int { Int((h ^ (h >> 16)) & 0xFFFF) }

    @inline(__always) func mayContain(_ word: String) -> Bool { mayContain(hash: Self.hash(word)) }

    /// `mayContain` of a word whose `hash` is known.
    @inline(__always) func mayContain(hash h: Int) -> Bool {
        bits[h >> 6] & (1 << UInt64(h & 63)) != 0
    }
}

/// A vocabulary entry named in the text (as GeoEvents' `TextMention`, whose initialiser is internal there).
struct FoundPhrase<Entry: Hashable & Sendable>: Hashable, Sendable {
    var entry: Entry
    /// Offsets in Unicode scalars, end exclusive.
    var start: Int
    var end: Int
    /// The words as written.
    var text: String
}

/// The vocabularies' phrase tables, keyed as `ActorList` and `EventTypeVocabulary` key them, built
/// once per extractor from their public entries so that a report's words are looked up without
/// splitting the text again.
struct PhraseTables: Sendable {
    /// Actor key (words of `PhraseKey.actorWords` joined by spaces) → entry number.
    let actorIndex: [String: Int]
    let actorFirstWords: Set<String>
    /// Event wording key (`PhraseKey.eventWords`) → entry number.
    let eventIndex: [String: Int]
    let eventFirstWords: Set<String>
    /// Every key cut before one of its spaces, and the key itself: a run of words whose key is
    /// not in here starts no longer key either.
    let actorPrefixes: Set<String>
    let eventPrefixes: Set<String>
    /// ASCII words whose singular (`PhraseKey.singular`) can be an event key's first word: the
    /// first words and those words with "s", "es" after them ("strikes", "crashes").
    let eventFirstCandidates: Set<String>
    /// `actorFirstWords` and `eventFirstCandidates` as bit filters.
    let actorFirstFilter: WordFilter
    let eventFirstFilter: WordFilter

    /// `key` cut before each of its spaces, and `key`.
    static func prefixes(_ key: String) -> [String] {
        var result = [key]
        var scalars = String.UnicodeScalarView()
        for c in key.unicodeScalars {
            if c == " " { result.append(String(scalars)) }
            scalars.append(c)
        }
        return result
    }

    init(actors: ActorList, vocabulary: EventTypeVocabulary) {
        var byKey: [String: Int] = [:]
        for (i, entry) in actors.entries.enumerated() {
            for spelling in [entry.name] + entry.aliases where !spelling.isEmpty {
                byKey[PhraseKey.actorWords(spelling).joined(separator: " ")] = i
            }
        }
        for (i, entry) in actors.entries.enumerated() where !entry.acledName.isEmpty {
            let key = PhraseKey.actorWords(entry.acledName).joined(separator: " ")
            if byKey[key] == nil { byKey[key] = i }
        }
        actorIndex = byKey
        actorFirstWords = Set(byKey.keys.compactMap { $0.split(separator: " ").first.map(String.init) })
        var events: [String: Int] = [:]
        var first: Set<String> = []
        for (i, entry) in vocabulary.entries.enumerated() {
            let words = PhraseKey.eventWords(entry.wording)
            events[words.joined(separator: " ")] = i
            if let w = words.first { first.insert(w) }
        }
        eventIndex = events
        eventFirstWords = first
        actorPrefixes = Set(byKey.keys.flatMap(Self.prefixes))
        eventPrefixes = Set(events.keys.flatMap(Self.prefixes))
        eventFirstCandidates = first.union(first.map { $0 + "s" }).union(first.map { $0 + "es" })
        actorFirstFilter = WordFilter(actorFirstWords)
        eventFirstFilter = WordFilter(eventFirstCandidates)
    }

    /// The actors named in the words, as `ActorList.mentions(in:)`: at each word that starts a
    /// key, the keys of 1 to 8 words are built one word longer at a time while they are still the
    /// start of some key (`actorPrefixes`), and the longest found is taken.
    func actorMentions(_ r: ReportWords, _ s: [Unicode.Scalar], _ list: ActorList) -> [FoundPhrase<ActorList.Entry>] {
        let words = r.words
        var cache = [String?](repeating: nil, count: words.count)
        func key(_ k: Int) -> String {
            if let known = cache[k] { return known }
            let w = words[k]
            let made = w.isASCII ? (w.folded == "al" || w.folded == "el" || w.folded == "the" ? "" : w.folded)
                : w.folded.split(separator: " ").filter { $0 != "al" && $0 != "el" && $0 != "the" }.joined(separator: " ")
            cache[k] = made
            return made
        }
        var found: [FoundPhrase<ActorList.Entry>] = []
        var candidates: [(entry: Int, length: Int, key: String)] = []
        var i = 0
        while i < words.count {
            // An ASCII word's key is its folding (or empty): most are no first word.
            if words[i].isASCII && !actorFirstFilter.mayContain(hash: words[i].filterHash) { i += 1; continue }
            let k = key(i)
            if k.isEmpty || !actorFirstWords.contains(words[i].isASCII ? k : String(k.split(separator: " ").first ?? "")) { i += 1; continue }
            candidates.removeAll(keepingCapacity: true)
            var joined = ""
            for length in 1...min(8, words.count - i) {
                let next = key(i + length - 1)
                if !next.isEmpty { joined = joined.isEmpty ? next : joined + " " + next }
                guard !joined.isEmpty else { continue }
                var lookup = joined
                if lookup.hasSuffix(" s") { lookup = String(lookup.dropLast(2)) }
                if let entry = actorIndex[lookup] { candidates.append((entry, length, lookup)) }
                if !actorPrefixes.contains(joined) { break }
            }
            var best: (entry: Int, length: Int)?
            for (entry, length, key) in candidates.reversed() {
                if key.count <= 4 {
                    let written = words[i..<(i + length)].map { ScalarText.string(s, $0.start..<$0.end) }.joined(separator: " ")
                    if written.contains(where: \.isLowercase) { continue }
                }
                best = (entry, length)
                break
            }
            if let best {
                let first = words[i], last = words[i + best.length - 1]
                found.append(FoundPhrase(entry: list.entries[best.entry], start: first.start, end: last.end,
                                         text: ScalarText.string(s, first.start..<last.end)))
                i += best.length
            } else {
                i += 1
            }
        }
        return found
    }

    /// `PhraseKey.singular` of a folded ASCII word (letters and digits only, so one byte is one
    /// `Character`), read on its bytes instead of by `Character`.
    static func asciiSingular(_ word: String) -> String {
        var word = word
        return word.withUTF8 { b -> String? in
            let n = b.count
            guard n >= 4, b[n - 1] == 0x73 else { return nil }  // "s"
            let c2 = b[n - 2], c3 = b[n - 3], c4 = b[n - 4]
            // "sses", "shes", "xes": two letters off.
            if c2 == 0x65 && (c3 == 0x73 && c4 == 0x73 || c3 == 0x68 && c4 == 0x73 || c3 == 0x78) {
                return String(decoding: UnsafeBufferPointer(rebasing: b[0..<(n - 2)]), as: UTF8.self)
            }
            // "ss", "us", "is": kept.
            if c2 == 0x73 || c2 == 0x75 || c2 == 0x69 { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: b[0..<(n - 1)]), as: UTF8.self)
        } ?? word
    }

    /// The event wordings named in the words, as `EventTypeVocabulary.mentions(in:)` (the longest
    /// key of 1 to 6 words, built as in `actorMentions`).
    func eventMentions(_ r: ReportWords, _ s: [Unicode.Scalar], _ vocabulary: EventTypeVocabulary) -> [FoundPhrase<EventTypeVocabulary.Entry>] {
        let words = r.words
        var cache = [String?](repeating: nil, count: words.count)
        func key(_ k: Int) -> String {
            if let known = cache[k] { return known }
            let w = words[k]
            let made = w.isASCII ? (w.folded == "s" ? "" : Self.asciiSingular(w.folded))
                : w.folded.split(separator: " ").map(String.init).filter { $0 != "s" }.map(PhraseKey.singular).joined(separator: " ")
            cache[k] = made
            return made
        }
        var found: [FoundPhrase<EventTypeVocabulary.Entry>] = []
        var i = 0
        while i < words.count {
            // A word is looked up as a first word before it is made singular (most words are none).
            let w = words[i]
            if w.isASCII && !(eventFirstFilter.mayContain(hash: w.filterHash) && eventFirstCandidates.contains(w.folded)) { i += 1; continue }
            let k = key(i)
            if !eventFirstWords.contains(w.isASCII ? k : String(k.split(separator: " ").first ?? "")) { i += 1; continue }
            var matched: (Int, Int)?
            var joined = ""
            for length in 1...min(6, words.count - i) {
                let next = key(i + length - 1)
                if !next.isEmpty { joined = joined.isEmpty ? next : joined + " " + next }
                guard !joined.isEmpty else { continue }
                if let entry = eventIndex[joined] { matched = (entry, length) }
                if !eventPrefixes.contains(joined) { break }
            }
            if let (entry, length) = matched {
                let first = words[i], last = words[i + length - 1]
                found.append(FoundPhrase(entry: vocabulary.entries[entry], start: first.start, end: last.end,
                                         text: ScalarText.string(s, first.start..<last.end)))
                i += length
            } else {
                i += 1
            }
        }
        return found
    }
}
