/// A query that names part of a province: the province's name with compass words or
/// "countryside" around it. "eastern Deir ez-Zor", "Deir ez-Zor countryside", "rural Idlib",
/// "the eastern Hama countryside", "countryside of Homs", "southern Hasakah province",
/// "ريف دير الزور الشرقي". Such a phrase resolves to the province itself at geo precision 3
/// (ACLED's rule for an area larger than a town), never to the town that shares the
/// province's name.
///
/// A rule, not a list: any province of the gazetteer works. Phrases that are names in their own
/// right ("Rural Damascus", "North Lebanon", curated regions such as "western Anbar") are
/// matched as whole names before this rule is tried.
struct RegionPhrase: Equatable {
    /// The words left once the modifiers are taken off (folded, joined by spaces): "deir ez zor".
    var core: String
    /// The compass point of a single direction word ("northern" → "north"), to try
    /// "north lebanon" as a name; nil for none or several.
    var compass: String?

    /// The phrase in `folded`, or nil when it has no modifier around a remaining name.
    init?(_ folded: NameNormalizer.FoldedWords) {
        guard folded.wordCount > 1 else { return nil }
        var words = folded.wordRanges.map { range in
            String(String.UnicodeScalarView(folded.scalars[range].compactMap(Unicode.Scalar.init)))
        }
        var directions: [String] = []
        var modified = false
        if words.first == "the" { words.removeFirst() }
        // Leading words: compass words, "rural" / "rif" / "ريف", "countryside of", Arabic
        // "شرق X" (east of X).
        while words.count > 1 {
            if let compass = Self.compassWords[words[0]] {
                directions.append(compass)
            } else if Self.ruralWords.contains(words[0]) || words[0] == "far" {
                // nothing to remember: the province is meant either way ("far eastern" too)
            } else if words[0] == "countryside", words.count > 2, words[1] == "of" {
                words.removeFirst()
            } else {
                break
            }
            words.removeFirst()
            modified = true
        }
        // Trailing words: "countryside", "rural areas", Arabic adjectives ("الشرقي").
        while words.count > 1 {
            if words.last == "countryside" || words.last == "countrysides" {
                words.removeLast()
            } else if let compass = Self.arabicAdjectives[words.last!] {
                directions.append(compass)
                words.removeLast()
            } else {
                break
            }
            modified = true
        }
        guard modified, !words.isEmpty else { return nil }
        core = words.joined(separator: " ")
        compass = directions.count == 1 ? directions[0] : nil
    }

    /// Compass words (English and Arabic "east of"), by their folded form → compass point.
    static let compassWords: [String: String] = {
        var table: [String: String] = [:]
        for point in ["north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"] {
            table[point] = point
            table[point + "ern"] = point  // northern, north-eastern (two words), southwestern …
        }
        // Not "central": "central Homs" is the city centre, not the governorate.
        for (arabic, point) in [("شرق", "east"), ("غرب", "west"), ("شمال", "north"), ("جنوب", "south")] {
            for word in NameNormalizer.words(arabic) { table[word] = point }
        }
        return table
    }()

    /// Words that mean the countryside of what follows.
    static let ruralWords: Set<String> = Set(["rural", "rif", "reef"] + NameNormalizer.words("ريف"))

    /// Arabic compass adjectives that follow the name ("ريف دير الزور الشرقي").
    static let arabicAdjectives: [String: String] = {
        var table: [String: String] = [:]
        for (arabic, point) in [("الشرقي", "east"), ("الغربي", "west"), ("الشمالي", "north"), ("الجنوبي", "south"),
                                ("الشرقية", "east"), ("الغربية", "west"), ("الشمالية", "north"), ("الجنوبية", "south")] {
            for word in NameNormalizer.words(arabic) { table[word] = point }
        }
        return table
    }()
}
