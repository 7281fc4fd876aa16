import ArgumentParser
import GeoCore
import GeoGazetteer
import GeoLayers

extension GeoCommand {
    /// `geo near EVENTS [--to SITES] [--kind base,crossing] [--within 25km] [--k 1]`.
    public struct NearCommand: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "near",
            abstract: "The nearest sites to each point: name, kind, geodesic distance, bearing, phrase.",
            discussion: """
                Sites are the gazetteer's curated sites (bases, air bases, garrisons, outposts, \
                crossings, oil and gas fields, camps, airports; --kind picks some), or the points of \
                --to FILE (named by their name property).
                Every input feature is written in input order with its properties and near_name, \
                near_kind, near_distance_km, near_bearing_deg (from the site to the point, 0–360; null at \
                zero distance) and \
                near_phrase ("12 km NW of al-Tanf garrison") for the nearest site, null when none is \
                within --within; with --k above 1 also near_sites, the k nearest as objects.
                Distances are geodesic on WGS84; the search uses a grid over the sites, not all pairs.
                """
        )

        @Argument(help: ArgumentHelp("Point layer: GeoJSON/GeoJSONSeq points, event CSV or ACLED export; - for stdin.", valueName: "events"))
        var input: String

        @Option(help: ArgumentHelp("Point file of sites instead of the gazetteer's (GeoJSON points with a name property).", valueName: "file"))
        var to: String?

        @Option(help: ArgumentHelp("Gazetteer site kinds, comma-separated (\(NearCommand.siteKinds.joined(separator: ", "))).", valueName: "kinds"))
        var kind: String?

        @Option(help: ArgumentHelp("Only sites at most this far (e.g. 25km).", valueName: "distance"), transform: ArgumentParsers.distance)
        var within: GeoCore.Distance?

        @Option(name: .customLong("k"), help: ArgumentHelp("How many nearest sites.", valueName: "n"))
        var count: Int = 1

        @OptionGroup var layerOptions: LayerInputOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var styleOption: StyleOption

        public init() {}

        static let siteKinds = NearSites.siteKinds.map(\.rawValue)

        var kinds: Set<PlaceKind>? {
            kind.map { Set($0.split(separator: ",").compactMap { PlaceKind(rawValue: $0.trimmingCharacters(in: .whitespaces).lowercased()) }) }
        }

        public func validate() throws {
            try OutputSafety.check(inputs: [input] + (to.map { [$0] } ?? []), outputs: [("-o", output.output)])
            guard count >= 1 else { throw ValidationError("--k must be at least 1, got \(count)") }
            if let within { try OptionRange.distance(within, "--within") }
            if let kind {
                for word in kind.split(separator: ",", omittingEmptySubsequences: false) {
                    let w = word.trimmingCharacters(in: .whitespaces).lowercased()
                    guard let k = PlaceKind(rawValue: w), k.isSite else {
                        throw ValidationError("--kind: unknown site kind '\(w)'; use \(Self.siteKinds.joined(separator: ", "))")
                    }
                }
                if to != nil { throw ValidationError("--kind filters the gazetteer's sites; it cannot be used with --to") }
            }
        }

        public func run() throws {
            let format = try output.resolvedFormat([.geojson, .geojsonseq])
            // With the country polygons when the reading's country check may need them (a table's
            // rows): read at once beside the places, not later on a reading thread.
            let events = layerOptions.events
            let loading = to == nil ? events.gazetteer.loadMeanwhile(readingCountryShapes: !events.noCountryCheck) : nil
            defer { loading?.finish() }
            let layer = try layerOptions.read(input)
            let sites = try to.map { try NearSites(layer: try layerOptions.read($0)) }
                ?? NearSites(gazetteer: try loading!.value(), kinds: kinds)
            let near = try NearLayer(layer, sites: sites, NearOptions(count: count, within: within))
            let writer = try FeatureOutput(output, sequence: format == .geojsonseq)
            try writer.writeEvents(of: near, style: try styleOption.outgoingStyler(for: layer))
            try writer.finish()
        }
    }
}
