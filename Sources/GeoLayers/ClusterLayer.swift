import GeoCore
import GeoEvents
import GeoSpatial
import OrderedCollections

/// What `geo cluster` does, for any front end: clusters of an event layer by geodesic
/// distance (single linkage or DBSCAN), optionally in space and time.
public struct ClusterOptions: Hashable, Sendable {
    /// Neighbour distance.
    public var within: Distance
    /// Points within `within` (itself included) that make a core point; 1 = single linkage.
    public var minPoints: Int
    /// Largest gap between the time spans of neighbours; nil: space only.
    public var timeWindow: TimeSpan?

    public init(within: Distance, minPoints: Int = 1, timeWindow: TimeSpan? = nil) {
        self.within = within
        self.minPoints = minPoints
        self.timeWindow = timeWindow
    }
}

/// An event layer's clusters: each event's cluster and role, and a polygon per cluster.
///
/// Rules: `minPoints` 1 is single linkage (PostGIS `ST_ClusterWithin`), every point core;
/// above 1 DBSCAN (`ST_ClusterDBSCAN`), an edge point near cores of two clusters joining the
/// cluster of its core neighbour that comes first in the input. Cluster ids count from 0 by
/// first appearance. With a time window two events are neighbours only if the gap between
/// their spans (0 when they overlap; week and month precision widen the span) is at most the
/// window; every event then needs a date.
public struct ClusterLayer: OutgoingEventLayer {
    public let events: EventLayer
    public let options: ClusterOptions
    public let assignment: ClusterAssignment
    private let text: ClusterText

    public var clusterCount: Int { assignment.clusterCount }
    public var noiseCount: Int { assignment.roles.lazy.filter { $0 == .noise }.count }

    public init(_ events: EventLayer, _ options: ClusterOptions) throws {
        self.events = events
        self.options = options
        var times: TimeSpans?
        if options.timeWindow != nil {
            if let undated = (0..<events.count).first(where: { !events.isDated($0) }) {
                throw LayerError("\(events.sourceName): feature \(undated) has no event_date; --time-window needs a date on every event")
            }
            times = events.spans
        }
        do {
            assignment = try SpatialClustering.cluster(
                longitudes: events.longitudes, latitudes: events.latitudes, within: options.within, minPoints: options.minPoints,
                timeWindow: options.timeWindow, times: times)
        } catch let error as SpatialError {
            throw LayerError("\(events.sourceName): \(error)")
        }
        text = ClusterText(assignment)
    }

    /// Every event in input order with its properties and `cluster` (null for noise) and
    /// `cluster_role` (core, edge, noise).
    public func forEachFeature(_ body: (Feature) throws -> Void) throws {
        try forEachOutgoingFeature { try body($0.feature) }
    }

    /// `forEachFeature` for writing: plain input features as text to copy (the same bytes out).
    public func forEachOutgoingFeature(_ body: (OutgoingFeature) throws -> Void) throws {
        try forEachOutgoingEventFeature(body)
    }

    public func addedProperties(_ i: Int) -> [(String, JSONValue)] { text.addedValues(i) }

    public var outgoingText: (any AddedPropertiesWriter)? { text }

    static let categoryNames = ["event_type", "sub_event_type", "actor1"]

    /// One polygon feature per cluster, in cluster id order, of layer `clusters`: the convex
    /// hull (a 1 km buffer for one or two points), count, core count, first and last
    /// `event_date` (by the middle of each span), the top event types, sub-event types and
    /// actors, and the centroid (degrees, 6 decimals).
    public func summaryFeatures() throws -> [Feature] {
        var categories: [String: [String?]] = [:]
        for (name, column) in zip(Self.categoryNames, try events.strings(of: Self.categoryNames)) {
            categories[name] = column.codes.map { $0 < 0 ? nil : column.values[Int($0)] }
        }
        let summaries = try ClusterSummarizer().summarize(
            longitudes: events.longitudes, latitudes: events.latitudes, assignment: assignment, categories: categories)
        // The members dated first and last, whose event_date is reported as written.
        var ends: [(first: Int, last: Int)?] = []
        for s in summaries {
            ends.append(events.firstAndLastDated(s.members))
        }
        let dateFeatures = try events.features(at: ends.flatMap { $0.map { [$0.first, $0.last] } ?? [] })
        return zip(summaries, ends).map { s, ends in
            var p: OrderedDictionary<String, JSONValue> = [
                "layer": "clusters",
                "cluster": .integer(Int64(s.clusterID)),
                "count": .integer(Int64(s.members.count)),
                "core_count": .integer(Int64(s.members.filter { assignment.roles[$0] == .core }.count)),
            ]
            p["first_date"] = ends.flatMap { dateFeatures[$0.first]?[property: "event_date"] } ?? .null
            p["last_date"] = ends.flatMap { dateFeatures[$0.last]?[property: "event_date"] } ?? .null
            for name in Self.categoryNames {
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

/// `ClusterLayer.addedProperties`, as values and as text.
private final class ClusterText: AddedPropertiesWriter {
    let addedNames = AddedNames(["cluster", "cluster_role"])
    let assignment: ClusterAssignment

    init(_ assignment: ClusterAssignment) { self.assignment = assignment }

    func copyForThread() -> any AddedPropertiesWriter { ClusterText(assignment) }

    func addedValues(_ index: Int) -> [(String, JSONValue)] {
        [("cluster", assignment.clusterIDs[index].map { .integer(Int64($0)) } ?? .null),
         ("cluster_role", .string(assignment.roles[index].rawValue))]
    }

    func appendMembers(_ index: Int, to w: inout JSONWriter) {
        addedNames.appendStart(0, to: &w)
        if let id = assignment.clusterIDs[index] { w.appendInteger(Int64(id)) } else { w.appendRaw("null") }
        addedNames.appendStart(1, to: &w)
        switch assignment.roles[index] {
        case .core: w.appendRaw("\"core\"")
        case .edge: w.appendRaw("\"edge\"")
        case .noise: w.appendRaw("\"noise\"")
        }
    }
}
