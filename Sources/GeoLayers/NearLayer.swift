import GeoCore
import GeoEvents
import GeoGazetteer
import GeoSpatial
import OrderedCollections

/// What `geo near` does, for any front end: the nearest sites to each event.
public struct NearOptions: Hashable, Sendable {
    /// How many nearest sites (at least 1).
    public var count: Int
    /// Only sites at most this far; nil: any distance.
    public var within: Distance?

    public init(count: Int = 1, within: Distance? = nil) {
        self.count = count
        self.within = within
    }
}

/// Points to measure events against: names, kinds (nil when unknown) and positions (degrees).
public struct NearSites: Sendable {
    public let names: [String]
    public let kinds: [String?]
    public let longitudes: [Double]
    public let latitudes: [Double]
    /// Where the sites come from, for messages: `the gazetteer` or the file name.
    public let source: String
    /// Why there are none, when there are none.
    let emptyReason: String

    public var count: Int { names.count }

    /// The site kinds of the gazetteer (bases, crossings, camps… not places, provinces, regions, countries).
    public static let siteKinds: [PlaceKind] = PlaceKind.allCases.filter(\.isSite)

    /// The gazetteer's curated sites of `kinds` (nil: every site kind), in gazetteer order;
    /// kinds that are not site kinds select nothing.
    public init(gazetteer: Gazetteer, kinds: Set<PlaceKind>? = nil) {
        var names: [String] = [], siteKinds: [String?] = [], lons: [Double] = [], lats: [Double] = []
        for e in gazetteer.entries where e.kind.isSite && (kinds?.contains(e.kind) ?? true) {
            names.append(e.name)
            siteKinds.append(e.kind.rawValue)
            lons.append(e.position.longitude)
            lats.append(e.position.latitude)
        }
        let wanted = kinds.map { k in Self.siteKinds.filter(k.contains).map(\.rawValue).joined(separator: ",") } ?? ""
        self.init(names: names, kinds: siteKinds, longitudes: lons, latitudes: lats, source: "the gazetteer",
                  emptyReason: "the gazetteer holds no sites of kind \(wanted.isEmpty ? "any" : wanted)")
    }

    /// The points of a layer, named by their `name` property (else the feature id, else
    /// `FILE feature N`), with the `kind` property as kind. One pass over the input.
    public init(layer: EventLayer) throws {
        var names: [String] = [], kinds: [String?] = []
        names.reserveCapacity(layer.count)
        kinds.reserveCapacity(layer.count)
        try layer.forEachFeature { i, f in
            names.append(f[property: "name"]?.stringValue ?? f.id.map { "\($0)" } ?? "\(layer.sourceName) feature \(i)")
            kinds.append(f[property: "kind"]?.stringValue)
        }
        self.init(names: names, kinds: kinds, longitudes: layer.longitudes, latitudes: layer.latitudes, source: layer.sourceName)
    }

    public init(names: [String], kinds: [String?], longitudes: [Double], latitudes: [Double], source: String) {
        self.init(names: names, kinds: kinds, longitudes: longitudes, latitudes: latitudes, source: source, emptyReason: "\(source) holds no sites")
    }

    init(names: [String], kinds: [String?], longitudes: [Double], latitudes: [Double], source: String, emptyReason: String) {
        precondition(names.count == kinds.count && names.count == longitudes.count && names.count == latitudes.count)
        self.names = names
        self.kinds = kinds
        self.longitudes = longitudes
        self.latitudes = latitudes
        self.source = source
        self.emptyReason = emptyReason
    }
}

/// An event layer with its nearest sites.
///
/// Rules: distances are geodesic on WGS84 and exact (`NearestTargets`: a grid search, not all
/// pairs; ties by site order); the bearing is the azimuth from the site to the event (0–360,
/// one decimal), none at zero distance; the phrase is "12 km NW of al-Tanf garrison", with one
/// decimal under 10 km and "at …" under 500 m (`NearbyTarget.phrase`).
public struct NearLayer: OutgoingEventLayer {
    public let events: EventLayer
    public let sites: NearSites
    public let options: NearOptions
    /// Per event, up to `count` sites, nearest first (none when none is within `within`).
    public let matches: [[NearbyTarget]]
    private let text: NearText

    /// - Throws: `LayerError` when there are no sites, a site or an event position is not a
    ///   longitude/latitude, or the options are out of range.
    public init(_ events: EventLayer, sites: NearSites, _ options: NearOptions) throws {
        self.events = events
        self.sites = sites
        self.options = options
        guard sites.count > 0 else { throw LayerError(sites.emptyReason) }
        let index: NearestTargets
        do {
            index = try NearestTargets(longitudes: sites.longitudes, latitudes: sites.latitudes)
        } catch let SpatialError.invalidCoordinate(i, lon, lat) {
            throw LayerError("\(sites.source): site \(i) (\(sites.names[i])): longitude \(lon), latitude \(lat) is not a position")
        }
        do {
            matches = try index.nearest(longitudes: events.longitudes, latitudes: events.latitudes, k: options.count, within: options.within)
        } catch let SpatialError.invalidCoordinate(i, lon, lat) {
            throw LayerError("\(events.sourceName): feature \(i): longitude \(lon), latitude \(lat) is not a position")
        } catch let error as SpatialError {
            throw LayerError("\(error)")
        }
        text = NearText(sites: sites, matches: matches, count: options.count)
    }

    /// The nearest sites of event `i` as objects: `name`, `kind`, `distance_km` (rounded to
    /// whole metres), `bearing_deg` (null at zero distance) and `phrase`.
    public func nearSites(_ i: Int) -> [OrderedDictionary<String, JSONValue>] { text.nearSites(i) }

    fileprivate static let siteKeys = ["name", "kind", "distance_km", "bearing_deg", "phrase"]

    /// Every event in input order with its properties and `near_name`, `near_kind`,
    /// `near_distance_km`, `near_bearing_deg` and `near_phrase` of the nearest site (null when
    /// none); with `count` above 1 also `near_sites`, the nearest as objects (`nearSites`).
    public func forEachFeature(_ body: (Feature) throws -> Void) throws {
        try forEachOutgoingFeature { try body($0.feature) }
    }

    /// `forEachFeature` for writing: plain input features as text to copy (the same bytes out).
    public func forEachOutgoingFeature(_ body: (OutgoingFeature) throws -> Void) throws {
        try forEachOutgoingEventFeature(body)
    }

    public func addedProperties(_ i: Int) -> [(String, JSONValue)] { text.addedValues(i) }

    public var outgoingText: (any AddedPropertiesWriter)? { text }

    fileprivate static let nearProperties = siteKeys.map { "near_\($0)" }
}

/// `NearLayer.addedProperties`, as values and as text (each site's name and kind escaped once).
private final class NearText: AddedPropertiesWriter {
    let addedNames: AddedNames
    let siteMembers: AddedNames
    let sites: NearSites
    let matches: [[NearbyTarget]]
    let count: Int
    /// Per site, the name as a JSON string (without its quotes inside the phrase).
    let quotedNames: ByteTexts
    /// Per site, the kind as a JSON value (a string or `null`).
    let kindTexts: ByteTexts

    init(sites: NearSites, matches: [[NearbyTarget]], count: Int) {
        addedNames = AddedNames(NearLayer.nearProperties + (count > 1 ? ["near_sites"] : []))
        siteMembers = AddedNames(NearLayer.siteKeys)
        self.sites = sites
        self.matches = matches
        self.count = count
        quotedNames = ByteTexts(sites.names.map { name in
            var w = JSONWriter()
            w.appendString(name)
            return w.bytes
        })
        kindTexts = ByteTexts(sites.kinds.map { kind in
            var w = JSONWriter()
            w.append(kind.map { .string($0) } ?? .null)
            return w.bytes
        })
    }

    private init(copying other: NearText) {
        addedNames = other.addedNames.copied()
        siteMembers = other.siteMembers.copied()
        sites = other.sites
        matches = other.matches
        count = other.count
        quotedNames = other.quotedNames.copied()
        kindTexts = other.kindTexts.copied()
    }

    func copyForThread() -> any AddedPropertiesWriter { NearText(copying: self) }

    func nearSites(_ i: Int) -> [OrderedDictionary<String, JSONValue>] {
        matches[i].map { m in OrderedDictionary(uniqueKeys: NearLayer.siteKeys, values: siteValues(m)) }
    }

    /// The values of `NearLayer.siteKeys` for one match.
    private func siteValues(_ m: NearbyTarget) -> [JSONValue] {
        [
            .string(sites.names[m.targetIndex]),
            sites.kinds[m.targetIndex].map { .string($0) } ?? .null,
            .double(Format.kilometers(m.distanceMeters)),
            // No direction from a site to a point on it.
            m.distanceMeters > 0 ? .double((m.bearingDegrees * 10).rounded() / 10) : .null,
            .string(m.phrase(name: sites.names[m.targetIndex])),
        ]
    }

    func addedValues(_ i: Int) -> [(String, JSONValue)] {
        let nearest = matches[i].first.map(siteValues)
        var added = NearLayer.nearProperties.indices.map { k in (NearLayer.nearProperties[k], nearest?[k] ?? JSONValue.null) }
        if count > 1 { added.append(("near_sites", .array(nearSites(i).map { .object($0) }))) }
        return added
    }

    func appendMembers(_ index: Int, to w: inout JSONWriter) {
        let found = matches[index]
        if let nearest = found.first {
            appendSite(nearest, names: addedNames, to: &w)
        } else {
            for k in 0..<NearLayer.nearProperties.count {
                addedNames.appendStart(k, to: &w)
                w.appendRaw("null")
            }
        }
        guard count > 1 else { return }
        addedNames.appendStart(NearLayer.nearProperties.count, to: &w)
        w.appendByte(UInt8(ascii: "["))
        for (k, match) in found.enumerated() {
            if k > 0 { w.appendByte(UInt8(ascii: ",")) }
            w.appendByte(UInt8(ascii: "{"))
            appendSite(match, names: siteMembers, to: &w)
            w.appendByte(UInt8(ascii: "}"))
        }
        w.appendByte(UInt8(ascii: "]"))
    }

    /// The members of one match under `names` (the five of `NearLayer.siteKeys`, in order).
    private func appendSite(_ m: NearbyTarget, names: AddedNames, to w: inout JSONWriter) {
        names.appendStart(0, to: &w)
        quotedNames.append(m.targetIndex, to: &w)
        names.appendStart(1, to: &w)
        kindTexts.append(m.targetIndex, to: &w)
        names.appendStart(2, to: &w)
        w.appendDecimal(units: m.distanceMeters.rounded(), decimals: 3)  // Format.kilometers
        names.appendStart(3, to: &w)
        if m.distanceMeters > 0 { w.appendDecimal(units: (m.bearingDegrees * 10).rounded(), decimals: 1) } else { w.appendRaw("null") }
        names.appendStart(4, to: &w)
        // The prefix needs no escapes; the name's escaped text goes inside the same quotes.
        w.appendByte(UInt8(ascii: "\""))
        m.appendPhrasePrefix(to: &w)
        quotedNames.append(m.targetIndex, dropFirst: 1, dropLast: 1, to: &w)
        w.appendByte(UInt8(ascii: "\""))
    }
}
