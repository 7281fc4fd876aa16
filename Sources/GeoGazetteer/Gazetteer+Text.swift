/// Lookup primitives for finding gazetteer names in running text (`GeoText`): the text is cut
/// into the words `NameNormalizer` folds, once, with each word's offsets in Unicode scalars,
/// and the key of any run of words is computed from the folded words without folding again.
///
/// Word boundaries are those of `NameNormalizer.foldedWords`: ASCII letters and digits, Latin
/// letters with diacritics and Arabic letters make words; apostrophes, ayn/hamza marks,
/// combining diacritics and Arabic vowel marks are dropped inside a word ("Kata’ib" is one
/// word); everything else separates words. Words in other scripts (Cyrillic, CJK, …) are kept
/// as words of their own with no key (`Shape.otherScript`).
public struct TextTokens: Sendable {
    public struct Shape: OptionSet, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// The first letter is an uppercase letter.
        public static let capitalized = Shape(rawValue: 1)
        /// Every letter is uppercase and there are at least two ("BAGHDAD", "US").
        public static let allCaps = Shape(rawValue: 2)
        /// Arabic script (no case).
        public static let arabic = Shape(rawValue: 4)
        /// Only digits.
        public static let digits = Shape(rawValue: 8)
        /// Another script: the word has no key.
        public static let otherScript = Shape(rawValue: 16)
        /// Longer than `maximumWordLength` scalars: never part of a name.
        public static let long = Shape(rawValue: 32)
    }

    /// One word: offsets in Unicode scalars from the start of the document, end exclusive.
    public struct Token: Hashable, Sendable {
        public var start: Int32
        public var end: Int32
        /// The folded letters are `folded[foldStart..<foldEnd]`, followed by a 0.
        var foldStart: Int32
        var foldEnd: Int32
        /// FNV-1a of the folded letters (lowercase ASCII or normalised Arabic): compares a
        /// word with a word list without making a string.
        public var foldHash: UInt64
        public var shape: Shape
    }

    /// Words longer than this (in scalars) are never folded: no name has one, and a 50 MB
    /// "word" must not cost 50 MB of folded letters.
    public static let maximumWordLength = 48

    public private(set) var tokens: [Token] = []
    /// Folded letters of every word, a 0 after each word.
    private var folded: [UInt32] = []

    /// Cuts `scalars` (Unicode scalar values) into words; offsets are `offset` + the index in
    /// `scalars`.
    public init(scalars: UnsafeBufferPointer<UInt32>, offset: Int = 0) {
        tokens.reserveCapacity(scalars.count / 5)
        folded.reserveCapacity(scalars.count + scalars.count / 5)
        var i = 0
        let n = scalars.count
        while i < n {
            let v = scalars[i]
            let cls = Self.classifyFast(v)
            if cls == .separator || cls == .skip {
                i += 1
                continue
            }
            // A word: letters (and dropped marks) up to the next separator. A word switching to
            // another script ends there.
            let start = i
            let other = cls == .otherScript
            let foldStart = folded.count
            var shape: Shape = []
            var letters = 0, upper = 0, digits = 0
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            var tooLong = false
            var wordEnd: Int?
            while i < n {
                let w = scalars[i]
                let c = Self.classifyFast(w)
                if c == .separator { break }
                if (c == .otherScript) != other && c != .skip { break }
                if i - start >= Self.maximumWordLength { tooLong = true }
                // English clitics end the word: "Syria's" is "Syria", "I'm" is "I".
                if (w == 0x27 || w == 0x2019), letters > 0, let clitic = Self.cliticLength(scalars, after: i) {
                    wordEnd = i
                    i += 1 + clitic
                    break
                }
                if c != .skip {
                    letters += 1
                    if w >= 0x30 && w <= 0x39 { digits += 1 }
                    if Self.isUppercase(w) { upper += 1 }
                    if letters == 1 && Self.isUppercase(w) { shape.insert(.capitalized) }
                    if w >= 0x600 && w < 0x700 { shape.insert(.arabic) }
                    if !tooLong {
                        Self.fold(w, other: other) { f in
                            folded.append(f)
                            var x = f
                            while x != 0 {
                                hash = (hash ^ UInt64(x & 0xFF)) &* 0x100_0000_01b3
                                x >>= 8
                            }
                        }
                    }
                }
                i += 1
            }
            if tooLong {
                folded.removeLast(folded.count - foldStart)
                shape.insert(.long)
            }
            if letters == 0 { continue }
            if other { shape.insert(.otherScript) }
            if digits == letters { shape.insert(.digits) }
            if upper == letters - digits, upper >= 2 { shape.insert(.allCaps) }
            let foldEnd = folded.count
            folded.append(0)
            tokens.append(Token(start: Int32(offset + start), end: Int32(offset + (wordEnd ?? i)), foldStart: Int32(foldStart), foldEnd: Int32(foldEnd),
                                foldHash: hash, shape: shape))
        }
    }

    /// The length of an English clitic after the apostrophe at `i` ('s 'm 'd 't 've 'll 're,
    /// then a non-letter), or nil.
    static func cliticLength(_ scalars: UnsafeBufferPointer<UInt32>, after i: Int) -> Int? {
        var j = i + 1
        var letters: [UInt32] = []
        while j < scalars.count, letters.count < 3, classify(scalars[j]) == .letter {
            letters.append(scalars[j] | 0x20)
            j += 1
        }
        if j < scalars.count, classify(scalars[j]) == .letter { return nil }
        switch letters {
        case [0x73], [0x6D], [0x64], [0x74], [0x76, 0x65], [0x6C, 0x6C], [0x72, 0x65]: return letters.count
        default: return nil
        }
    }

    /// The folded hash of a lowercase word as `TextTokens` computes it ("near", "km").
    public static func foldHash(_ word: String) -> UInt64 {
        let scalars = word.unicodeScalars.map(\.value)
        return scalars.withUnsafeBufferPointer { TextTokens(scalars: $0).tokens.first?.foldHash ?? 0 }
    }

    /// The folded letters of word `i` as a string (lowercase ASCII, normalised Arabic).
    public func foldedWord(_ i: Int) -> String {
        let t = tokens[i]
        return String(String.UnicodeScalarView(folded[Int(t.foldStart)..<Int(t.foldEnd)].compactMap(Unicode.Scalar.init)))
    }

    /// Whether word `i` is an article (`NameNormalizer.isArticle`: "al", "el", "ash", …), which
    /// the key of several words leaves out unless they are all articles. Otherwise the key of
    /// words `i..<j` starts with the key of word `i` alone.
    public func isArticle(_ i: Int) -> Bool {
        let t = tokens[i]
        return folded.withUnsafeBufferPointer { NameNormalizer.isArticle($0, Int(t.foldStart)..<Int(t.foldEnd)) }
    }

    /// The normalised key (`NameNormalizer.key`) of the words `range` as UTF-8 bytes; empty
    /// when a word has no key (another script, too long).
    public func key(_ range: Range<Int>) -> [UInt8] {
        guard !range.isEmpty else { return [] }
        for t in tokens[range] where t.shape.contains(.otherScript) || t.shape.contains(.long) { return [] }
        let lo = Int(tokens[range.lowerBound].foldStart), hi = Int(tokens[range.upperBound - 1].foldEnd) + 1
        return folded.withUnsafeBufferPointer { NameNormalizer.keyBytes(foldedScalars: UnsafeBufferPointer(rebasing: $0[lo..<hi])) }
    }

    enum ScalarClass { case letter, skip, separator, otherScript }

    /// `classify` with ASCII decided in line (most of a report; `classify` is not inlined): the
    /// same class for every scalar (a test compares them over all of ASCII).
    @inline(__always)
    static func classifyFast(_ v: UInt32) -> ScalarClass {
        guard v < 0x80 else { return classify(v) }
        let lower = v | 0x20
        if lower >= 0x61 && lower <= 0x7A || v >= 0x30 && v <= 0x39 { return .letter }
        return v == 0x27 || v == 0x60 ? .skip : .separator
    }

    /// The class of a scalar in `NameNormalizer.foldedWords` (kept equal to it by a test).
    @inline(__always)
    static func classify(_ v: UInt32) -> ScalarClass {
        switch v {
        case 0x41...0x5A, 0x61...0x7A, 0x30...0x39: return .letter
        case 0x27, 0x60, 0xB4, 0x2BB, 0x2BC, 0x2BE, 0x2BF, 0x2018, 0x2019, 0x2032, 0x300...0x36F: return .skip
        case 0x64B...0x65F, 0x670, 0x640: return .skip
        case 0x620...0x64A, 0x660...0x669, 0x66E...0x6D3: return .letter
        case 0xC0...0x24F, 0x1E00...0x1EFF:
            return NameNormalizer.latinFoldingTable[v >= 0x1E00 ? Int(v - 0x1E00) + 400 : Int(v - 0xC0)] == 0 ? .separator : .letter
        default:
            if v < 0x80 || (0x2000...0x206F).contains(v) || (0xA0...0xBF).contains(v) { return .separator }
            // Other symbols and punctuation separate too; letters and marks of other scripts form words.
            guard let s = Unicode.Scalar(v) else { return .separator }
            let p = s.properties
            return p.isAlphabetic || p.generalCategory == .nonspacingMark || p.generalCategory == .decimalNumber ? .otherScript : .separator
        }
    }

    @inline(__always)
    static func isUppercase(_ v: UInt32) -> Bool {
        if v < 0x80 { return v >= 0x41 && v <= 0x5A }
        guard v < 0x600, let s = Unicode.Scalar(v) else { return false }
        return s.properties.isUppercase
    }

    /// Appends the folding of letter `v` (as `NameNormalizer.foldedWords` does); words of
    /// other scripts are lowercased.
    @inline(__always)
    static func fold(_ v: UInt32, other: Bool, _ append: (UInt32) -> Void) {
        switch v {
        case 0x41...0x5A: append(v + 32)
        case 0x622, 0x623, 0x625, 0x671: append(0x627)
        case 0x629: append(0x647)
        case 0x649: append(0x64A)
        case 0xC0...0x24F, 0x1E00...0x1EFF:
            var f = NameNormalizer.latinFoldingTable[v >= 0x1E00 ? Int(v - 0x1E00) + 400 : Int(v - 0xC0)]
            while f != 0 {
                append(f & 0xFF)
                f >>= 8
            }
        default:
            if other, let s = Unicode.Scalar(v) {
                for l in s.properties.lowercaseMapping.unicodeScalars { append(l.value) }
            } else {
                append(v)
            }
        }
    }
}

extension NameNormalizer {
    /// The match key of `text` as UTF-8 bytes (empty: no key), for callers outside this module.
    public static func keyUTF8(_ text: some StringProtocol) -> [UInt8] { keyBytes(text) }
}

extension Gazetteer {
    /// Entry numbers (indexes of `entries`) under a normalised key (UTF-8 bytes): places of the
    /// precomputed index first, then sites, provinces, countries and user entries.
    public func entryNumbers(forKey key: [UInt8]) -> [Int32] {
        key.isEmpty ? [] : normalizedEntries(key)
    }

    /// Whether `key` has any entry (no allocation).
    public func hasEntries(forKey key: [UInt8]) -> Bool {
        !key.isEmpty && !postings(key).isEmpty
    }

    /// The entry numbers among `ids` one of whose names or aliases, lowercased, equals `text`
    /// lowercased (an exact spelling, stronger evidence than a shared key).
    /// Among the entries `ids`: whether any is no populated place (a site, country, province or
    /// region), whether any is a country or province, and whether any has 100,000 people or more.
    /// Read from the rank fields kept in one contiguous array, not from the entries themselves.
    public func candidateKinds(_ ids: ArraySlice<Int32>) -> (curated: Bool, countryOrProvince: Bool, large: Bool) {
        var curated = false, countryOrProvince = false, large = false
        rankFields.withUnsafeBufferPointer { fields in
            for id in ids {
                let f = fields[Int(id)]
                if f.kind != .place {
                    curated = true
                    if f.kind == .country || f.kind == .province { countryOrProvince = true }
                }
                if f.large { large = true }
            }
        }
        return (curated, countryOrProvince, large)
    }

    public func exactlyNamed(_ text: String, key: [UInt8], among ids: [Int32]) -> [Int32] {
        ids.isEmpty ? [] : exactMatches(text, key: key, among: ids)
    }
}
