import ArgumentParser
import GeoCore
import GeoLayers

extension GeoCommand {
    /// `geo cluster EVENTS --within 50km [--min-points N] [--time-window 7d] [--summary]`.
    public struct ClusterCommand: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "cluster",
            abstract: "Cluster points by geodesic distance: single linkage or DBSCAN, optionally in space and time.",
            discussion: """
                Every input feature is written in input order with its properties and two more: \
                cluster (0, 1, 2… by first appearance; null for noise) and cluster_role (core, edge, noise).
                --min-points 1 (default): single linkage, the connected components of "within \
                --within of each other" (PostGIS ST_ClusterWithin); every point is core.
                --min-points N > 1: DBSCAN (PostGIS ST_ClusterDBSCAN, Turf clustersDbscan): core when \
                at least N points, itself included, lie within --within; an edge point near cores of \
                two clusters joins the cluster of its core neighbour that comes first in the input.
                --time-window W: two events are neighbours only if also the gap between their time \
                spans (from event_date, date_end, time_precision; 0 when they overlap) is at most W.
                --summary: one polygon feature per cluster instead (convex hull, or a 1 km buffer for \
                one or two points) with count, first/last date, top event types, actors and centroid.
                Distances are geodesic on WGS84; the search uses a grid tied to --within, not all pairs.
                """
        )

        @Argument(help: ArgumentHelp("Point layer: GeoJSON/GeoJSONSeq points, event CSV or ACLED export; - for stdin.", valueName: "events"))
        var input: String

        @Option(help: ArgumentHelp("Neighbour distance (e.g. 50km, 500m).", valueName: "distance"), transform: ArgumentParsers.distance)
        var within: GeoCore.Distance

        @Option(help: ArgumentHelp("Points within --within (itself included) that make a core point; 1 = single linkage.", valueName: "n"))
        var minPoints: Int = 1

        @Option(help: ArgumentHelp("Largest gap between the time spans of neighbours (e.g. 7d).", valueName: "duration"), transform: ArgumentParsers.timeSpan)
        var timeWindow: TimeSpan?

        @Flag(help: "Write one polygon per cluster instead of the points.")
        var summary = false

        @OptionGroup var layerOptions: LayerInputOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var styleOption: StyleOption

        public init() {}

        public func validate() throws {
            try OutputSafety.check(inputs: [input], outputs: [("-o", output.output)])
            try OptionRange.distance(within, "--within")
            if let timeWindow { try OptionRange.duration(timeWindow, "--time-window", allowZero: true) }
            guard minPoints >= 1 else { throw ValidationError("--min-points must be at least 1, got \(minPoints)") }
            if let timeWindow, !(timeWindow.seconds >= 0) { throw ValidationError("--time-window must not be negative, got \(timeWindow)") }
        }

        public func run() throws {
            let format = try output.resolvedFormat([.geojson, .geojsonseq])
            let layer = try layerOptions.read(input)
            let clusters = try ClusterLayer(layer, ClusterOptions(within: within, minPoints: minPoints, timeWindow: timeWindow))
            let writer = try FeatureOutput(output, sequence: format == .geojsonseq)
            let style = try styleOption.outgoingStyler(for: layer)
            if summary {
                for feature in try clusters.summaryFeatures() { try writer.write(style?(.feature(feature)) ?? .feature(feature)) }
            } else {
                try writer.writeEvents(of: clusters, style: style)
            }
            try writer.finish()
            let count = clusters.clusterCount
            Console.current.printError("\(layer.count) points, \(count) cluster\(count == 1 ? "" : "s"), \(clusters.noiseCount) noise")
        }
    }
}
