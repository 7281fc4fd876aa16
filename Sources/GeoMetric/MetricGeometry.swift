import GeoCore
import GeoGEOS
import GeoProj

/// Metre-based operations on WGS84 longitude/latitude geometry, so that "50 km" means 50 km on
/// the ground and never 50 km read as degrees.
///
/// Holds one GEOS and one PROJ context: make one per worker, never share it across threads.
public final class MetricGeometry {
    public let geos: GeosContext
    public let proj: ProjContext
    public let geodesic = Geodesic.wgs84

    /// Geometries whose bounding box spans more than this (degrees of latitude or longitude)
    /// are buffered part by part, each in its own projection, then unioned.
    public var singleProjectionSpanDegrees = 8.0

    public init() throws {
        geos = try GeosContext()
        proj = try ProjContext()
    }

    /// The geometry grown by `distance` on the ground.
    ///
    /// - A point becomes a geodesic circle: `4 × quadrantSegments` vertices placed with
    ///   `geod_direct` at exactly `distance` from it.
    /// - Other geometry is projected to an azimuthal equidistant projection centred on it (PROJ),
    ///   buffered there by GEOS (`GEOSBuffer_r`, in metres), and projected back. Spread-out
    ///   geometry (wider than `singleProjectionSpanDegrees`) is buffered part by part, each
    ///   part in its own projection, and the parts are unioned (`GEOSUnaryUnion_r`). A single
    ///   line or polygon that is that wide is cut in halves until each fits (a line at a middle
    ///   vertex, a polygon by the two halves of its box, `GEOSIntersection_r`); shrinking such
    ///   a polygon (negative distance) is refused, as it does not split.
    /// - Edges of the result are straight in longitude/latitude between vertices, so the area
    ///   is short of the true one by about (2π/n)²/6 (0.04 % for 32 quadrant segments).
    /// - Negative distances shrink polygons; an empty geometry gives an empty polygon.
    /// - Longitudes of a result that crosses the antimeridian are kept continuous (they may pass
    ///   ±180); a buffer that would contain a pole is refused.
    public func buffer(_ geometry: Geometry, distance: Distance, quadrantSegments: Int = 32) throws -> Geometry {
        guard distance.meters.isFinite else { throw ProjError.invalidInput("buffer distance must be finite") }
        guard quadrantSegments >= 1 else { throw ProjError.invalidInput("quadrantSegments must be at least 1") }
        try checkLongitudeLatitude(geometry)
        if geometry.isEmpty { return .polygon([]) }
        if distance.meters == 0 { return try geos.geometry(from: geometry).buffer(distance: 0, quadrantSegments: quadrantSegments).toGeometry() }
        if case .point(let center) = geometry {
            guard distance.meters > 0 else { return .polygon([]) }
            return .polygon([try geodesicCircle(center: center, radius: distance, vertices: 4 * quadrantSegments)])
        }
        let box = geometry.boundingBox
        if box.width <= singleProjectionSpanDegrees && box.height <= singleProjectionSpanDegrees {
            return try bufferInLocalProjection(geometry, box: box, distance: distance, quadrantSegments: quadrantSegments)
        }
        var parts = Self.parts(of: geometry)
        if parts.count == 1 {
            // One line or polygon wider than a projection: cut it in two and buffer the halves
            // (a buffer of a union is the union of the buffers, for growing distances only).
            parts = try halves(of: parts[0], box: box, growing: distance.meters > 0)
        }
        var buffered: [GeosGeometry] = []
        for part in parts {
            let g = try buffer(part, distance: distance, quadrantSegments: quadrantSegments)
            buffered.append(try geos.geometry(from: g))
        }
        let collection = try geos.geometry(from: .geometryCollection(try buffered.map { try $0.toGeometry() }))
        return try collection.unaryUnion().toGeometry()
    }

    /// A ring of `vertices` points at `radius` from `center` along geodesics (`geod_direct`),
    /// counterclockwise and closed, longitudes continuous around the centre.
    public func geodesicCircle(center: Position, radius: Distance, vertices: Int = 128) throws -> [Position] {
        try checkPoleClearance(center: center, reach: radius.meters)
        var ring: [Position] = []
        ring.reserveCapacity(vertices + 1)
        for i in 0..<vertices {
            // Azimuths decreasing from north: counterclockwise in lon/lat.
            let azimuth = 360.0 - 360.0 * Double(i) / Double(vertices)
            var p = try geodesic.direct(from: center, azimuthDegrees: azimuth, distanceMeters: radius.meters).destination
            p.x = Self.unwrap(p.x, near: center.longitude)
            ring.append(p)
        }
        ring.append(ring[0])
        return ring
    }

    func bufferInLocalProjection(_ geometry: Geometry, box: BoundingBox, distance: Distance, quadrantSegments: Int) throws -> Geometry {
        let center = box.center
        // The farthest the result can reach from the centre: half the box diagonal plus the distance.
        let halfDiagonal = try geodesic.distanceMeters(from: center, to: Position(x: box.maxX, y: min(90, box.maxY)))
        try checkPoleClearance(center: center, reach: halfDiagonal + max(0, distance.meters))
        let local = LocalProjection.centered(on: center)
        let toLocal = try Transformer(from: .wgs84, to: local.crs, context: proj)
        let projected = try toLocal.transform(geometry)
        let grown = try geos.geometry(from: projected).buffer(distance: distance.meters, quadrantSegments: quadrantSegments).toGeometry()
        let back = try toLocal.transform(grown, inverse: true)
        return back.mapPositions { p in Position(x: Self.unwrap(p.x, near: center.longitude), y: p.y, z: p.z) }
    }

    /// Two pieces whose union is `geometry`, each with a smaller box: a line split at its
    /// middle vertex (a two-point line at its midpoint in longitude/latitude, the edge being
    /// straight there), a polygon cut across the longer side of its box.
    func halves(of geometry: Geometry, box: BoundingBox, growing: Bool) throws -> [Geometry] {
        switch geometry {
        case .lineString(let ps) where ps.count > 2:
            let mid = ps.count / 2
            return [.lineString(Array(ps[...mid])), .lineString(Array(ps[mid...]))]
        case .lineString(let ps) where ps.count == 2:
            let m = Position(x: (ps[0].x + ps[1].x) / 2, y: (ps[0].y + ps[1].y) / 2)
            return [.lineString([ps[0], m]), .lineString([m, ps[1]])]
        case .polygon:
            guard growing else {
                throw ProjError.invalidInput("shrinking a polygon wider than \(singleProjectionSpanDegrees)° is not supported")
            }
            let cuts: [BoundingBox]
            if box.width >= box.height {
                let x = (box.minX + box.maxX) / 2
                cuts = [BoundingBox(minX: box.minX, minY: box.minY, maxX: x, maxY: box.maxY), BoundingBox(minX: x, minY: box.minY, maxX: box.maxX, maxY: box.maxY)]
            } else {
                let y = (box.minY + box.maxY) / 2
                cuts = [BoundingBox(minX: box.minX, minY: box.minY, maxX: box.maxX, maxY: y), BoundingBox(minX: box.minX, minY: y, maxX: box.maxX, maxY: box.maxY)]
            }
            let whole = try geos.geometry(from: geometry)
            return try cuts.flatMap { cut in Self.parts(of: try whole.intersection(try geos.rectangle(cut)).toGeometry()) }
                .filter { !$0.isEmpty && $0.typeName == "Polygon" }
        default:
            throw ProjError.invalidInput("cannot split a \(geometry.typeName) for buffering")
        }
    }

    /// Longitude shifted by whole turns to lie within 180° of `reference`.
    static func unwrap(_ longitude: Double, near reference: Double) -> Double {
        var x = longitude
        while x - reference > 180 { x -= 360 }
        while x - reference < -180 { x += 360 }
        return x
    }

    func checkPoleClearance(center: Position, reach meters: Double) throws {
        let toNorth = try geodesic.distanceMeters(from: center, to: Position(longitude: center.longitude, latitude: 90))
        let toSouth = try geodesic.distanceMeters(from: center, to: Position(longitude: center.longitude, latitude: -90))
        if meters >= min(toNorth, toSouth) {
            throw ProjError.invalidInput("a buffer reaching \(Distance(meters: meters)) from \(center.latitude), \(center.longitude) would contain a pole; polar buffers are not supported in longitude/latitude")
        }
    }

    func checkLongitudeLatitude(_ geometry: Geometry) throws {
        var bad: Position?
        geometry.forEachPosition { p in
            if bad == nil, !(p.latitude.isFinite && p.longitude.isFinite && (-90...90).contains(p.latitude) && (-540...540).contains(p.longitude)) {
                bad = p
            }
        }
        if let bad {
            throw ProjError.invalidInput("position \(bad) is not a longitude/latitude in degrees")
        }
    }

    /// The simple parts of a geometry: each point, line and polygon on its own.
    static func parts(of geometry: Geometry) -> [Geometry] {
        switch geometry {
        case .point, .lineString, .polygon: [geometry]
        case .multiPoint(let ps): ps.map(Geometry.point)
        case .multiLineString(let ls): ls.map(Geometry.lineString)
        case .multiPolygon(let ps): ps.map(Geometry.polygon)
        case .geometryCollection(let gs): gs.flatMap(parts(of:))
        }
    }

    /// Area on the WGS84 ellipsoid in m² (`geod_polygonarea`), holes subtracted.
    public func areaSquareMeters(_ geometry: Geometry) throws -> Double {
        try geodesic.areaSquareMeters(of: geometry)
    }
}
