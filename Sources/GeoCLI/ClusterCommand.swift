import ArgumentParser
import GeoCore
import GeoSpatial
import OrderedCollections

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

        public init() {}

        public func validate() throws {
            try OutputSafety.check(inputs: [input], outputs: [("-o", output.output)])
            try OptionRange.distance(within, "--within")
            if let timeWindow { try OptionRange.duration(timeWindow, "--time-window", allowZero: true) }
            guard minPoints >= 1 else { throw ValidationError("--min-points must be at least 1, got \(minPoints)") }
            if let timeWindow, !(timeWindow.seconds >= 0) { throw ValidationError("--time-window must not be negative, got \(timeWindow)") }
        }

        public func run() throws {
            let format = try output.resolvedFormat(
                allowed: ["geojson", "geojsonseq"], fallback: "geojson", extensions: ["geojsons": "geojsonseq", "json": "geojson"])
            let layer = try PointLayer.read(input, options: layerOptions)
            var times: TimeSpans?
            if timeWindow != nil {
                if let missing = layer.intervals.firstIndex(where: { $0 == nil }) {
                    throw CommandError("\(layer.sourceName): feature \(missing) has no event_date; --time-window needs a date on every event")
                }
                times = TimeSpans(startSeconds: layer.intervals.map { $0!.startSeconds }, endSeconds: layer.intervals.map { $0!.endSeconds })
            }
            let assignment: ClusterAssignment
            do {
                assignment = try SpatialClustering.cluster(
                    longitudes: layer.longitudes, latitudes: layer.latitudes, within: within, minPoints: minPoints,
                    timeWindow: timeWindow, times: times)
            } catch let error as SpatialError {
                throw CommandError("\(layer.sourceName): \(error)")
            }
            let writer = try FeatureOutput(output, sequence: format == "geojsonseq")
            let write = writer.write
            if summary {
                for feature in try Self.summaryFeatures(layer, assignment) { try write(feature) }
            } else {
                for (i, var feature) in layer.features.enumerated() {
                    var properties = feature.properties ?? [:]
                    properties["cluster"] = assignment.clusterIDs[i].map { .integer(Int64($0)) } ?? .null
                    properties["cluster_role"] = .string(assignment.roles[i].rawValue)
                    feature.properties = properties
                    try write(feature)
                }
            }
            try writer.finish()
            let noise = assignment.roles.filter { $0 == .noise }.count
            Console.current.printError("\(layer.count) points, \(assignment.clusterCount) cluster\(assignment.clusterCount == 1 ? "" : "s"), \(noise) noise")
        }

        static let categoryNames = ["event_type", "sub_event_type", "actor1"]

        /// One polygon feature per cluster, in cluster id order.
        static func summaryFeatures(_ layer: PointLayer, _ assignment: ClusterAssignment) throws -> [Feature] {
            var categories: [String: [String?]] = [:]
            for name in categoryNames {
                categories[name] = layer.features.map { $0[property: name]?.stringValue }
            }
            let summaries = try ClusterSummarizer().summarize(
                longitudes: layer.longitudes, latitudes: layer.latitudes, assignment: assignment, categories: categories)
            return summaries.map { s in
                var p: OrderedDictionary<String, JSONValue> = [
                    "cluster": .integer(Int64(s.clusterID)),
                    "count": .integer(Int64(s.members.count)),
                    "core_count": .integer(Int64(s.members.filter { assignment.roles[$0] == .core }.count)),
                ]
                let dated = s.members.filter { layer.intervals[$0] != nil }
                if let first = dated.min(by: { layer.intervals[$0]!.midpointSeconds < layer.intervals[$1]!.midpointSeconds }),
                   let last = dated.max(by: { layer.intervals[$0]!.midpointSeconds < layer.intervals[$1]!.midpointSeconds }) {
                    p["first_date"] = layer.features[first][property: "event_date"] ?? .null
                    p["last_date"] = layer.features[last][property: "event_date"] ?? .null
                } else {
                    p["first_date"] = .null
                    p["last_date"] = .null
                }
                for name in categoryNames {
                    let top = s.topValues[name] ?? []
                    let key = name == "actor1" ? "top_actors" : "top_\(name)s"
                    p[key] = .object(OrderedDictionary(uniqueKeysWithValues: top.map { ($0.value, JSONValue.integer(Int64($0.count))) }))
                }
                p["centroid_lon"] = .double((s.centroid.longitude * 1e6).rounded() / 1e6)
                p["centroid_lat"] = .double((s.centroid.latitude * 1e6).rounded() / 1e6)
                p["outline"] = .string(s.outlineIsBuffer ? "buffer 1 km" : "convex hull")
                return Feature(geometry: s.outline, properties: p)
            }
        }
    }
}
