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
            for text in [fromText, toText] where PointReference.looksLikeLatLon(text) { _ = try ArgumentParsers.latLon(text) }
        }

        /// A coordinate, or the gazetteer's answer for a name (noted on stderr).
        func resolve(_ text: String) throws -> Position {
            let point = try PointReference(text, options: lookup.options(), gazetteer: { try gazetteer.load() })
            if let note = point.note { Console.current.printError(note) }
            return point.position
        }

        public func run() throws {
            let from = try resolve(fromText)
            let to = try resolve(toText)
            let format = try output.resolvedFormat([.text, .json, .geojson])
            let report = try GeodesicReport(from: from, to: to)
            let sink = try Console.current.sink(forOutput: output.output)
            switch format {
            case .json:
                var w = JSONWriter()
                w.append(report.json)
                w.appendByte(UInt8(ascii: "\n"))
                try sink.write(w)
            case .geojson:
                try sink.write(output.encoder.encode(try report.feature(step: step)) + [UInt8(ascii: "\n")])
            default:
                try sink.write(report.text)
            }
            try Console.current.finishOutput(sink)
        }
    }
}
