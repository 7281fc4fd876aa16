/// Words of running text with their offsets, folded as the vocabularies fold (`PhraseKey`), for
/// finding actors and event wording in reports.
public struct TextWord: Hashable, Sendable {
    /// The word as written.
    public var text: String
    /// Folded: case, diacritics and apostrophes as `PhraseKey.words`.
    public var folded: String
    /// Offsets in Unicode scalars, end exclusive.
    public var start: Int
    public var end: Int

    /// The words of `text` (letters and digits; a digit–letter boundary splits, as in `PhraseKey`).
    public static func split(_ text: String) -> [TextWord] {
        var words: [TextWord] = []
        var current = String.UnicodeScalarView()
        var start = 0, index = 0
        var lastWasDigit = false
        func flush() {
            if !current.isEmpty {
                let written = String(current)
                // ASCII words fold by hand (lower case, no apostrophes); others through Foundation.
                let folded = current.allSatisfy(\.isASCII)
                    ? String(String.UnicodeScalarView(current.filter { $0 != "'" && $0 != "`" }.map { $0.value >= 65 && $0.value <= 90 ? Unicode.Scalar($0.value + 32)! : $0 }))
                    : PhraseKey.words(written).joined(separator: " ")
                words.append(TextWord(text: written, folded: folded, start: start, end: index))
            }
            current = String.UnicodeScalarView()
        }
        for scalar in text.unicodeScalars {
            let props = scalar.properties
            let isApostrophe = ["'", "\u{2019}", "\u{2018}", "\u{02BC}", "\u{02BF}", "\u{02BE}", "`"].contains(scalar)
            if props.isAlphabetic || props.numericType != nil || props.generalCategory == .nonspacingMark || (isApostrophe && !current.isEmpty) {
                let isDigit = props.numericType != nil && scalar.isASCII
                if !current.isEmpty && !isApostrophe && isDigit != lastWasDigit && props.generalCategory != .nonspacingMark { flush() }
                if current.isEmpty { start = index }
                current.append(scalar)
                if !isApostrophe { lastWasDigit = isDigit }
            } else {
                flush()
            }
            index += 1
        }
        flush()
        // A trailing apostrophe ("forces'") is not part of the word.
        return words.filter { !$0.folded.isEmpty }
    }
}

/// One place in a text where a vocabulary entry is named.
public struct TextMention<Entry: Hashable & Sendable>: Hashable, Sendable {
    public var entry: Entry
    /// Offsets in Unicode scalars, end exclusive.
    public var start: Int
    public var end: Int
    /// The words as written.
    public var text: String
}

extension ActorList {
    /// The actors named in running text, longest name first, without overlaps. Names and aliases
    /// of up to four letters written in capitals ("US", "IS", "KH", "IRI") match only in capitals,
    /// so "is" and "us" are never actors; longer names match in any case. ACLED's long names match
    /// too. A possessive ("Kata'ib Hezbollah's") still matches.
    public func mentions(in text: String) -> [TextMention<Entry>] {
        let words = TextWord.split(text)
        let allScalars = Array(text.unicodeScalars)
        // The actor key of a word from its folded form (the same folding as `PhraseKey.actorWords`).
        let keys = words.map { w in w.folded.split(separator: " ").filter { $0 != "al" && $0 != "el" && $0 != "the" }.joined(separator: " ") }
        let starts = phraseFirstWords
        var found: [TextMention<Entry>] = []
        var i = 0
        while i < words.count {
            // A mention starts at a name word that starts some name, not at "the"/"al".
            if keys[i].isEmpty || !starts.contains(String(keys[i].split(separator: " ").first ?? "")) { i += 1; continue }
            var best: (entry: Int, length: Int)?
            for length in stride(from: min(8, words.count - i), through: 1, by: -1) {
                let span = keys[i..<(i + length)].filter { !$0.isEmpty }
                guard !span.isEmpty else { continue }
                var key = span.joined(separator: " ")
                if key.hasSuffix(" s") { key = String(key.dropLast(2)) }  // a possessive's s
                guard let entry = phraseIndex[key] else { continue }
                let written = words[i..<(i + length)].map(\.text).joined(separator: " ")
                if key.count <= 4, written.contains(where: \.isLowercase) { continue }  // "is", "us", "Us"
                best = (entry, length)
                break
            }
            if let best {
                let first = words[i], last = words[i + best.length - 1]
                let scalars = allScalars[first.start..<last.end]
                found.append(TextMention(entry: entries[best.entry], start: first.start, end: last.end,
                                         text: String(String.UnicodeScalarView(scalars))))
                i += best.length
            } else {
                i += 1
            }
        }
        return found
    }
}

extension EventTypeVocabulary {
    /// The event wording named in running text ("a drone attack", "were shot down"), longest
    /// phrase first, without overlaps; each with its entry.
    public func mentions(in text: String) -> [TextMention<Entry>] {
        let words = TextWord.split(text)
        let allScalars = Array(text.unicodeScalars)
        // The event key of a word from its folded form (as `PhraseKey.eventWords`: singular, no lone "s").
        let keys = words.map { w in w.folded.split(separator: " ").map(String.init).filter { $0 != "s" }.map(PhraseKey.singular).joined(separator: " ") }
        let starts = wordingFirstWords
        var found: [TextMention<Entry>] = []
        var i = 0
        while i < words.count {
            if !starts.contains(String(keys[i].split(separator: " ").first ?? "")) { i += 1; continue }
            var matched: (Entry, Int)?
            for length in stride(from: min(6, words.count - i), through: 1, by: -1) {
                let key = keys[i..<(i + length)].filter { !$0.isEmpty }.joined(separator: " ")
                if !key.isEmpty, let entry = entry(forFoldedWording: key) { matched = (entry, length); break }
            }
            if let (entry, length) = matched {
                let first = words[i], last = words[i + length - 1]
                let scalars = allScalars[first.start..<last.end]
                found.append(TextMention(entry: entry, start: first.start, end: last.end, text: String(String.UnicodeScalarView(scalars))))
                i += length
            } else {
                i += 1
            }
        }
        return found
    }
}
