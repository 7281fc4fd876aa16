import GeoCore
import GeoGazetteer

/// What a place mention says about the report.
public enum MentionRole: String, Hashable, Sendable {
    /// A place the report is about.
    case place
    /// Where the reporter files from ("BAGHDAD (AP) —"), not where the event is.
    case dateline
    /// Where a speaker or an institution is ("a Pentagon spokesman in Washington",
    /// "the U.K.-based monitor").
    case context
}

/// A candidate place for a mention, with its score (higher is better; scores compare within
/// one mention only).
public struct MentionCandidate: Hashable, Sendable {
    public var entry: GazetteerEntry
    public var score: Double
}

/// A relative phrase around a place: "20 km east of Mayadin", "near Boukamal", "eastern Syria".
public struct MentionRelation: Hashable, Sendable {
    /// The words before the place as written ("20 km east of", "near", "eastern").
    public var text: String
    /// Metres, for "N km DIRECTION of X".
    public var distanceMeters: Double?
    /// Degrees clockwise from north, when the phrase gives a direction.
    public var azimuthDegrees: Double?
    /// The place the phrase is relative to (its gazetteer point).
    public var anchor: Position
}

/// One place named in a text. Offsets are in Unicode scalar values from the start of the
/// document, end exclusive, so that `text` is exactly the document's scalars `start..<end`.
public struct PlaceMention: Hashable, Sendable {
    public var text: String
    public var start: Int
    public var end: Int
    /// The chosen place, nil when the mention could not be resolved.
    public var entry: GazetteerEntry?
    /// The mention's name: the entry's, or a phrase's own ("Iraq–Syria border").
    public var name: String?
    /// The point: the entry's, or for "N km DIRECTION of X" the displaced point; nil when
    /// unresolved.
    public var position: Position?
    public var country: String?
    /// The entry's kind (`place`, `province`, `country`, `air_base`, …), or `border`.
    public var kind: String?
    /// ACLED's geo precision: 1 the place itself, 2 near or part of a place, 3 a region,
    /// province or country.
    public var geoPrecision: Int?
    /// 0–1: how sure the recogniser and the resolver are together.
    public var score: Double
    public var role: MentionRole
    /// Other candidates considered, best first (at most three, each a different place on the
    /// ground).
    public var alternatives: [MentionCandidate]
    /// Why this place was chosen, in a few words (with `GeoparseOptions.explain`, else empty).
    public var reason: String
    public var relation: MentionRelation?

    /// The GeoNames id when the entry comes from GeoNames (the bundled places, or a GeoNames
    /// dump brought in by `geo gazetteer import`, ids `user:geonames-N`).
    public var geonamesID: Int? {
        guard let id = entry?.id else { return nil }
        if id.hasPrefix("geonames:") { return Int(id.dropFirst(9)) }
        if id.hasPrefix("user:geonames-") { return Int(id.dropFirst(14)) }
        return nil
    }

    /// The gazetteer id (`geonames:…`, `site:…`, `prov:…`, `country:SY`), or for a border
    /// `border:IQ-SY`.
    public var id: String?
}

/// The result of geoparsing one document.
public struct GeoparseResult: Hashable, Sendable {
    public var mentions: [PlaceMention]
    /// Problems with the input that did not stop it being read (invalid UTF-8, empty).
    public var warnings: [String]
    /// The document's country focus (ISO alpha-2 → share of the evidence, 0–1), strongest first.
    public var countryFocus: [CountryWeight]

    public struct CountryWeight: Hashable, Sendable {
        public var country: String
        public var weight: Double
    }

    public init(mentions: [PlaceMention] = [], warnings: [String] = [], countryFocus: [CountryWeight] = []) {
        self.mentions = mentions
        self.warnings = warnings
        self.countryFocus = countryFocus
    }
}

/// Options of a geoparse.
public struct GeoparseOptions: Hashable, Sendable {
    /// Countries the text is expected to be about (ISO alpha-2), a strong hint, not a filter.
    public var countryHints: [String]
    /// Unicode scalars read at a time: a document longer than this is recognised window by
    /// window (cut at a line or sentence end), so memory follows the window, not the document.
    public var windowScalars: Int
    /// Whether each mention keeps the reason for its choice in words (`PlaceMention.reason`);
    /// off, reasons are empty and geoparsing is faster.
    public var explain: Bool

    public init(countryHints: [String] = [], windowScalars: Int = 1 << 18, explain: Bool = false) {
        self.countryHints = countryHints.map { $0.uppercased() }
        self.windowScalars = max(1024, windowScalars)
        self.explain = explain
    }
}

/// An input that cannot be geoparsed at all.
public struct GeoparseInputError: Error, Hashable, Sendable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}
