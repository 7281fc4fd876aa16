import ArgumentParser
import GeoCore
import GeoGazetteer
import GeoProj

extension GeoCommand {
    /// `geo distance A B`: the geodesic between two points on WGS84.
    public struct DistanceCommand: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "distance",
            abstract: "Geodesic distance and azimuths between two points (WGS84, PROJ geod_inverse).",
            discussion: """
                Points are lat,lon in decimal degrees or place names resolved by the gazetteer \
                (geo distance Boukamal "al-Tanf"); the names' matches are reported on stderr.
                Formats: text (default), json ({"distance_m", "azimuth1_deg", "azimuth2_deg", …}), \
                geojson (the geodesic as a LineString feature, densified every --step).
                """
        )

        @Argument(help: ArgumentHelp("First point: lat,lon or a place name.", valueName: "place"))
        var fromText: String

        @Argument(help: ArgumentHelp("Second point: lat,lon or a place name.", valueName: "place"))
        var toText: String

        @OptionGroup var lookup: LookupOptions
        @OptionGroup var gazetteer: GazetteerOptions

        @OptionGroup var output: OutputOptions

        @Option(
            help: ArgumentHelp("Vertex spacing of the GeoJSON line (e.g. 10km).", valueName: "distance"),
            transform: ArgumentParsers.distance)
        var step: GeoCore.Distance = .kilometers(10)

        public init() {}

        public func validate() throws {
            try OptionRange.distance(step, "--step")
            for text in [fromText, toText] where Self.looksNumeric(text) { _ = try ArgumentParsers.latLon(text) }
        }

        /// Text that starts like a number is a coordinate, never a name.
        /// Whether the text is meant as `lat,lon`: it starts like a number, or it is two
        /// comma-separated words that Swift would read as numbers (`nan,nan`, `inf,0`, `0x1p5,3`),
        /// which must be refused as coordinates rather than looked up as a place name.
        static func looksNumeric(_ text: String) -> Bool {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard let first = trimmed.first else { return false }
            if first.isNumber || first == "-" || first == "+" || first == "." { return true }
            let parts = trimmed.split(separator: ",", omittingEmptySubsequences: false)
            return parts.count == 2 && parts.allSatisfy { Double($0.trimmingCharacters(in: .whitespaces)) != nil }
        }

        /// A coordinate, or the gazetteer's answer for a name (an error when unresolved).
        func resolve(_ text: String, _ gaz: inout Gazetteer?) throws -> Position {
            if Self.looksNumeric(text) { return try ArgumentParsers.latLon(text) }
            if gaz == nil { gaz = try gazetteer.load() }
            let r = gaz!.geocode(text, options: lookup.options())
            guard let best = r.best else {
                let hint = r.suggestions.isEmpty ? "" : "; did you mean \(r.suggestions.prefix(3).joined(separator: ", "))?"
                throw CommandError("'\(text)' is not a lat,lon and no gazetteer place matches it\(hint)")
            }
            var note = "\(text) → \(best.entry.name) (\(best.entry.country), \(best.entry.kind.rawValue), \(best.entry.id), score \(Format.fixed(best.score, 2)))"
            if r.status == .ambiguous { note += "; also " + r.alternatives.map { "\($0.entry.name) (\($0.entry.country))" }.joined(separator: ", ") }
            Console.current.printError(note)
            return best.entry.position
        }

        public func run() throws {
            var gaz: Gazetteer?
            let from = try resolve(fromText, &gaz)
            let to = try resolve(toText, &gaz)
            let format = try output.resolvedFormat([.text, .json, .geojson])
            let geodesic = Geodesic.wgs84
            let result = try geodesic.inverse(from: from, to: to)
            let sink = try Console.current.sink(forOutput: output.output)
            switch format {
            case .json:
                var w = JSONWriter()
                w.append(Self.json(from: from, to: to, result))
                w.appendByte(UInt8(ascii: "\n"))
                try sink.write(w.bytes)
            case .geojson:
                let line = try Self.geodesicLine(from: from, to: to, result, step: step, geodesic: geodesic)
                var properties = Self.json(from: from, to: to, result).objectValue ?? [:]
                properties.removeValue(forKey: "from")
                properties.removeValue(forKey: "to")
                let feature = Feature(geometry: .lineString(line), properties: properties)
                try sink.write(output.encoder.encode(feature) + [UInt8(ascii: "\n")])
            default:
                try sink.write(Self.text(from: from, to: to, result))
            }
            try sink.flush()
        }

        static func json(from: Position, to: Position, _ r: Geodesic.Inverse) -> JSONValue {
            [
                "from": ["lat": .double(from.latitude), "lon": .double(from.longitude)],
                "to": ["lat": .double(to.latitude), "lon": .double(to.longitude)],
                "distance_m": .double((r.distanceMeters * 1000).rounded() / 1000),
                "distance_km": .double((r.distanceMeters).rounded() / 1000),
                "azimuth1_deg": .double((r.azimuth1Degrees * 1e6).rounded() / 1e6),
                "azimuth2_deg": .double((r.azimuth2Degrees * 1e6).rounded() / 1e6),
            ]
        }

        /// An azimuth in −180…180° as a compass bearing in 0…360°.
        static func bearing(_ azimuthDegrees: Double) -> Double {
            azimuthDegrees < 0 ? azimuthDegrees + 360 : azimuthDegrees
        }

        static func text(from: Position, to: Position, _ r: Geodesic.Inverse) -> String {
            let km = Format.grouped(r.distanceMeters / 1000, decimals: 3)
            let m = Format.grouped(r.distanceMeters, decimals: 2)
            // Text shows bearings 0–360°; JSON keeps the geodesic convention −180…180°.
            let az1 = Format.fixed(Self.bearing(r.azimuth1Degrees), 2), az2 = Format.fixed(Self.bearing(r.azimuth2Degrees), 2)
            return """
                from:            \(Format.fixed(from.latitude, 6)), \(Format.fixed(from.longitude, 6))
                to:              \(Format.fixed(to.latitude, 6)), \(Format.fixed(to.longitude, 6))
                distance:        \(km) km (\(m) m)
                initial azimuth: \(az1)° (\(Geodesic.compassPoint(azimuthDegrees: r.azimuth1Degrees)))
                final azimuth:   \(az2)° (\(Geodesic.compassPoint(azimuthDegrees: r.azimuth2Degrees)))

                """
        }

        /// Vertices along the geodesic every `step` (at least the two ends), by `geod_direct`.
        /// Longitudes are unwrapped so that a line across the antimeridian stays continuous.
        static func geodesicLine(
            from: Position, to: Position, _ r: Geodesic.Inverse, step: GeoCore.Distance, geodesic: Geodesic
        ) throws -> [Position] {
            let segments = Int(max(1, min(10_000, (r.distanceMeters / step.meters).rounded(.up))))  // clamped as a Double: a tiny step cannot overflow Int
            var line = [from]
            for i in 1..<segments {
                let d = r.distanceMeters * Double(i) / Double(segments)
                var p = try geodesic.direct(from: from, azimuthDegrees: r.azimuth1Degrees, distanceMeters: d).destination
                let previous = line[line.count - 1].longitude
                while p.longitude - previous > 180 { p.x -= 360 }
                while p.longitude - previous < -180 { p.x += 360 }
                line.append(p)
            }
            var end = to
            while end.longitude - line[line.count - 1].longitude > 180 { end.x -= 360 }
            while end.longitude - line[line.count - 1].longitude < -180 { end.x += 360 }
            line.append(end)
            return line
        }
    }
}
