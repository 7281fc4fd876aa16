import GeoCore

/// What a gazetteer entry is. Sites use the kinds of `Gazetteer/sites.csv`.
public enum PlaceKind: String, CaseIterable, Hashable, Sendable {
    /// A GeoNames populated place (city, town, village).
    case place
    /// A governorate / province, located at its capital (geo precision 3).
    case province
    /// A country, located at its capital (else its most populous place), geo precision 3.
    case country
    /// A region named in reporting ("eastern Syria", "the Iraq–Syria border", "the Jazira"),
    /// located at a documented representative point (`Gazetteer/regions.csv`), geo precision 3.
    case region
    case base
    case airBase = "air_base"
    case garrison
    case outpost
    case crossing
    case oilField = "oil_field"
    case gasField = "gas_field"
    case camp
    case airport

    /// Curated sites (everything but places, provinces, countries and regions).
    public var isSite: Bool { self != .place && self != .province && self != .country && self != .region }

    /// Every word that occurs in a hint phrase, as scalars (matched against folded words).
    static let hintWordScalars: [[UInt32]] = Array(Set(hintPhrases.flatMap(\.words))).sorted().map { $0.unicodeScalars.map(\.value) }

    /// The lengths of the hint words as bits (a quick test before comparing).
    static let hintWordLengths: UInt64 = hintWordScalars.reduce(0) { $0 | 1 << UInt64($1.count) }

    /// `hintPhrases` as scalars, in the same order.
    static let hintPhraseScalars: [(words: [[UInt32]], kinds: Set<PlaceKind>)] = hintPhrases.map { phrase in
        (phrase.words.map { $0.unicodeScalars.map(\.value) }, phrase.kinds)
    }

    /// Words in a query that ask for this kind, longest first ("air base" before "base").
    static let hintPhrases: [(words: [String], kinds: Set<PlaceKind>)] = [
        (["air", "base"], [.airBase, .base, .garrison]), (["airbase"], [.airBase, .base, .garrison]),
        (["airfield"], [.airBase, .airport]), (["military", "base"], [.base, .airBase, .garrison, .outpost]),
        (["airport"], [.airport, .airBase]),
        (["oil", "field"], [.oilField]), (["oilfield"], [.oilField]), (["gas", "field"], [.gasField]),
        (["gas", "plant"], [.gasField, .base]), (["oil", "fields"], [.oilField]),
        (["border", "crossing"], [.crossing]), (["crossing"], [.crossing]), (["border", "post"], [.crossing]),
        (["garrison"], [.garrison, .base]), (["base"], [.base, .airBase, .garrison, .outpost]),
        (["outpost"], [.outpost, .base]), (["camp"], [.camp, .base]),
        (["province"], [.province]), (["governorate"], [.province]), (["muhafazat"], [.province]), (["country"], [.country]),
        // محافظة (governorate), as folded (taa marbuta → haa): "محافظة دير الزور" is keyed as
        // "دير الزور" too, so that Arabic region phrases find the governorate.
        (["محافظه"], [.province]), (["region"], [.region, .province]),
        (["town"], [.place]), (["city"], [.place]), (["village"], [.place]),
    ]
}

/// Where an entry comes from.
public enum GazetteerSource: String, Hashable, Sendable {
    case geonames
    case naturalearth
    case sites
    /// `Gazetteer/regions.csv`: curated regions at documented representative points.
    case regions
    case user
}

/// One named place of the gazetteer. Entries are shared, not copied: an answer holds the
/// gazetteer's entry (one reference), so that making and passing answers copies no strings.
public final class GazetteerEntry: Hashable, Sendable {
    /// `geonames:174448`, `site:al-tanf-garrison`, `prov:SY-deir-ez-zor`, `user:…`.
    public var id: String { geonameID > 0 ? "geonames:\(geonameID)" : otherID }
    /// The number of a `geonames:` id (0 for other ids), kept as a number (smaller than the
    /// 16–17 bytes of the id as text).
    private let geonameID: Int32
    /// Any other id.
    private let otherID: String
    /// The main name. Other names and spellings are kept by the gazetteer
    /// (`Gazetteer.aliases(of:)`), not here.
    public let name: String
    /// Longitude, latitude in degrees (WGS84).
    public let position: Position
    /// ISO 3166-1 alpha-2.
    public let country: String
    /// The country on the other side, for an entry that is a border between two countries
    /// ("the Iraq–Syria border": `country` IQ, `secondCountry` SY); nil otherwise. A country
    /// hint for either side counts as met.
    public let secondCountry: String?
    /// GeoNames admin1 code, or empty.
    public let admin1: String
    public let kind: PlaceKind
    public let population: Int
    public let source: GazetteerSource
    /// True when the coordinate is known only roughly (curated sites say so per row).
    public let approximate: Bool
    /// Citable source of the coordinate (sites and user entries).
    public let coordinateSource: String?

    convenience init(id: String, name: String, position: Position, country: String, secondCountry: String? = nil, admin1: String,
                     kind: PlaceKind, population: Int, source: GazetteerSource, approximate: Bool, coordinateSource: String?)
    {
        let (number, other) = Self.splitID(id)
        self.init(geonameID: number, otherID: other, name: name, position: position, country: country, secondCountry: secondCountry,
                  admin1: admin1, kind: kind, population: population, source: source, approximate: approximate,
                  coordinateSource: coordinateSource)
    }

    /// `init(id:…)` with the id already split (`splitID`): a GeoNames number above 0 and no
    /// other id, or 0 and the id.
    init(geonameID: Int32, otherID: String, name: String, position: Position, country: String, secondCountry: String? = nil,
         admin1: String, kind: PlaceKind, population: Int, source: GazetteerSource, approximate: Bool, coordinateSource: String?)
    {
        (self.geonameID, self.otherID) = (geonameID, otherID)
        self.name = name
        self.position = position
        self.country = country
        self.secondCountry = secondCountry
        self.admin1 = admin1
        self.kind = kind
        self.population = population
        self.source = source
        self.approximate = approximate
        self.coordinateSource = coordinateSource
    }

    /// Entries are equal when every field is.
    public static func == (a: GazetteerEntry, b: GazetteerEntry) -> Bool {
        a === b
            || (a.geonameID == b.geonameID && a.otherID == b.otherID && a.name == b.name && a.position == b.position
                && a.country == b.country && a.secondCountry == b.secondCountry && a.admin1 == b.admin1 && a.kind == b.kind && a.population == b.population
                && a.source == b.source && a.approximate == b.approximate && a.coordinateSource == b.coordinateSource)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(geonameID)
        hasher.combine(otherID)
        hasher.combine(name)
        hasher.combine(position)
        hasher.combine(country)
    }

    /// `geonames:N` → (N, ""); anything else (or a number that would not print back the same)
    /// → (0, id).
    static func splitID(_ id: String) -> (Int32, String) {
        if id.hasPrefix("geonames:"), let n = Int32(id.dropFirst(9)), n > 0, "geonames:\(n)" == id { return (n, "") }
        return (0, id)
    }

    /// Calls `body` with `name`, then every name of `aliasText` (`|`-separated), without
    /// allocating an array of strings.
    static func forEachName(_ name: String, _ aliasText: String, _ body: (Substring) -> Void) {
        body(name[...])
        guard !aliasText.isEmpty else { return }
        var start = aliasText.startIndex
        let utf8 = aliasText.utf8
        var i = utf8.startIndex
        while i < utf8.endIndex {
            if utf8[i] == UInt8(ascii: "|") {
                body(aliasText[start..<i])
                start = utf8.index(after: i)
            }
            i = utf8.index(after: i)
        }
        body(aliasText[start...])
    }

    /// A sum over fields at the start, middle and end of the object (its id, country and
    /// coordinate source), so that reading it brings every cache line of the entry in.
    /// `Gazetteer.readAhead` uses it; the value means nothing.
    @inline(__always) var readAheadSum: UInt64 {
        UInt64(truncatingIfNeeded: geonameID) &+ UInt64(truncatingIfNeeded: country.utf8.count)
            &+ UInt64(truncatingIfNeeded: coordinateSource?.utf8.count ?? 1)
    }

    /// ACLED's geo precision: 3 for provinces, countries and regions (located at a
    /// representative town or point), 1 otherwise.
    public var geoPrecision: Int { kind == .province || kind == .country || kind == .region ? 3 : 1 }

    /// Whether the entry lies in `country` (either side, for a border).
    public func isIn(country code: String) -> Bool { country == code || secondCountry == code }
}

/// Entries as they are loaded, with their alias text (`|`-separated) alongside.
struct GazetteerRows {
    var entries: [GazetteerEntry] = []
    var aliasTexts: [String] = []

    mutating func append(_ entry: GazetteerEntry, aliases: String) {
        entries.append(entry)
        aliasTexts.append(aliases)
    }

    mutating func reserveCapacity(_ n: Int) {
        entries.reserveCapacity(n)
        aliasTexts.reserveCapacity(n)
    }
}
