import GeoCore
import OrderedCollections

/// One casualty figure and who gave it (`fatality_claims`).
public struct FatalityClaim: Hashable, Sendable {
    /// Who made the claim ("US DoD", "SOHR", "Kata'ib Hezbollah").
    public var source: String
    public var killed: Int?
    public var injured: Int?

    public init(source: String, killed: Int? = nil, injured: Int? = nil) {
        self.source = source
        self.killed = killed
        self.injured = injured
    }
}

/// How an event's location was found by the gazetteer (`match_name`, `match_score`, `match_source`).
public struct LocationMatch: Hashable, Sendable {
    /// The gazetteer's name for the place.
    public var name: String
    /// 0–1.
    public var score: Double
    /// `geonames`, `naturalearth`, `sites`, `user`.
    public var source: String
    /// Gazetteer id (`geonames:174448`, `site:al-tanf-garrison`).
    public var gazetteerID: String
    /// The gazetteer marks the point as approximate (a curated site without a published point).
    public var approximate: Bool
    /// Close runners-up, as `name (country, id)`: what else the name could have meant.
    public var alternatives: [String]
    /// How an unresolved name was placed by `--fallback`, else empty.
    public var fallbackBasis: String

    public init(name: String, score: Double, source: String, gazetteerID: String, approximate: Bool = false,
                alternatives: [String] = [], fallbackBasis: String = "") {
        self.name = name
        self.score = score
        self.source = source
        self.gazetteerID = gazetteerID
        self.approximate = approximate
        self.alternatives = alternatives
        self.fallbackBasis = fallbackBasis
    }
}

/// A conflict event, the one record every command reads and writes.
///
/// Field names follow ACLED's export where ACLED has the field. Coordinates are WGS84 degrees.
/// Fields this model does not know (other ACLED columns, extra CSV columns, extra GeoJSON
/// properties) are kept in `extra`, in input order, so that conversions lose nothing.
public struct Event: Hashable, Sendable {
    public var eventID: String
    public var date: EventDate
    /// Last day of an event that spans several days, else nil.
    public var dateEnd: EventDate?
    public var timePrecision: TimePrecision
    public var eventType: String
    public var subEventType: String
    /// The event type as the input worded it, when it was mapped to ACLED's taxonomy through
    /// the vocabulary ("drone attack"); empty when the input used ACLED's names.
    public var eventTypeReported: String
    public var actor1: String
    /// actor1 as the input gave it, when `actor1` was replaced by its canonical name; else empty.
    public var actor1Reported: String
    public var actor2: String
    /// The side that acted: `US`, `militia`, `Iran`, `unknown`, …
    public var actorSide: String
    /// The actor-list entry (canonical name) actor1 matched, else empty.
    public var actorMatch: String
    /// Who or what was hit (`US forces`).
    public var target: String
    /// The place name as reported.
    public var location: String
    /// Degrees; nil until geocoded.
    public var latitude: Double?
    public var longitude: Double?
    /// 1 = the place itself, 2 = near or part of a place, 3 = governorate / region (ACLED).
    public var geoPrecision: Int?
    /// ISO 3166-1 alpha-2, upper case, or empty when unknown.
    public var country: String
    public var admin1: String
    /// The conservative (lowest credible) figure; nil when no figure is known.
    public var fatalities: Int?
    public var fatalityClaims: [FatalityClaim]
    public var sources: [String]
    public var notes: String
    public var tags: [String]
    /// Set when the coordinates came from the gazetteer.
    public var match: LocationMatch?
    /// Every other input field, by name, in input order.
    public var extra: OrderedDictionary<String, JSONValue>

    public init(
        eventID: String, date: EventDate, dateEnd: EventDate? = nil, timePrecision: TimePrecision = .day,
        eventType: String = "", subEventType: String = "", eventTypeReported: String = "",
        actor1: String = "", actor1Reported: String = "", actor2: String = "",
        actorSide: String = "", actorMatch: String = "", target: String = "", location: String = "",
        latitude: Double? = nil, longitude: Double? = nil, geoPrecision: Int? = nil,
        country: String = "", admin1: String = "", fatalities: Int? = nil, fatalityClaims: [FatalityClaim] = [],
        sources: [String] = [], notes: String = "", tags: [String] = [], match: LocationMatch? = nil,
        extra: OrderedDictionary<String, JSONValue> = [:]
    ) {
        self.eventID = eventID
        self.date = date
        self.dateEnd = dateEnd
        self.timePrecision = timePrecision
        self.eventType = eventType
        self.subEventType = subEventType
        self.eventTypeReported = eventTypeReported
        self.actor1 = actor1
        self.actor1Reported = actor1Reported
        self.actor2 = actor2
        self.actorSide = actorSide
        self.actorMatch = actorMatch
        self.target = target
        self.location = location
        self.latitude = latitude
        self.longitude = longitude
        self.geoPrecision = geoPrecision
        self.country = country
        self.admin1 = admin1
        self.fatalities = fatalities
        self.fatalityClaims = fatalityClaims
        self.sources = sources
        self.notes = notes
        self.tags = tags
        self.match = match
        self.extra = extra
    }

    /// The span of time in which the event happened (see `EventInterval`).
    public var interval: EventInterval { EventInterval(date: date, end: dateEnd, precision: timePrecision) }

    /// True when both coordinates are present.
    public var hasCoordinates: Bool { latitude != nil && longitude != nil }

    /// The lowest `killed` figure among the claims (ACLED's conservative rule), or nil without figures.
    public static func conservativeFatalities(_ claims: [FatalityClaim]) -> Int? {
        claims.compactMap(\.killed).min()
    }
}
