import Foundation
import GeoCore
import GeoEvents
import GeoGazetteer

/// Places events: rows without coordinates are geocoded from `location` (with `country` as a
/// hint) through the gazetteer; rows with coordinates and a country are checked against the
/// country polygons, so that swapped latitude/longitude is caught.
///
/// Not thread-safe (it holds a GEOS context through the reverse geocoder): one per worker.
public final class EventLocator {
    public enum Outcome: Hashable, Sendable {
        /// The row had coordinates.
        case given
        /// Placed by the gazetteer.
        case geocoded(ambiguous: Bool)
    }

    let gazetteer: () throws -> Gazetteer
    let reverse: () throws -> ReverseGeocoder
    public var fallback: GeocodeOptions.Fallback? {
        didSet { if fallback != oldValue { geocodeCache.removeAll() } }
    }
    /// Check that given coordinates fall in the row's country (or its surroundings).
    public var checkCountry: Bool
    /// Answers by country and place name: event tables repeat the same places many times.
    private var geocodeCache: [String: GeocodeResult] = [:]
    private static let geocodeCacheLimit = 100_000
    /// Answers of `checkSwapped` by country and point (nil: accepted): an export gives the
    /// same towns' points many times, each a point-in-polygon test and perhaps a distance in
    /// GEOS. Turned off for good when few points repeat (`checkMemoTrial`).
    private var checkMemo: [CheckedPoint: RowProblem?] = [:]
    private var checkLookups = 0, checkHits = 0
    private var checkMemoOff = false, checkMemoJudged = false
    /// After this many checks, the memo is kept only if at least an eighth of them were answered by it.
    static let checkMemoTrial = 8_192
    private static let checkMemoLimit = 100_000
    private var threadGazetteer: SharedLoad<Gazetteer>?
    private var threadLocators: [EventLocator] = []

    /// - Parameters:
    ///   - gazetteer: loads the gazetteer when first needed (conversions of rows that all have
    ///     coordinates never load it unless `checkCountry` is set).
    public init(gazetteer: @escaping () throws -> Gazetteer, fallback: GeocodeOptions.Fallback? = nil, checkCountry: Bool = true) {
        var loadedGazetteer: Gazetteer?
        var loadedReverse: ReverseGeocoder?
        let load: () throws -> Gazetteer = {
            if let g = loadedGazetteer { return g }
            let g = try gazetteer()
            loadedGazetteer = g
            return g
        }
        self.gazetteer = load
        self.reverse = {
            if let r = loadedReverse { return r }
            let r = try ReverseGeocoder(gazetteer: try load())
            loadedReverse = r
            return r
        }
        self.fallback = fallback
        self.checkCountry = checkCountry
    }

    /// `count` locators with these settings and this locator's gazetteer (loaded once, by
    /// whichever needs it first, under one lock), each with its own reverse geocoder (GEOS
    /// context) and cache: one for each thread of a parallel conversion. Made once and handed
    /// out again by later calls (settings changed since are applied), so that runs after the
    /// first do not build their country polygons again.
    public func forThreads(_ count: Int) -> [EventLocator] {
        let shared = threadGazetteer ?? SharedLoad(gazetteer)
        threadGazetteer = shared
        while threadLocators.count < count {
            threadLocators.append(EventLocator(gazetteer: { try shared.value() }))
        }
        let locators = Array(threadLocators.prefix(count))
        for locator in locators {
            locator.fallback = fallback
            locator.checkCountry = checkCountry
        }
        return locators
    }

    /// Fills or checks the event's coordinates. Throws a `RowProblem` (empty place, unresolved
    /// place, swapped coordinates) for rows that must be rejected; gazetteer loading failures are
    /// thrown as they are (they concern the whole run, not the row).
    public func locate(_ event: inout Event) throws -> Outcome {
        if let lat = event.latitude, let lon = event.longitude {
            try checkGiven(country: event.country, latitude: lat, longitude: lon)
            return .given
        }
        let place = event.location.trimmingSpaces
        if place.isEmpty {
            throw RowProblem(.emptyPlace, "no coordinates and no location to geocode")
        }
        let cacheKey = event.country + "|" + event.admin1 + "|" + place
        let result: GeocodeResult
        if let cached = geocodeCache[cacheKey] {
            result = cached
        } else {
            let g = try gazetteer()
            // The row's own admin1 is where a fallback may place it, never another province.
            let options = GeocodeOptions(country: event.country.isEmpty ? nil : event.country, fallback: fallback,
                                         region: event.admin1.isEmpty ? nil : event.admin1)
            result = g.geocode(place, options: options)
            if geocodeCache.count >= Self.geocodeCacheLimit { geocodeCache.removeAll(keepingCapacity: true) }
            geocodeCache[cacheKey] = result
        }
        guard let best = result.best, result.status != .unresolved else {
            var message = "'\(place)' is not in the gazetteer"
            if !event.country.isEmpty { message += " (country \(event.country))" }
            if !result.suggestions.isEmpty { message += "; closest: \(result.suggestions.prefix(3).joined(separator: ", "))" }
            throw RowProblem(.unresolvedPlace, message)
        }
        event.latitude = best.entry.position.latitude
        event.longitude = best.entry.position.longitude
        if event.geoPrecision == nil { event.geoPrecision = result.geoPrecision }
        if event.country.isEmpty { event.country = best.entry.country }
        event.match = LocationMatch(
            name: best.entry.name, score: best.score, source: best.entry.source.rawValue, gazetteerID: best.entry.id,
            approximate: best.entry.approximate,
            alternatives: result.alternatives.map { "\($0.entry.name) (\($0.entry.country), \($0.entry.id))" },
            fallbackBasis: result.status == .fallback ? (result.fallbackBasis ?? "fallback") : "")
        return .geocoded(ambiguous: result.status == .ambiguous)
    }

    /// How far outside its stated country a given point may lie: 50 km (border crossings, bases
    /// by the border, coastal waters, points rounded to a tenth of a degree).
    public static let outsideCountryToleranceMeters = 50_000.0

    /// What `locate` does with an event that has coordinates, from its `country` code and point
    /// alone: nothing unless `checkCountry` is set and the country is given; then the checks of
    /// `checkSwapped`. For readers that check plain rows without making an `Event`.
    public func checkGiven(country: String, latitude: Double, longitude: Double) throws {
        guard checkCountry, !country.isEmpty else { return }
        if checkMemoOff { return try checkSwapped(country: country, latitude: latitude, longitude: longitude) }
        let key = CheckedPoint(country: country, latitudeBits: latitude.bitPattern, longitudeBits: longitude.bitPattern)
        checkLookups += 1
        if let known = checkMemo[key] {
            checkHits += 1
            if let problem = known { throw problem }
            return
        }
        // Judged once, at the first miss after the trial (its last check may have been a hit).
        if checkLookups >= Self.checkMemoTrial, !checkMemoJudged {
            checkMemoJudged = true
            if checkHits < checkLookups / 8 {
                checkMemoOff = true
                checkMemo = [:]
            }
        }
        if checkMemo.count >= Self.checkMemoLimit { checkMemo.removeAll(keepingCapacity: true) }
        do {
            try checkSwapped(country: country, latitude: latitude, longitude: longitude)
            if !checkMemoOff { checkMemo[key] = .some(nil) }
        } catch let problem as RowProblem {
            if !checkMemoOff { checkMemo[key] = problem }
            throw problem
        }
    }

    /// Whether `checkGiven` still keeps its answers (for tests).
    var keepsCheckAnswers: Bool { !checkMemoOff }

    /// Rejects coordinates that lie outside the stated country while the swapped pair lies
    /// inside it (`swapped_coordinates`), or that lie more than 50 km outside it (`outside_country`).
    func checkSwapped(country: String, latitude lat: Double, longitude lon: Double) throws {
        let r = try reverse()
        let here = try r.country(at: Position(x: lon, y: lat))?.code
        if here == country { return }
        if abs(lon) <= 90, try r.country(at: Position(x: lat, y: lon))?.code == country {
            throw RowProblem(
                .swappedCoordinates,
                "latitude \(lat), longitude \(lon) lie \(here.map { "in \($0)" } ?? "at sea"), outside \(country); swapped they lie in \(country)")
        }
        // A point by the border is fine (events on a crossing, coastal waters, coarse points);
        // one far outside the stated country is a wrong point or a wrong country.
        if let outside = try r.distanceMetersOutside(country: country, from: Position(x: lon, y: lat), over: Self.outsideCountryToleranceMeters) {
            throw RowProblem(
                .outsideCountry,
                "latitude \(lat), longitude \(lon) lie \(here.map { "in \($0)" } ?? "at sea"), \(Int((outside / 1000).rounded())) km outside \(country); check the point or the country")
        }
    }
}

/// A country code and a point, by their bits: the key of `EventLocator`'s check answers.
struct CheckedPoint: Hashable {
    let country: String
    let latitudeBits: UInt64
    let longitudeBits: UInt64
}

/// A value loaded on first use under a lock, for locators on several threads.
final class SharedLoad<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private let load: () throws -> Value

    init(_ load: @escaping () throws -> Value) { self.load = load }

    func value() throws -> Value {
        lock.lock()
        defer { lock.unlock() }
        return try load()
    }
}
