import Foundation
import GeoCore
import GeoEvents
import GeoGazetteer
import GeoMetric
import GeoSpatial
import OrderedCollections

/// What `geo corridor` does, for any front end: events near the border of two countries.
public struct CorridorOptions: Hashable, Sendable {
    /// The two neighbouring countries, ISO 3166-1 alpha-2 (upper case), in the order given.
    public var countries: [String]
    /// Half-width of the corridor on each side of the border.
    public var width: Distance
    /// Largest gap along the border between consecutive events of one corridor segment.
    public var segmentGap: Distance

    public init(_ first: String, _ second: String, width: Distance = .kilometers(25), segmentGap: Distance = .kilometers(50)) {
        countries = [first, second]
        self.width = width
        self.segmentGap = segmentGap
    }

    /// `IQ-SY`, `iq - sy` → ("IQ", "SY"): two two-letter codes joined by `-`; nil otherwise.
    /// (Whether the codes differ and name neighbours is checked when the layer is built.)
    public static func countries(_ border: String) -> (String, String)? {
        let parts = border.split(separator: "-").map { part in
            let start = part.firstIndex { !$0.isWhitespace } ?? part.endIndex
            let end = part.lastIndex { !$0.isWhitespace }.map(part.index(after:)) ?? start
            return part[start..<max(start, end)].uppercased()
        }
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isLetter) }) else { return nil }
        return (parts[0], parts[1])
    }

    /// `IQ-SY`.
    public var border: String { countries.joined(separator: "-") }
}

/// An event layer measured against the border of two countries.
///
/// Rules:
/// - The border is the shared boundary of the two countries' polygons in the gazetteer's
///   `countries.geojson` (`BorderCorridor`: GEOS boundary intersection, line-merged); each part
///   runs from its northern end.
/// - `distance`: geodesic distance (WGS84) from the event to the nearest point of the border line.
/// - `inCorridor`: that distance ≤ `CorridorOptions.width`. The corridor polygon written with the
///   layer is the metric buffer of the line by the width (local azimuthal equidistant projection);
///   it draws the band, the distance decides.
/// - `side`: ISO code of the country the event is in (reverse geocoding over the gazetteer's
///   country polygons), nil at sea or outside every polygon; any country, not only the two.
/// - `along`: geodesic length along the border, from its northern end, of the nearest point.
/// - `segment`: events in the corridor, ordered by `along` (then input order), form segments
///   0, 1, 2… from the northern end; a new segment starts where two consecutive ones are more
///   than `CorridorOptions.segmentGap` apart along the border. Nil outside the corridor.
///
/// Memory: about 50 bytes an event beyond the `EventLayer`.
public struct CorridorLayer: OutgoingEventLayer {
    public let events: EventLayer
    public let options: CorridorOptions
    public let border: BorderCorridor
    /// Metres, per event.
    public let distances: [Double]
    /// Metres from the northern end, per event.
    public let along: [Double]
    /// ISO code of the country each event is in; nil when none.
    public let sides: [String?]
    public let inCorridor: [Bool]
    /// Corridor segment of each event; nil outside the corridor.
    public let segments: [Int?]
    private let reverse: ReverseGeocoder
    private let text: CorridorText

    /// Events in the corridor.
    public var inCorridorCount: Int { inCorridor.lazy.filter { $0 }.count }
    /// Number of corridor segments.
    public var segmentCount: Int { (segments.lazy.compactMap { $0 }.max() ?? -1) + 1 }

    /// - Throws: `LayerError` when the two countries share no border or are not in the
    ///   gazetteer's countries file, or an event's position is not a longitude/latitude.
    public init(_ events: EventLayer, _ options: CorridorOptions, gazetteer: Gazetteer) throws {
        try self.init(events, options, gazetteer: gazetteer, threads: ProcessInfo.processInfo.activeProcessorCount, eventsPerThread: 50_000)
    }

    /// `init` measuring on up to `threads` threads of at least `eventsPerThread` events each
    /// (same results).
    init(_ events: EventLayer, _ options: CorridorOptions, gazetteer: Gazetteer, threads: Int, eventsPerThread: Int) throws {
        self.events = events
        self.options = options
        guard options.countries.count == 2 else {
            throw LayerError("border \(options.border): a border needs two countries")
        }
        do {
            let (a, b) = (options.countries[0], options.countries[1])
            border = try BorderCorridor(
                countriesFile: gazetteer.countriesFile, between: (a, try gazetteer.countryShape(code: a)), and: (b, try gazetteer.countryShape(code: b)),
                width: options.width, metric: try MetricGeometry())
        } catch let error as SpatialError {
            throw LayerError("--border \(options.border): \(error)")
        }
        reverse = try ReverseGeocoder(gazetteer: gazetteer)
        for i in 0..<events.count {
            let lon = events.longitudes[i], lat = events.latitudes[i]
            guard lat.isFinite, lon.isFinite, abs(lat) <= 90, abs(lon) <= 180 else {
                throw LayerError("\(events.sourceName): feature \(i): longitude \(lon), latitude \(lat) is not a position")
            }
        }
        let positions = try border.locate(longitudes: events.longitudes, latitudes: events.latitudes, threads: threads, pointsPerThread: eventsPerThread)
        let distances = positions.map(\.distanceMeters), along = positions.map(\.alongMeters)
        let countryNumbers = try Self.countries(events, threads: threads, eventsPerThread: eventsPerThread, reverse: reverse, gazetteer: gazetteer)
        let codes = reverse.countryCodes
        let sides = countryNumbers.map { $0 < 0 ? nil : codes[Int($0)] }
        let inCorridor = distances.map { $0 <= options.width.meters }
        self.distances = distances
        self.along = along
        self.sides = sides
        self.inCorridor = inCorridor
        let segments = BorderCorridor.groupsAlong(along.indices.map { inCorridor[$0] ? along[$0] : nil }, maxGap: options.segmentGap)
        self.segments = segments
        text = CorridorText(distances: distances, along: along, sides: sides, countryNumbers: countryNumbers, codes: codes, inCorridor: inCorridor,
                            segments: segments)
    }

    /// The country of each event (`ReverseGeocoder.countryNumber`; -1 when none), on up to
    /// `threads` threads of at least `eventsPerThread` events, each but the first with a
    /// `ReverseGeocoder` (GEOS context) of its own, taking blocks of events in turn
    /// (`WorkBlocks`). The first failure by event order is thrown.
    private static func countries(_ events: EventLayer, threads: Int, eventsPerThread: Int, reverse: ReverseGeocoder,
                                  gazetteer: Gazetteer) throws -> [Int32] {
        let n = events.count
        let parts = max(1, min(threads, n / max(1, eventsPerThread)))
        let blocks = WorkBlocks(count: n, blockSize: WorkBlocks.blockSize(count: n, threads: parts, minimum: eventsPerThread / 4))
        var sides = [Int32](repeating: -1, count: n)
        // One per block, then one per thread (a geocoder that could not be made).
        var failures = [Error?](repeating: nil, count: (n + blocks.blockSize - 1) / blocks.blockSize + parts)
        sides.withUnsafeMutableBufferPointer { out in
            failures.withUnsafeMutableBufferPointer { errors in
                let shared = SharedSides(sides: out, errors: errors, longitudes: events.longitudes, latitudes: events.latitudes,
                                         gazetteer: gazetteer, first: reverse)
                DispatchQueue.concurrentPerform(iterations: parts) { j in
                    let geocoder: ReverseGeocoder
                    do {
                        geocoder = j == 0 ? shared.first : try ReverseGeocoder(gazetteer: shared.gazetteer)
                    } catch {
                        shared.errors[shared.errors.count - parts + j] = error
                        return
                    }
                    while let block = blocks.take() {
                        do {
                            for i in block {
                                let position = Position(longitude: shared.longitudes[i], latitude: shared.latitudes[i])
                                shared.sides[i] = try geocoder.countryNumber(at: position).map(Int32.init) ?? -1
                            }
                        } catch {
                            shared.errors[block.lowerBound / blocks.blockSize] = error
                        }
                    }
                }
            }
        }
        if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
        return sides
    }

    /// Every event in input order with its properties and `layer` (`events`),
    /// `border_distance_km`, `in_corridor`, `side` (null when none), `border_km` and
    /// `corridor_segment` (null outside the corridor). Kilometres are rounded to whole metres.
    public func forEachEventFeature(_ body: (Feature) throws -> Void) throws {
        try forEachOutgoingEventFeature { try body($0.feature) }
    }

    public func addedProperties(_ i: Int) -> [(String, JSONValue)] { text.addedValues(i) }

    public var outgoingText: (any AddedPropertiesWriter)? { text }

    /// The border line (layer `border`: codes, country names, length, `measured_from`).
    public var borderFeature: Feature {
        Feature(geometry: border.line, properties: [
            "layer": "border", "border": .string(options.border),
            "countries": .string("\(border.countryNames.0) – \(border.countryNames.1)"),
            "length_km": .double(Format.kilometers(border.lengthMeters)), "measured_from": "northern end",
        ])
    }

    /// The corridor polygon (layer `corridor`: codes and width).
    public var corridorFeature: Feature {
        Feature(geometry: border.corridor, properties: [
            "layer": "corridor", "border": .string(options.border), "width_km": .double(Format.kilometers(options.width.meters)),
        ])
    }

    /// The events, then the border and the corridor: the layer as one collection.
    public func forEachFeature(_ body: (Feature) throws -> Void) throws {
        try forEachOutgoingFeature { try body($0.feature) }
    }

    /// `forEachFeature` for writing: plain input features as text to copy (the same bytes out).
    public func forEachOutgoingFeature(_ body: (OutgoingFeature) throws -> Void) throws {
        try forEachOutgoingEventFeature(body)
        try body(.feature(borderFeature))
        try body(.feature(corridorFeature))
    }

    /// The border, its length, the width and gap (km), the number of events and of those in
    /// the corridor, and per segment (from the northern end): its events, the span along the
    /// border it covers (`from_km`, `to_km`), the count by side (`none` for no country), the
    /// nearest gazetteer place to the border point nearest its middle event (by `along`) as a
    /// phrase, and the `event_date` of its first and last dated events (by the middle of each
    /// time span), as written in the input.
    public func summary() throws -> JSONValue {
        let count = segmentCount
        var members = [[Int]](repeating: [], count: count)
        for i in segments.indices { if let g = segments[i] { members[g].append(i) } }
        for g in members.indices { members[g].sort { along[$0] < along[$1] } }
        var ends: [(first: Int, last: Int)?] = []
        for m in members {
            ends.append(events.firstAndLastDated(m))
        }
        let dateFeatures = try events.features(at: ends.flatMap { $0.map { [$0.first, $0.last] } ?? [] })
        var list: [JSONValue] = []
        for (g, m) in members.enumerated() {
            var bySide: OrderedDictionary<String, JSONValue> = [:]
            for i in m {
                let key = sides[i] ?? "none"
                bySide[key] = .integer((bySide[key]?.numberValue).map { Int64($0) + 1 } ?? 1)
            }
            let middle = m[m.count / 2]
            let nearest = try border.locate(longitude: events.longitudes[middle], latitude: events.latitudes[middle]).nearest
            let near = try reverse.lookup(nearest).nearestPlace
            var s: OrderedDictionary<String, JSONValue> = [
                "segment": .integer(Int64(g)),
                "events": .integer(Int64(m.count)),
                "from_km": .double(Format.kilometers(along[m.first!])),
                "to_km": .double(Format.kilometers(along[m.last!])),
                "sides": .object(bySide),
                "near": near.map { .string($0.phrase) } ?? .null,
            ]
            s["first_date"] = ends[g].flatMap { dateFeatures[$0.first]?[property: "event_date"] } ?? .null
            s["last_date"] = ends[g].flatMap { dateFeatures[$0.last]?[property: "event_date"] } ?? .null
            list.append(.object(s))
        }
        return .object([
            "border": .string("\(border.countryCodes.0)-\(border.countryCodes.1)"),
            "border_length_km": .double(Format.kilometers(border.lengthMeters)),
            "width_km": .double(Format.kilometers(options.width.meters)),
            "segment_gap_km": .double(Format.kilometers(options.segmentGap.meters)),
            "events": .integer(Int64(events.count)),
            "in_corridor": .integer(Int64(inCorridorCount)),
            "segments": .array(list),
        ])
    }

    /// `summary()` to read: a line for the border and width, one for the corridor count, one
    /// per segment (`segment 0: km 12.3–45.6, 4 events (SY 3, IQ 1), 2024-01-20 – 2024-02-02, 3 km W of …`).
    public func summaryText() throws -> String { Self.text(try summary()) }

    /// The text rendering of a `summary()` value.
    public static func text(_ summary: JSONValue) -> String {
        let o = summary.objectValue ?? [:]
        var lines = [
            "border \(o["border"]?.stringValue ?? "?"): \(Format.shortest(o["border_length_km"]?.numberValue ?? 0)) km, corridor ±\(Format.shortest(o["width_km"]?.numberValue ?? 0)) km",
            "\(Int(o["in_corridor"]?.numberValue ?? 0)) of \(Int(o["events"]?.numberValue ?? 0)) events in the corridor",
        ]
        for s in o["segments"]?.arrayValue ?? [] {
            let so = s.objectValue ?? [:]
            let sides = (so["sides"]?.objectValue ?? [:]).map { "\($0.key) \(Int($0.value.numberValue ?? 0))" }.joined(separator: ", ")
            let dates = [so["first_date"]?.stringValue, so["last_date"]?.stringValue].compactMap { $0 }.joined(separator: " – ")
            let span = "km \(Format.fixed(so["from_km"]?.numberValue ?? 0, 1))–\(Format.fixed(so["to_km"]?.numberValue ?? 0, 1))"
            let near = so["near"]?.stringValue.map { ", \($0)" } ?? ""
            lines.append("segment \(Int(so["segment"]?.numberValue ?? 0)): \(span), \(Int(so["events"]?.numberValue ?? 0)) events (\(sides))\(dates.isEmpty ? "" : ", \(dates)")\(near)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// What the threads of `CorridorLayer.countries` share: each writes the blocks of `sides` it
/// takes and their elements of `errors` (or its own, past the blocks'); `first` is used by one
/// thread only.
private struct SharedSides: @unchecked Sendable {
    let sides: UnsafeMutableBufferPointer<Int32>
    let errors: UnsafeMutableBufferPointer<Error?>
    /// The layer's columns, read here (not through the layer's properties, each read of which
    /// from this module was a run-time exclusivity check).
    let longitudes: [Double], latitudes: [Double]
    let gazetteer: Gazetteer
    let first: ReverseGeocoder
}

/// `CorridorLayer.addedProperties`, as values and as text.
private final class CorridorText: AddedPropertiesWriter {
    let addedNames = AddedNames([EventLayer.layerProperty, "border_distance_km", "in_corridor", "side", "border_km", "corridor_segment"])
    let distances: [Double], along: [Double], sides: [String?], inCorridor: [Bool], segments: [Int?]
    /// Each event's side as the number of its text in `sideTexts`: its country's number, or
    /// the last text (`null`) for none.
    let sideNumbers: [Int32]
    /// Per country number its code as JSON (`"SY"`, `null` for a polygon without), then `null`.
    let sideTexts: ByteTexts

    init(distances: [Double], along: [Double], sides: [String?], countryNumbers: [Int32], codes: [String?], inCorridor: [Bool],
         segments: [Int?]) {
        self.distances = distances
        self.along = along
        self.sides = sides
        self.inCorridor = inCorridor
        self.segments = segments
        let none = Int32(codes.count)
        sideNumbers = countryNumbers.map { $0 < 0 ? none : $0 }
        sideTexts = ByteTexts((codes + [nil]).map { code in
            var w = JSONWriter()
            if let code { w.appendString(code) } else { w.appendRaw("null") }
            return w.bytes
        })
    }

    private init(copying other: CorridorText) {
        (distances, along, sides, inCorridor, segments) = (other.distances, other.along, other.sides, other.inCorridor, other.segments)
        (sideNumbers, sideTexts) = (other.sideNumbers, other.sideTexts.copied())
    }

    func copyForThread() -> any AddedPropertiesWriter { CorridorText(copying: self) }

    func addedValues(_ i: Int) -> [(String, JSONValue)] {
        [(EventLayer.layerProperty, JSONValue.string("events")),
         ("border_distance_km", .double(Format.kilometers(distances[i]))),
         ("in_corridor", .bool(inCorridor[i])),
         ("side", sides[i].map { .string($0) } ?? .null),
         ("border_km", .double(Format.kilometers(along[i]))),
         ("corridor_segment", segments[i].map { .integer(Int64($0)) } ?? .null)]
    }

    func appendMembers(_ index: Int, to w: inout JSONWriter) {
        addedNames.appendStart(0, to: &w)
        w.appendRaw("\"events\"")
        addedNames.appendStart(1, to: &w)
        w.appendDecimal(units: distances[index].rounded(), decimals: 3)  // Format.kilometers
        addedNames.appendStart(2, to: &w)
        if inCorridor[index] { w.appendRaw("true") } else { w.appendRaw("false") }
        addedNames.appendStart(3, to: &w)
        sideTexts.append(Int(sideNumbers[index]), to: &w)
        addedNames.appendStart(4, to: &w)
        w.appendDecimal(units: along[index].rounded(), decimals: 3)  // Format.kilometers
        addedNames.appendStart(5, to: &w)
        if let segment = segments[index] { w.appendInteger(Int64(segment)) } else { w.appendRaw("null") }
    }
}
