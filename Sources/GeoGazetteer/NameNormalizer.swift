import Foundation

/// Turns place names into match keys that survive the usual variation in transliterated Arabic
/// (and Kurdish, Turkish, Persian) names.
///
/// `key` folds: case and diacritics (ā ḩ ţ → a h t), apostrophes and ayn/hamza marks (‘ ’ ʿ ʾ),
/// hyphens and spaces; drops the article and its assimilated forms (al-, el-, ad-, ash-, as-,
/// at-, az-, ar-, an-, ez-… and a glued `Ezzor` → `zor`); maps Abu/Albu/Bou to `bu`; and folds
/// vowel spellings (ou/oo → u, ee → i, ay/ey/ei → ai, aw → u, o → u, e → i), q → k, doubled
/// letters, and the endings -ah/-eh → -a, -y → -i. Arabic script: alef forms → ا, taa marbuta
/// → ه, alef maqsura → ي, vowel marks and tatweel dropped, the article ال dropped.
/// `Boukamal`, `Albu Kamal`, `Abu Kamal` and `Al-Bukamal` all give `bukamal`; `Deir ez-Zor`,
/// `Deir Ezzor`, `Dayr az-Zawr` and `Deir al-Zour` give `dairzur`. Names in other scripts
/// (Cyrillic, CJK, …) have no key: they match exactly or not at all.
///
/// `skeleton` keeps only the consonants of a key (`rbl` for Erbil, Irbil and Arbil), a weaker
/// key for a second pass.
public enum NameNormalizer {
    typealias Word = [UInt32]

    /// Bump whenever `key` changes what it returns: precomputed name indexes built by another
    /// version are then ignored.
    static let version = 1

    static let articles: Set<Word> = Set([
        "al", "el", "il", "ul", "ad", "ed", "adh", "ath", "ash", "esh", "as", "es", "at", "et", "az", "ez",
        "ar", "er", "an", "en", "ud",
    ].map { Word($0.unicodeScalars.map(\.value)) })

    /// Latin letters with diacritics (U+00C0–U+024F, U+1E00–U+1EFF) → lowercase ASCII,
    /// computed once from Unicode's canonical decompositions.
    static let latinFolding: [UInt32: Word] = {
        var table: [UInt32: Word] = [:]
        let ranges: [ClosedRange<UInt32>] = [0xC0...0x24F, 0x1E00...0x1EFF]
        for v in ranges.joined() {
            guard let scalar = Unicode.Scalar(v) else { continue }
            let decomposed: [UInt32] = String(scalar).decomposedStringWithCanonicalMapping.lowercased().unicodeScalars.map(\.value)
            let base: [UInt32] = decomposed.filter { x in (0x61...0x7A).contains(x) || (0x30...0x39).contains(x) }
            if !base.isEmpty { table[v] = base }
        }
        let extra: [(UInt32, String)] = [(0x131, "i"), (0xF8, "o"), (0xD8, "o"), (0x142, "l"), (0x141, "l"), (0x111, "d"), (0x110, "d"),
                                         (0xDF, "ss"), (0xE6, "ae"), (0xC6, "ae"), (0x153, "oe"), (0x152, "oe"), (0xFE, "th"), (0xF0, "d")]
        for (v, s) in extra { table[v] = s.unicodeScalars.map(\.value) }
        return table
    }()

    /// Words of a name: lowercase ASCII or normalised Arabic; nil when the name uses another
    /// script (it then has no key).
    static func scalarWords(_ text: String) -> [Word]? {
        var words: [Word] = []
        var current: Word = []
        current.reserveCapacity(16)
        for scalar in text.unicodeScalars {
            let v = scalar.value
            switch v {
            case 0x41...0x5A: current.append(v + 32)
            case 0x61...0x7A, 0x30...0x39: current.append(v)
            case 0x27, 0x60, 0xB4, 0x2BB, 0x2BC, 0x2BE, 0x2BF, 0x2018, 0x2019, 0x2032, 0x300...0x36F:
                continue  // apostrophes, ayn and hamza marks, combining diacritics
            case 0x64B...0x65F, 0x670, 0x640:
                continue  // Arabic vowel marks, superscript alef, tatweel
            case 0x622, 0x623, 0x625, 0x671: current.append(0x627)  // alef forms → alef
            case 0x629: current.append(0x647)  // taa marbuta → haa
            case 0x649: current.append(0x64A)  // alef maqsura → yaa
            case 0x620...0x64A, 0x660...0x669, 0x66E...0x6D3: current.append(v)
            case 0xC0...0x24F, 0x1E00...0x1EFF:
                if let folded = latinFolding[v] { current.append(contentsOf: folded) } else if !current.isEmpty {
                    words.append(current)
                    current.removeAll(keepingCapacity: true)
                }
            default:
                if v < 0x80 || (0x2000...0x206F).contains(v) || (0xA0...0xBF).contains(v) {
                    // Punctuation and spaces separate words.
                    if !current.isEmpty {
                        words.append(current)
                        current.removeAll(keepingCapacity: true)
                    }
                } else {
                    return nil  // another script
                }
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// Words of the folded name, for display and query parsing.
    public static func words(_ text: String) -> [String] {
        (scalarWords(text) ?? []).map { word in
            if word.allSatisfy({ $0 < 0x80 }) { return String(decoding: word.map { UInt8(truncatingIfNeeded: $0) }, as: UTF8.self) }
            return String(String.UnicodeScalarView(word.compactMap(Unicode.Scalar.init)))
        }
    }

    /// The match key of a name; "" when it has no letters or is in a script without keys.
    public static func key(_ text: String) -> String {
        guard var tokens = scalarWords(text), !tokens.isEmpty else { return "" }
        if tokens.count > 1 {
            let kept = tokens.filter { !articles.contains($0) }
            if !kept.isEmpty { tokens = kept }
        }
        var key: Word = []
        key.reserveCapacity(24)
        for (i, token) in tokens.enumerated() { fold(token, first: i == 0, into: &key) }
        // Collapse doubled letters.
        var out = String.UnicodeScalarView()
        var previous: UInt32 = 0
        for v in key where v != previous {
            out.append(Unicode.Scalar(v)!)
            previous = v
        }
        return String(out)
    }

    static let a: UInt32 = 0x61, e: UInt32 = 0x65, h: UInt32 = 0x68, i: UInt32 = 0x69, o: UInt32 = 0x6F, u: UInt32 = 0x75
    static let y: UInt32 = 0x79, w: UInt32 = 0x77, q: UInt32 = 0x71, k: UInt32 = 0x6B, c: UInt32 = 0x63, d: UInt32 = 0x64
    static let j: UInt32 = 0x6A, p: UInt32 = 0x70, f: UInt32 = 0x66, b: UInt32 = 0x62, l: UInt32 = 0x6C
    static let sunLetters: Set<UInt32> = Set("tdrzsnl".unicodeScalars.map(\.value))

    /// One word's folding, appended to `out`.
    static func fold(_ word: Word, first: Bool, into out: inout Word) {
        var t = word[...]
        if let f = t.first, f >= 0x600 {
            // Arabic: drop the article ال from words longer than it.
            if t.count > 3, t[t.startIndex] == 0x627, t[t.startIndex + 1] == 0x644 { t = t.dropFirst(2) }
            out.append(contentsOf: t)
            return
        }
        var s = Array(t)
        // Abu / Albu / Bou → bu.
        if s.starts(with: [a, l, b, u]) { s.removeFirst(2) } else if s.starts(with: [a, b, u]) { s.removeFirst(1) } else if s.starts(with: [b, o, u]) { s.remove(at: 1) }
        // A glued assimilated article on a later word: Ezzor → zor.
        if !first, s.count > 3, s[0] == e, sunLetters.contains(s[1]), s[1] == s[2] { s.removeFirst(2) }
        // Endings: -ah/-eh → -a, -y → -i.
        if s.count > 3, s[s.count - 1] == h, s[s.count - 2] == a || s[s.count - 2] == e {
            s.removeLast(2)
            s.append(a)
        }
        if s.count > 2, s[s.count - 1] == y { s[s.count - 1] = i }
        // Spellings of the same sound, left to right.
        var index = 0
        while index < s.count {
            let x = s[index], next = index + 1 < s.count ? s[index + 1] : 0
            switch (x, next) {
            case (o, u), (o, o):
                out.append(u)
                index += 2
            case (e, e):
                out.append(i)
                index += 2
            case (a, y), (e, y), (e, i):
                out.append(a)
                out.append(i)
                index += 2
            case (a, w):
                out.append(u)
                index += 2
            case (c, k):
                out.append(k)
                index += 2
            case (d, j):
                out.append(j)
                index += 2
            case (p, h):
                out.append(f)
                index += 2
            case (q, _):
                out.append(k)
                index += 1
            case (o, _):
                out.append(u)
                index += 1
            case (e, _):
                out.append(i)
                index += 1
            default:
                out.append(x)
                index += 1
            }
        }
    }

    static let vowels: Set<Character> = ["a", "e", "i", "o", "u", "y"]

    /// The consonants of a key, doubled letters collapsed ("" when shorter than 3, too weak).
    public static func skeleton(ofKey key: String) -> String {
        var out = ""
        var previous: Character?
        for ch in key where !vowels.contains(ch) && ch != previous {
            out.append(ch)
            previous = ch
        }
        return out.count >= 3 ? out : ""
    }
}
