import ArgumentParser
import GeoCore
import GeoLayers

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
        @OptionGroup var styleOption: StyleOption

        public init() {}

        var codes: (String, String)? { CorridorOptions.countries(border) }

        public func validate() throws {
            try OutputSafety.check(inputs: [input], outputs: [("-o", output.output)])
            guard let codes else { throw ValidationError("--border takes two ISO country codes joined by '-', such as IQ-SY; got '\(border)'") }
            guard codes.0 != codes.1 else { throw ValidationError("--border needs two different countries, got \(border)") }
            try OptionRange.distance(width, "--width", maxMeters: 1_000_000, why: "a corridor is a band along the border; wider ones distort in the local projection")
            try OptionRange.distance(segment, "--segment", allowZero: true)
        }

        public func run() throws {
            let format = try output.resolvedFormat([.geojson, .json, .text])
            let loading = layerOptions.events.gazetteer.loadMeanwhile(readingCountryShapes: true)
            defer { loading.finish() }
            let layer = try layerOptions.read(input)
            let gazetteer = try loading.value()
            let codes = codes!
            let corridor = try CorridorLayer(layer, CorridorOptions(codes.0, codes.1, width: width, segmentGap: segment), gazetteer: gazetteer)
            let sink = try Console.current.sink(forOutput: output.output)
            switch format {
            case .geojson:
                let writer = try GeoJSONStreamWriter(sink: sink, encoder: output.encoder)
                let style = try styleOption.outgoingStyler(for: layer)
                try corridor.encodeOutgoingEventFeatures(sequence: false, encoder: output.encoder, style: style) { try writer.writeEncoded($0) }
                for feature in [corridor.borderFeature, corridor.corridorFeature] { try writer.write(style?(.feature(feature)) ?? .feature(feature)) }
                try writer.finish()
            case .json:
                var w = JSONWriter()
                w.append(try corridor.summary())
                w.appendByte(UInt8(ascii: "\n"))
                try sink.write(w)
            default:
                try sink.write(try corridor.summaryText())
            }
            try sink.flush()
            try Console.current.finishOutput(sink)
        }
    }
}
