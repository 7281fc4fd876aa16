import GeoCore
import GeoGEOS
import GeoMetric
import GeoProj

/// Where a point is relative to a border line.
public struct BorderPosition: Hashable, Sendable {
    /// Geodesic distance in metres from the point to the nearest point of the line.
    public var distanceMeters: Double
    /// Geodesic length in metres along the line, from its northern end, of that nearest point.
    public var alongMeters: Double
    /// The nearest point of the line.
    public var nearest: Position
}

/// The shared border of two countries, and a corridor of a given width on both sides of it.
///
/// - The line is the intersection of the two country polygons' boundaries (GEOS
///   `GEOSBoundary_r`, `GEOSIntersection_r`), line-merged (`GEOSLineMerge_r`). Each part runs
///   from its northern end; parts are ordered by the latitude of that end, north first, and
///   measured one after the other (`alongMeters` of a later part starts where the previous
///   part's length ends).
/// - The corridor is the metric buffer of the line (`MetricGeometry.buffer`: local azimuthal
///   equidistant projection through PROJ, GEOS buffer in metres, back to WGS84).
/// - `locate` finds the nearest point of the line in that local projection and measures the
///   distance to it, and the length along the line, as geodesics on WGS84.
///
/// Holds GEOS/PROJ contexts through its `MetricGeometry`: one per thread.
public final class BorderCorridor {
    public let countryCodes: (String, String)
    public let countryNames: (String, String)
    /// Parts of the border, each from its northern end, degrees.
    public let parts: [[Position]]
    public let lengthMeters: Double
    public let width: Distance
    /// The corridor polygon(s), longitude/latitude.
    public let corridor: Geometry
    let metric: MetricGeometry
    // Vertices in the local projection (metres) and cumulative geodesic lengths (metres).
    var projectedX: [[Double]] = [], projectedY: [[Double]] = [], cumulativeMeters: [[Double]] = []
    let toLocal: Transformer

    /// The border between the countries with ISO 3166-1 alpha-2 codes `a` and `b` in a
    /// Natural Earth countries file (`iso_a2` and `name` properties), and its corridor.
    /// - Throws: `SpatialError.invalidParameter` when a code is not in the file or the two
    ///   countries share no border; GEOS/PROJ errors as they come.
    public init(countriesFile path: String, between a: String, and b: String, width: Distance, metric: MetricGeometry) throws {
        guard width.meters > 0, width.meters.isFinite else { throw SpatialError.invalidParameter("the corridor width must be a positive distance, got \(width)") }
        let codeA = a.uppercased(), codeB = b.uppercased()
        guard codeA != codeB else { throw SpatialError.invalidParameter("a border needs two different countries, got \(codeA)-\(codeB)") }
        self.metric = metric
        self.width = width
        var found: [String: (name: String, geometry: Geometry)] = [:]
        let input = try InputFile(path: path)
        var reader = GeoJSONReader()
        _ = try input.withUnsafeBytes { buffer in
            try reader.forEachFeature(in: buffer) { _, feature in
                guard let code = feature[property: "iso_a2"]?.stringValue?.uppercased(), code == codeA || code == codeB,
                      let g = feature.geometry else { return }
                found[code] = (feature[property: "name"]?.stringValue ?? code, g)
            }
        }
        for code in [codeA, codeB] where found[code] == nil {
            throw SpatialError.invalidParameter("\(path): no country with iso_a2 \(code)")
        }
        countryCodes = (codeA, codeB)
        countryNames = (found[codeA]!.name, found[codeB]!.name)
        let geos = metric.geos
        let boundaryA = try geos.geometry(from: found[codeA]!.geometry).boundary()
        let boundaryB = try geos.geometry(from: found[codeB]!.geometry).boundary()
        let shared = try boundaryA.intersection(boundaryB).lineMerged().toGeometry()
        var lines: [[Position]] = []
        func collect(_ g: Geometry) {
            switch g {
            case .lineString(let ps) where ps.count >= 2: lines.append(ps)
            case .multiLineString(let ls): lines += ls.filter { $0.count >= 2 }
            case .geometryCollection(let gs): gs.forEach(collect)
            default: break
            }
        }
        collect(shared)
        guard !lines.isEmpty else {
            throw SpatialError.invalidParameter("\(countryNames.0) (\(codeA)) and \(countryNames.1) (\(codeB)) share no border in \(path)")
        }
        lines = lines.map { $0.last!.latitude > $0.first!.latitude ? $0.reversed() : $0 }
        lines.sort { $0[0].latitude > $1[0].latitude }
        parts = lines
        let geometry: Geometry = lines.count == 1 ? .lineString(lines[0]) : .multiLineString(lines)
        let box = geometry.boundingBox
        toLocal = try Transformer(from: .wgs84, to: LocalProjection.centered(on: box.center).crs, context: metric.proj)
        var total = 0.0
        for part in lines {
            var xs = part.map(\.longitude), ys = part.map(\.latitude)
            try toLocal.transform(x: &xs, y: &ys)
            projectedX.append(xs); projectedY.append(ys)
            var cumulative = [total]
            for (p, q) in zip(part, part.dropFirst()) {
                total += Geodesic.wgs84.inverseUnchecked(latitude1: p.latitude, longitude1: p.longitude, latitude2: q.latitude, longitude2: q.longitude).distanceMeters
                cumulative.append(total)
            }
            cumulativeMeters.append(cumulative)
        }
        lengthMeters = total
        corridor = try metric.buffer(geometry, distance: width)
    }

    /// The border as one geometry: a LineString, or a MultiLineString of its parts.
    public var line: Geometry { parts.count == 1 ? .lineString(parts[0]) : .multiLineString(parts) }

    /// Distance to the border and position along it of a point (degrees).
    /// - Throws: `SpatialError.invalidCoordinate` (index 0) for a position that is not one.
    public func locate(longitude: Double, latitude: Double) throws -> BorderPosition {
        guard longitude.isFinite, latitude.isFinite, abs(latitude) <= 90 else {
            throw SpatialError.invalidCoordinate(index: 0, longitude: longitude, latitude: latitude)
        }
        let local = try toLocal.transform(Position(longitude: longitude, latitude: latitude))
        let px = local.x, py = local.y
        var best = (d2: Double.infinity, part: 0, segment: 0, t: 0.0)
        for k in 0..<parts.count {
            let xs = projectedX[k], ys = projectedY[k]
            for i in 0..<(xs.count - 1) {
                let ax = xs[i], ay = ys[i], dx = xs[i + 1] - ax, dy = ys[i + 1] - ay
                let length2 = dx * dx + dy * dy
                var t = length2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / length2 : 0
                t = min(1, max(0, t))
                let ex = ax + t * dx - px, ey = ay + t * dy - py
                let d2 = ex * ex + ey * ey
                if d2 < best.d2 { best = (d2, k, i, t) }
            }
        }
        let a = parts[best.part][best.segment], b = parts[best.part][best.segment + 1]
        let nearest = Position(longitude: a.longitude + best.t * (b.longitude - a.longitude), latitude: a.latitude + best.t * (b.latitude - a.latitude))
        let distance = Geodesic.wgs84.inverseUnchecked(latitude1: latitude, longitude1: longitude, latitude2: nearest.latitude, longitude2: nearest.longitude).distanceMeters
        let c = cumulativeMeters[best.part]
        let along = c[best.segment] + best.t * (c[best.segment + 1] - c[best.segment])
        return BorderPosition(distanceMeters: distance, alongMeters: along, nearest: nearest)
    }

    /// Groups of points along the border: the points with a position (nil = not grouped),
    /// sorted by `alongMeters`, split wherever two consecutive ones are more than `maxGap`
    /// apart. Group ids 0, 1, 2… run from the northern end.
    public static func groupsAlong(_ alongMeters: [Double?], maxGap: Distance) -> [Int?] {
        let order = alongMeters.indices.filter { alongMeters[$0] != nil }.sorted { (alongMeters[$0]!, $0) < (alongMeters[$1]!, $1) }
        var groups = [Int?](repeating: nil, count: alongMeters.count)
        var group = -1
        var previous = -Double.infinity
        for i in order {
            if alongMeters[i]! - previous > maxGap.meters { group += 1 }
            groups[i] = group
            previous = alongMeters[i]!
        }
        return groups
    }
}
