import GeoGazetteer

/// The word lists the recogniser reads, compared by folded hash (`TextTokens.foldHash`), so
/// that a word of the text is looked up without making a string. Words are given lowercase
/// and folded as the text is ("Kata’ib" → kataib).
struct Lexicon: Sendable {
    /// The lists a word is on, as bits: one dictionary lookup per word of the text.
    struct WordClass: OptionSet, Sendable {
        let rawValue: UInt32
        static let prepositions = WordClass(rawValue: 1 << 0)
        static let stopWords = WordClass(rawValue: 1 << 1)
        static let personTitles = WordClass(rawValue: 1 << 2)
        static let placeNouns = WordClass(rawValue: 1 << 3)
        static let speakerNouns = WordClass(rawValue: 1 << 4)
        static let nearWords = WordClass(rawValue: 1 << 5)
        static let commonWords = WordClass(rawValue: 1 << 6)
        static let abbreviations = WordClass(rawValue: 1 << 7)
        static let nameConnectors = WordClass(rawValue: 1 << 8)
        static let borderWords = WordClass(rawValue: 1 << 9)
        static let neverStart = WordClass(rawValue: 1 << 10)
        static let speechVerbs = WordClass(rawValue: 1 << 11)
        static let landmarkWords = WordClass(rawValue: 1 << 12)
        static let kindWord = WordClass(rawValue: 1 << 13)
        static let demonym = WordClass(rawValue: 1 << 14)
        static let direction = WordClass(rawValue: 1 << 15)
        static let regionAdjective = WordClass(rawValue: 1 << 16)
        static let unit = WordClass(rawValue: 1 << 17)
        static let numberWord = WordClass(rawValue: 1 << 18)
    }

    /// Folded hash → the lists the word is on.
    private(set) var classes: [UInt64: WordClass] = [:]

    /// Words that show a place follows: "in Mosul", "near Boukamal", "from Erbil".
    let prepositions: Set<UInt64>
    /// Single words that are gazetteer names but, alone, are not places in news text: months,
    /// weekdays, words that start names of organisations and ranks ("Guard", "Union",
    /// "Victory", "Police"), compass words, "Of". A kind word after them ("Victory base")
    /// still makes them a place.
    let stopWords: Set<UInt64>
    /// Titles that make the next capitalised words a person ("President Jordan", "Mr Paris").
    let personTitles: Set<UInt64>
    /// Demonyms and adjectives → country (ISO alpha-2): context, never a mention.
    let demonyms: [UInt64: String]
    /// Compass words → azimuth in degrees ("north" 0, "east" 90, "northeast" 45).
    let directions: [UInt64: Double]
    /// Region adjectives ("eastern Syria") → azimuth (nil for "central").
    let regionAdjectives: [UInt64: Double?]
    /// Distance units → metres per unit.
    let units: [UInt64: Double]
    /// Number words → value ("twenty km").
    let numberWords: [UInt64: Double]
    /// Kind words after or before a name, each with the kinds it asks for; multi-word
    /// phrases are matched word by word ("air base").
    let kindPhrases: [(words: [UInt64], kinds: Set<PlaceKind>, text: String)]
    /// Words before "of X" that say X is a place: "the town of", "outskirts of".
    let placeNouns: Set<UInt64>
    /// Words before "in X" that make X where someone speaks or an institution sits.
    let speakerNouns: Set<UInt64>
    /// "near X", "outside X": relative phrases of geo precision 2.
    let nearWords: Set<UInt64>
    /// Common English words that are also place names (generated, `CommonWords`).
    let commonWords: Set<UInt64>
    /// Abbreviations whose period does not end a sentence.
    let abbreviations: Set<UInt64>
    /// Words allowed in lowercase inside a multi-word name (articles, "of", "upon").
    let nameConnectors: Set<UInt64>
    /// Words that never start a name ("A US base": "A" does not start "A US").
    let neverStart: Set<UInt64>
    /// "said", "told": the word before is a speaker.
    let speechVerbs: Set<UInt64>
    /// Words after a place that name something at it ("Mosul Dam", "Baghdad International
    /// Airport"): the place is still named.
    let landmarkWords: Set<UInt64>
    /// Keys of phrases that name institutions, not places ("White House").
    let stopPhrases: Set<[UInt8]>
    /// "border", "frontier".
    let borderWords: Set<UInt64>
    /// "based" ("a U.K.-based monitor"): the place locates an institution.
    let based: UInt64
    let of: UInt64
    let to: UInt64
    let the: UInt64
    let and: UInt64
    let between: UInt64
    let with: UInt64
    let `in`: UInt64

    static let shared = Lexicon()

    static func hashes(_ words: [String]) -> Set<UInt64> { Set(words.map(TextTokens.foldHash)) }

    init() {
        let h = TextTokens.foldHash
        prepositions = Self.hashes(["in", "at", "near", "from", "of", "to", "into", "outside", "around", "across", "toward", "towards",
                                    "via", "through", "inside", "between", "on", "nearby", "outskirts", "within", "throughout", "reach",
                                    "entered", "visited", "hit", "struck", "targeted", "shelled", "captured", "seized", "stormed", "toward"])
        let months = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
                      "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"]
        let days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue", "tues", "wed", "thu",
                    "thur", "thurs", "fri", "sat", "sun"]
        let organisations = ["of", "guard", "union", "victory", "hope", "mobile", "read", "reading", "police", "army", "navy", "state",
                             "republic", "government", "court", "congress", "senate", "house", "church", "university", "college",
                             "school", "hospital", "street", "road", "avenue", "center", "centre", "company", "party", "council",
                             "assembly", "ministry", "department", "force", "forces", "command", "brigade", "division", "battalion",
                             "regiment", "corps", "front", "movement", "liberation", "revolution", "justice", "freedom", "unity",
                             "independence", "peace", "security", "defense", "defence", "national", "international", "federal",
                             "central", "general", "royal", "islamic", "christian", "muslim", "jewish", "arab", "western", "eastern",
                             "northern", "southern", "north", "south", "east", "west", "god", "allah", "prophet", "imam", "man",
                             "bill", "will", "mark", "said", "says", "the", "a", "an", "and", "or", "but", "he", "she", "it", "we",
                             "they", "you", "i", "is", "was", "are", "be", "as", "at", "by", "for", "if", "in", "on", "so", "to", "up",
                             "no", "yes", "all", "one", "two", "new", "old", "more", "most", "many", "much", "some", "any", "this",
                             "that", "these", "those", "there", "here", "when", "where", "what", "who", "why", "how", "after", "before",
                             "during", "while", "since", "until", "according", "also", "however", "meanwhile", "today", "tonight",
                             "yesterday", "tomorrow", "morning", "evening", "night", "week", "month", "year", "mission", "operation",
                             "operations", "support", "site", "base", "camp", "field", "gate", "tower", "bridge", "valley", "river",
                             "lake", "mountain", "mount", "hill", "island", "bay", "sea", "ocean", "gulf", "strait", "desert", "region",
                             "province", "district", "city", "town", "village", "county", "area", "zone", "border", "square",
                             "park", "airport", "port", "harbor", "harbour", "station", "hotel", "palace", "mosque", "market",
                             "prison", "jail", "embassy", "consulate", "parliament", "cabinet", "prime", "minister", "president",
                             "king", "queen", "prince", "sheikh", "emir", "sultan", "pope", "saint", "st", "san", "santa", "fort",
                             "media", "news", "press", "times", "post", "journal", "daily", "herald", "tribune", "telegraph",
                             "ap", "afp", "reuters", "cnn", "bbc", "nbc", "abc", "cbs", "fox", "msnbc", "npr", "upi", "dpa",
                             "xinhua", "tass", "irna", "sana", "isna", "mehr", "tasnim", "rudaw", "kurdistan24", "facebook",
                             "twitter", "telegram", "youtube", "google", "apple", "amazon", "microsoft", "capitol", "pentagon",
                             "white", "black", "red", "green", "blue", "golden", "silver", "iron", "stone", "rock", "star", "sun",
                             "moon", "liberty", "paradise", "eden", "mercy", "grace", "faith", "trinity", "providence", "concord",
                             "harmony", "independence", "commerce", "industry", "progress", "enterprise", "friendship", "truth",
                             "hamas", "hezbollah", "hizbollah", "hizballah", "taliban", "isis", "isil", "daesh", "qaeda",
                             "nato", "opec", "houthis", "houthi", "air", "ohio"]
        var stops = Self.hashes(months + days + organisations)
        stops.remove(h("ohio"))  // listed only to show it is deliberately not a stop word
        stopWords = stops
        personTitles = Self.hashes(["mr", "mrs", "ms", "miss", "dr", "prof", "professor", "president", "gen", "general", "sen",
                                    "senator", "rep", "representative", "gov", "governor", "minister", "king", "queen", "prince",
                                    "princess", "sheikh", "shaykh", "col", "colonel", "lt", "lieutenant", "capt", "captain", "sgt",
                                    "sergeant", "maj", "major", "judge", "justice", "mayor", "pope", "secretary", "ambassador",
                                    "chancellor", "commander", "lord", "sir", "lady", "emir", "sultan", "ayatollah", "imam", "cleric",
                                    "pastor", "rev", "reverend", "father", "brother", "sister", "coach", "officer", "deputy",
                                    "detective", "sheriff", "chief", "spokesman", "spokeswoman", "spokesperson", "adm", "admiral",
                                    "pvt", "private", "cpl", "corporal", "attorney", "councilman", "councilwoman", "commissioner",
                                    "superintendent", "trooper", "agent", "pfc", "spc", "msgt", "ssgt", "hon", "jr", "sr"])
        var demonyms: [String: String] = [
            "iraqi": "IQ", "iraqis": "IQ", "syrian": "SY", "syrians": "SY", "iranian": "IR", "iranians": "IR", "kurdish": "IQ",
            "kurd": "IQ", "kurds": "IQ", "american": "US", "americans": "US", "turkish": "TR", "turk": "TR", "turks": "TR",
            "jordanian": "JO", "jordanians": "JO", "lebanese": "LB", "israeli": "IL", "israelis": "IL", "palestinian": "PS",
            "palestinians": "PS", "saudi": "SA", "saudis": "SA", "yemeni": "YE", "yemenis": "YE", "houthi": "YE", "russian": "RU",
            "russians": "RU", "british": "GB", "briton": "GB", "britons": "GB", "french": "FR", "egyptian": "EG", "egyptians": "EG",
            "qatari": "QA", "kuwaiti": "KW", "emirati": "AE", "bahraini": "BH", "omani": "OM", "afghan": "AF", "afghans": "AF",
            "pakistani": "PK", "indian": "IN", "chinese": "CN", "ukrainian": "UA", "ukrainians": "UA", "german": "DE",
            "germans": "DE", "canadian": "CA", "mexican": "MX", "australian": "AU", "japanese": "JP", "korean": "KR",
            "libyan": "LY", "sudanese": "SD", "somali": "SO", "tunisian": "TN", "algerian": "DZ", "moroccan": "MA",
            "italian": "IT", "spanish": "ES", "dutch": "NL", "belgian": "BE", "swiss": "CH", "swedish": "SE", "norwegian": "NO",
            "danish": "DK", "finnish": "FI", "polish": "PL", "greek": "GR", "cypriot": "CY", "armenian": "AM", "azerbaijani": "AZ",
            "georgian": "GE", "nigerian": "NG", "kenyan": "KE", "ethiopian": "ET", "malian": "ML", "brazilian": "BR",
            "venezuelan": "VE", "colombian": "CO", "cuban": "CU", "filipino": "PH", "indonesian": "ID", "irish": "IE",
            "scottish": "GB", "welsh": "GB", "english": "GB", "european": "", "arab": "", "arabic": "", "persian": "IR",
            "baghdadi": "IQ", "kuwaitis": "KW", "omanis": "OM",
        ]
        demonyms["european"] = nil
        demonyms["arab"] = nil
        demonyms["arabic"] = nil
        self.demonyms = Dictionary(uniqueKeysWithValues: demonyms.map { (h($0.key), $0.value) })
        let compass: [(String, Double)] = [
            ("north", 0), ("northeast", 45), ("east", 90), ("southeast", 135), ("south", 180), ("southwest", 225), ("west", 270),
            ("northwest", 315), ("nne", 22.5), ("ene", 67.5), ("ese", 112.5), ("sse", 157.5), ("ssw", 202.5), ("wsw", 247.5),
            ("wnw", 292.5), ("nnw", 337.5), ("ne", 45), ("se", 135), ("sw", 225), ("nw", 315), ("n", 0), ("e", 90), ("s", 180), ("w", 270),
            ("northeastern", 45), ("southeastern", 135), ("southwestern", 225), ("northwestern", 315),
        ]
        directions = Dictionary(uniqueKeysWithValues: compass.map { (h($0.0), $0.1) })
        let regions: [(String, Double?)] = [("eastern", 90), ("western", 270), ("northern", 0), ("southern", 180), ("central", nil),
                                            ("northeastern", 45), ("northwestern", 315), ("southeastern", 135), ("southwestern", 225)]
        regionAdjectives = Dictionary(uniqueKeysWithValues: regions.map { (h($0.0), $0.1) })
        let unitList: [(String, Double)] = [("km", 1000), ("kms", 1000), ("kilometers", 1000), ("kilometres", 1000), ("kilometer", 1000),
                                            ("kilometre", 1000), ("mi", 1609.344), ("miles", 1609.344), ("mile", 1609.344),
                                            ("m", 1), ("meters", 1), ("metres", 1), ("meter", 1), ("metre", 1)]
        units = Dictionary(uniqueKeysWithValues: unitList.map { (h($0.0), $0.1) })
        let numbers: [(String, Double)] = [("one", 1), ("two", 2), ("three", 3), ("four", 4), ("five", 5), ("six", 6), ("seven", 7),
                                           ("eight", 8), ("nine", 9), ("ten", 10), ("eleven", 11), ("twelve", 12), ("fifteen", 15),
                                           ("twenty", 20), ("thirty", 30), ("forty", 40), ("fifty", 50), ("sixty", 60),
                                           ("hundred", 100), ("a", 1), ("few", 3), ("several", 5)]
        numberWords = Dictionary(uniqueKeysWithValues: numbers.map { (h($0.0), $0.1) })
        let kinds: [(String, Set<PlaceKind>)] = [
            ("air base", [.airBase, .base, .garrison]), ("airbase", [.airBase, .base, .garrison]), ("air field", [.airBase, .airport]),
            ("airfield", [.airBase, .airport]), ("military base", [.base, .airBase, .garrison, .outpost]),
            ("airport", [.airport, .airBase]), ("oil field", [.oilField]), ("oilfield", [.oilField]), ("gas field", [.gasField]),
            ("oil fields", [.oilField]), ("gas plant", [.gasField, .base]), ("border crossing", [.crossing]),
            ("crossing", [.crossing]), ("border post", [.crossing]), ("garrison", [.garrison, .base]),
            ("base", [.base, .airBase, .garrison, .outpost]), ("outpost", [.outpost, .base]), ("refugee camp", [.camp]),
            ("camp", [.camp, .base]), ("province", [.province]), ("governorate", [.province]), ("district", [.province, .place]),
            ("region", [.province, .country, .place]), ("area", [.place, .province]), ("city", [.place]), ("town", [.place]),
            ("village", [.place]), ("county", [.place, .province]), ("state", [.province]),
        ]
        kindPhrases = kinds.map { (phrase, k) in (phrase.split(separator: " ").map { h(String($0)) }, k, phrase) }
            .sorted { $0.words.count > $1.words.count }
        placeNouns = Self.hashes(["town", "city", "village", "province", "governorate", "district", "region", "area", "outskirts",
                                  "suburb", "suburbs", "vicinity", "countryside", "capital", "heart", "centre", "center", "east",
                                  "west", "north", "south", "northeast", "northwest", "southeast", "southwest", "county",
                                  "municipality", "neighbourhood", "neighborhood", "state", "island", "port", "villages", "towns"])
        speakerNouns = Self.hashes(["spokesman", "spokeswoman", "spokesperson", "official", "officials", "embassy", "ministry",
                                    "headquarters", "correspondent", "reporter", "reporters", "briefing", "conference", "statement",
                                    "told", "said", "talks", "summit", "envoy", "ambassador", "diplomat", "diplomats",
                                    "analyst", "based", "office", "consulate", "monitor"])
        nearWords = Self.hashes(["near", "outside", "nearby", "outskirts", "around", "close", "vicinity"])
        commonWords = Self.hashes(CommonWords.list)
        abbreviations = Self.hashes(["mr", "mrs", "ms", "dr", "st", "mt", "ft", "gen", "sen", "rep", "gov", "col", "lt", "capt", "sgt",
                                     "jr", "sr", "no", "vs", "inc", "co", "corp", "prof", "rev", "maj", "adm", "pvt", "cpl", "hon",
                                     "u", "s", "k", "n", "e", "w", "a", "d", "c", "b", "p", "j", "l", "m"])
        nameConnectors = Self.hashes(["al", "el", "il", "ul", "ad", "ed", "adh", "ath", "ash", "esh", "as", "es", "at", "et", "az",
                                      "ez", "ar", "er", "an", "en", "ud", "de", "del", "la", "le", "of", "upon", "on", "bin",
                                      "ibn", "abu", "bu", "umm", "um", "du", "des", "di", "da", "dos", "das", "y", "sur", "am"])
        borderWords = Self.hashes(["border", "frontier", "borders", "boundary"])
        landmarkWords = Self.hashes(["dam", "international", "airport", "university", "hospital", "stadium", "bridge", "river",
                                     "valley", "governorate", "city", "county", "district", "region", "square", "street", "road",
                                     "highway", "lake", "mountains", "port", "station", "camp", "base", "military", "mosque",
                                     "church", "prison", "refinery", "plain", "plains", "desert", "gate", "old", "central", "province",
                                     "airbase", "air", "oil", "gas", "border", "crossing", "dam", "reservoir", "canal", "corridor"])
        stopPhrases = Set(["White House", "Capitol Hill", "Downing Street", "Pentagon", "Kremlin", "Elysee", "Wall Street",
                           "Silicon Valley", "Hollywood", "Vatican"].map { NameNormalizer.keyUTF8($0) })
        neverStart = Self.hashes(["a", "an", "in", "on", "at", "to", "of", "and", "or", "but", "as", "by", "for", "if", "it", "is", "he",
                                  "she", "we", "they", "i", "you", "his", "her", "its", "their", "our", "my", "this", "that", "with"])
        speechVerbs = Self.hashes(["said", "says", "told", "added", "stated", "announced", "wrote", "argued", "noted", "tweeted",
                                   "explained", "insisted", "claimed", "warned", "asked", "replied", "responded", "confirmed", "denied"])
        based = h("based")
        of = h("of")
        to = h("to")
        the = h("the")
        and = h("and")
        between = h("between")
        with = h("with")
        `in` = h("in")
        func mark(_ set: Set<UInt64>, _ c: WordClass) { for x in set { classes[x, default: []].insert(c) } }
        mark(prepositions, .prepositions); mark(stopWords, .stopWords); mark(personTitles, .personTitles)
        mark(placeNouns, .placeNouns); mark(speakerNouns, .speakerNouns); mark(nearWords, .nearWords)
        mark(commonWords, .commonWords); mark(abbreviations, .abbreviations); mark(nameConnectors, .nameConnectors)
        mark(borderWords, .borderWords); mark(neverStart, .neverStart); mark(speechVerbs, .speechVerbs)
        mark(landmarkWords, .landmarkWords); mark(Set(kindPhrases.flatMap(\.words)), .kindWord)
        mark(Set(self.demonyms.keys), .demonym); mark(Set(directions.keys), .direction); mark(Set(regionAdjectives.keys), .regionAdjective)
        mark(Set(units.keys), .unit); mark(Set(numberWords.keys), .numberWord)
    }
}
