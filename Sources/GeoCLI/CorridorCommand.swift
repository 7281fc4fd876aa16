import ArgumentParser
import GeoCore
import GeoGazetteer
import GeoMetric
import GeoSpatial
import OrderedCollections

extension GeoCommand {
    /// `geo corridor EVENTS --border IQ-SY --width 25km [--segment 50km]`.
    public struct CorridorCommand: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "corridor",
            abstract: "Events near a border: distance to it, side, position along it, corridor hot spots.",
            discussion: """
                The border is the shared boundary of the two countries' polygons in the gazetteer's \
                countries.geojson (GEOS), for any pair of neighbours (IQ-SY, SY-JO, IQ-JO, SY-TR, IQ-IR…). \
                The corridor is everything within --width of it on either side (a metric buffer in a \
                local azimuthal equidistant projection, back to WGS84).
                Each event keeps its properties and gets border_distance_km (geodesic), in_corridor \
                (border_distance_km ≤ --width), side (ISO code of the country it is in, null at sea), \
                border_km (position along the border from its northern end) and corridor_segment: \
                events in the corridor, ordered along the border, start a new segment after a gap \
                larger than --segment (0 is the northernmost).
                Formats: geojson (default: one FeatureCollection, the events then the border line and \
                the corridor polygon, each with a `layer` property), json or text (the per-segment summary).
                """
        )

        @Argument(help: ArgumentHelp("Point layer: GeoJSON/GeoJSONSeq points, event CSV or ACLED export; - for stdin.", valueName: "events"))
        var input: String

        @Option(help: ArgumentHelp("Two neighbouring countries, ISO 3166-1 alpha-2 (e.g. IQ-SY).", valueName: "AA-BB"))
        var border: String

        @Option(help: ArgumentHelp("Corridor half-width on each side of the border (e.g. 25km).", valueName: "distance"), transform: ArgumentParsers.distance)
        var width: GeoCore.Distance = .kilometers(25)

        @Option(help: ArgumentHelp("Largest gap along the border inside one corridor segment.", valueName: "distance"), transform: ArgumentParsers.distance)
        var segment: GeoCore.Distance = .kilometers(50)

        @OptionGroup var layerOptions: LayerInputOptions
        @OptionGroup var output: OutputOptions

        public init() {}

        var codes: (String, String)? {
            let parts = border.split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces).uppercased() }
            guard parts.count == 2, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isLetter) }) else { return nil }
            return (parts[0], parts[1])
        }

        public func validate() throws {
            try OutputSafety.check(inputs: [input], outputs: [("-o", output.output)])
            guard let codes else { throw ValidationError("--border takes two ISO country codes joined by '-', such as IQ-SY; got '\(border)'") }
            guard codes.0 != codes.1 else { throw ValidationError("--border needs two different countries, got \(border)") }
            try OptionRange.distance(width, "--width", maxMeters: 1_000_000, why: "a corridor is a band along the border; wider ones distort in the local projection")
            try OptionRange.distance(segment, "--segment", allowZero: true)
        }

        public func run() throws {
            let format = try output.resolvedFormat([.geojson, .json, .text])
            let layer = try PointLayer.read(input, options: layerOptions)
            let gazetteer = try layerOptions.events.gazetteer.load()
            let codes = codes!
            let corridor: BorderCorridor
            do {
                corridor = try BorderCorridor(
                    countriesFile: gazetteer.dataDirectory + "/countries.geojson", between: codes.0, and: codes.1,
                    width: width, metric: try MetricGeometry())
            } catch let error as SpatialError {
                throw CommandError("--border \(border): \(error)")
            }
            let reverse = try ReverseGeocoder(gazetteer: gazetteer)
            var positions: [BorderPosition] = []
            var sides: [String?] = []
            positions.reserveCapacity(layer.count)
            for i in 0..<layer.count {
                let lon = layer.longitudes[i], lat = layer.latitudes[i]
                guard lat.isFinite, lon.isFinite, abs(lat) <= 90, abs(lon) <= 180 else {
                    throw CommandError("\(layer.sourceName): feature \(i): longitude \(lon), latitude \(lat) is not a position")
                }
                positions.append(try corridor.locate(longitude: lon, latitude: lat))
                sides.append(try reverse.country(at: Position(longitude: lon, latitude: lat))?.code)
            }
            let inCorridor = positions.map { $0.distanceMeters <= width.meters }
            let groups = BorderCorridor.groupsAlong(positions.indices.map { inCorridor[$0] ? positions[$0].alongMeters : nil }, maxGap: segment)
            let sink = try Console.current.sink(forOutput: output.output)
            switch format {
            case .geojson:
                let writer = try GeoJSONStreamWriter(sink: sink, encoder: output.encoder)
                for (i, var feature) in layer.features.enumerated() {
                    var p = feature.properties ?? [:]
                    p["layer"] = "events"
                    p["border_distance_km"] = .double(Self.km(positions[i].distanceMeters))
                    p["in_corridor"] = .bool(inCorridor[i])
                    p["side"] = sides[i].map { .string($0) } ?? .null
                    p["border_km"] = .double(Self.km(positions[i].alongMeters))
                    p["corridor_segment"] = groups[i].map { .integer(Int64($0)) } ?? .null
                    feature.properties = p
                    try writer.write(feature)
                }
                let border = "\(codes.0)-\(codes.1)"
                try writer.write(Feature(geometry: corridor.line, properties: [
                    "layer": "border", "border": .string(border), "countries": .string("\(corridor.countryNames.0) – \(corridor.countryNames.1)"),
                    "length_km": .double(Self.km(corridor.lengthMeters)), "measured_from": "northern end",
                ]))
                try writer.write(Feature(geometry: corridor.corridor, properties: [
                    "layer": "corridor", "border": .string(border), "width_km": .double(Self.km(width.meters)),
                ]))
                try writer.finish()
            default:
                let summary = try Self.summary(layer, corridor, positions, inCorridor, groups, sides, reverse, width: width, segment: segment)
                if format == .json {
                    var w = JSONWriter()
                    w.append(summary)
                    w.appendByte(UInt8(ascii: "\n"))
                    try sink.write(w.bytes)
                } else {
                    try sink.write(Self.text(summary))
                }
            }
            try sink.flush()
            try Console.current.finishOutput(sink)
        }

        static func km(_ meters: Double) -> Double { (meters).rounded() / 1000 }

        static func summary(
            _ layer: PointLayer, _ corridor: BorderCorridor, _ positions: [BorderPosition], _ inCorridor: [Bool], _ groups: [Int?],
            _ sides: [String?], _ reverse: ReverseGeocoder, width: GeoCore.Distance, segment: GeoCore.Distance
        ) throws -> JSONValue {
            let count = (groups.compactMap { $0 }.max() ?? -1) + 1
            var segments: [JSONValue] = []
            for g in 0..<count {
                let members = groups.indices.filter { groups[$0] == g }.sorted { positions[$0].alongMeters < positions[$1].alongMeters }
                var bySide: OrderedDictionary<String, JSONValue> = [:]
                for i in members {
                    let key = sides[i] ?? "none"
                    bySide[key] = .integer((bySide[key]?.numberValue).map { Int64($0) + 1 } ?? 1)
                }
                let middle = positions[members[members.count / 2]].nearest
                let near = try reverse.lookup(middle).nearestPlace
                var s: OrderedDictionary<String, JSONValue> = [
                    "segment": .integer(Int64(g)),
                    "events": .integer(Int64(members.count)),
                    "from_km": .double(km(positions[members.first!].alongMeters)),
                    "to_km": .double(km(positions[members.last!].alongMeters)),
                    "sides": .object(bySide),
                    "near": near.map { .string($0.phrase) } ?? .null,
                ]
                let dated = members.filter { layer.intervals[$0] != nil }
                let firstIndex = dated.min { layer.intervals[$0]!.midpointSeconds < layer.intervals[$1]!.midpointSeconds }
                let lastIndex = dated.max { layer.intervals[$0]!.midpointSeconds < layer.intervals[$1]!.midpointSeconds }
                s["first_date"] = firstIndex.flatMap { layer.features[$0][property: "event_date"] } ?? .null
                s["last_date"] = lastIndex.flatMap { layer.features[$0][property: "event_date"] } ?? .null
                segments.append(.object(s))
            }
            return .object([
                "border": .string("\(corridor.countryCodes.0)-\(corridor.countryCodes.1)"),
                "border_length_km": .double(km(corridor.lengthMeters)),
                "width_km": .double(km(width.meters)),
                "segment_gap_km": .double(km(segment.meters)),
                "events": .integer(Int64(layer.count)),
                "in_corridor": .integer(Int64(inCorridor.filter { $0 }.count)),
                "segments": .array(segments),
            ])
        }

        static func text(_ summary: JSONValue) -> String {
            let o = summary.objectValue ?? [:]
            var lines = [
                "border \(o["border"]?.stringValue ?? "?"): \(Format.shortest(o["border_length_km"]?.numberValue ?? 0)) km, corridor ±\(Format.shortest(o["width_km"]?.numberValue ?? 0)) km",
                "\(Int(o["in_corridor"]?.numberValue ?? 0)) of \(Int(o["events"]?.numberValue ?? 0)) events in the corridor",
            ]
            for s in o["segments"]?.arrayValue ?? [] {
                let so = s.objectValue ?? [:]
                let sides = (so["sides"]?.objectValue ?? [:]).map { "\($0.key) \(Int($0.value.numberValue ?? 0))" }.joined(separator: ", ")
                let dates = [so["first_date"]?.stringValue, so["last_date"]?.stringValue].compactMap { $0 }.joined(separator: " – ")
                lines.append("segment \(Int(so["segment"]?.numberValue ?? 0)): km \(Format.fixed(so["from_km"]?.numberValue ?? 0, 1))–\(Format.fixed(so["to_km"]?.numberValue ?? 0, 1)), \(Int(so["events"]?.numberValue ?? 0)) events (\(sides))\(dates.isEmpty ? "" : ", \(dates)")\(so["near"]?.stringValue.map { ", \($0)" } ?? "")")
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }
}
