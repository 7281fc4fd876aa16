import GeoCore
import GeoGEOS
import GeoMetric

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One cluster described: its outline, centre and what happened in it.
public struct ClusterSummary: Sendable {
    public var clusterID: Int
    /// Input indices of the members, in input order.
    public var members: [Int]
    /// Convex hull of the members (GEOS), or a 1 km geodesic buffer when the hull is not a
    /// polygon (one or two distinct points, or points on a line). Longitudes of a cluster across
    /// the antimeridian stay continuous around its first point.
    public var outline: Geometry
    /// True when `outline` is the 1 km buffer rather than the hull.
    public var outlineIsBuffer: Bool
    /// Centre of the members: the normalised mean of their unit vectors (antimeridian-safe).
    public var centroid: Position
    /// Values by descending count (ties by value), at most `topCount` each.
    public var topValues: [String: [(value: String, count: Int)]]
}

/// Builds cluster summaries with one GEOS and one PROJ context (one per thread).
public final class ClusterSummarizer {
    public let metric: MetricGeometry
    /// Radius of the outline of clusters whose hull is not a polygon.
    public var smallClusterBuffer = Distance.kilometers(1)
    public var topCount = 3

    public init() throws { metric = try MetricGeometry() }

    /// Summaries of each cluster of `assignment` over the points (degrees). `categories` maps a
    /// name (e.g. `event_type`) to one optional value per point; the most frequent values of
    /// each are kept.
    public func summarize(
        longitudes: [Double], latitudes: [Double], assignment: ClusterAssignment, categories: [String: [String?]] = [:]
    ) throws -> [ClusterSummary] {
        try assignment.members.enumerated().map { id, members in
            try summarize(id: id, members: members, longitudes: longitudes, latitudes: latitudes, categories: categories)
        }
    }

    func summarize(id: Int, members: [Int], longitudes: [Double], latitudes: [Double], categories: [String: [String?]]) throws -> ClusterSummary {
        let reference = longitudes[members[0]]
        var points: [Position] = []
        var seen = Set<Position>()
        var x = 0.0, y = 0.0, z = 0.0
        for i in members {
            var lon = longitudes[i]
            while lon - reference > 180 { lon -= 360 }
            while lon - reference < -180 { lon += 360 }
            let p = Position(longitude: lon, latitude: latitudes[i])
            if seen.insert(p).inserted { points.append(p) }
            let phi = latitudes[i] * .pi / 180, lambda = longitudes[i] * .pi / 180
            x += cos(phi) * cos(lambda); y += cos(phi) * sin(lambda); z += sin(phi)
        }
        let norm = (x * x + y * y + z * z).squareRoot()
        let centroid = norm < 1e-12
            ? points[0]
            : Position(longitude: atan2(y, x) * 180 / .pi, latitude: asin(max(-1, min(1, z / norm))) * 180 / .pi)
        var outline: Geometry
        var isBuffer = false
        if points.count >= 3, case .polygon(let rings) = try metric.geos.geometry(from: .multiPoint(points)).convexHull().toGeometry() {
            outline = .polygon(rings)
        } else {
            isBuffer = true
            let base: Geometry = points.count == 1 ? .point(points[0]) : .multiPoint(points)
            outline = try metric.buffer(points.count <= 2 ? base : (try metric.geos.geometry(from: base).convexHull().toGeometry()), distance: smallClusterBuffer)
        }
        var top: [String: [(value: String, count: Int)]] = [:]
        for (name, values) in categories {
            var counts: [String: Int] = [:]
            for i in members { if let v = values[i], !v.isEmpty { counts[v, default: 0] += 1 } }
            let sorted = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            top[name] = sorted.prefix(topCount).map { (value: $0.key, count: $0.value) }
        }
        return ClusterSummary(clusterID: id, members: members, outline: outline, outlineIsBuffer: isBuffer, centroid: centroid, topValues: top)
    }
}
