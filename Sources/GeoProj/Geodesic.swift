import GeoCore
internal import CPROJ

/// Geodesics on an ellipsoid through PROJ's implementation of Karney's algorithms
/// (`geod_init`, `geod_inverse`, `geod_direct`, `geod_polygonarea`), accurate to about 15 nm.
///
/// Units, as in GeographicLib: angles in degrees, lengths in metres, areas in square metres.
/// `s12` is the distance, `azi1` the azimuth at the start, `azi2` the forward azimuth at the end,
/// clockwise from north in −180…180.
public struct Geodesic: Sendable {
    var g: geod_geodesic

    /// An ellipsoid from its equatorial radius (metres) and flattening.
    public init(equatorialRadius: Double, flattening: Double) {
        g = geod_geodesic()
        geod_init(&g, equatorialRadius, flattening)
    }

    /// WGS84: a = 6 378 137 m, f = 1/298.257223563.
    public static let wgs84 = Geodesic(equatorialRadius: 6_378_137, flattening: 1 / 298.257223563)

    /// The answer to the inverse problem.
    public struct Inverse: Hashable, Sendable {
        /// s12: the geodesic distance in metres.
        public var distanceMeters: Double
        /// azi1: azimuth at the first point, degrees clockwise from north.
        public var azimuth1Degrees: Double
        /// azi2: forward azimuth at the second point, degrees clockwise from north.
        public var azimuth2Degrees: Double
    }

    /// The answer to the direct problem.
    public struct Direct: Hashable, Sendable {
        public var destination: Position
        /// azi2: forward azimuth at the destination, degrees.
        public var azimuth2Degrees: Double
    }

    static func check(_ p: Position, _ name: String) throws {
        guard p.latitude.isFinite, p.longitude.isFinite else {
            throw ProjError.invalidInput("\(name): latitude and longitude must be finite numbers, got \(p.latitude), \(p.longitude)")
        }
        guard (-90...90).contains(p.latitude) else {
            throw ProjError.invalidInput("\(name): latitude \(p.latitude) is outside −90…90")
        }
    }

    /// Shortest path between two points (`geod_inverse`). Longitudes may be any finite value.
    /// Coincident points give distance 0; for nearly antipodal points the azimuths are those of
    /// one of the several shortest paths.
    public func inverse(from a: Position, to b: Position) throws -> Inverse {
        try Self.check(a, "first point")
        try Self.check(b, "second point")
        return inverseUnchecked(latitude1: a.latitude, longitude1: a.longitude, latitude2: b.latitude, longitude2: b.longitude)
    }

    /// `geod_inverse` without input checks, for bulk loops whose input is known to be valid.
    @inline(__always)
    public func inverseUnchecked(latitude1: Double, longitude1: Double, latitude2: Double, longitude2: Double) -> Inverse {
        var s12 = 0.0, azi1 = 0.0, azi2 = 0.0
        withUnsafePointer(to: g) { gp in
            geod_inverse(gp, latitude1, longitude1, latitude2, longitude2, &s12, &azi1, &azi2)
        }
        return Inverse(distanceMeters: s12, azimuth1Degrees: azi1, azimuth2Degrees: azi2)
    }

    /// s12 alone, in metres, without input checks (`geod_geninverse` asked for no azimuth: the
    /// same distance as `inverseUnchecked`, bit for bit, without its two `atan2`).
    @inline(__always)
    public func distanceMetersUnchecked(latitude1: Double, longitude1: Double, latitude2: Double, longitude2: Double) -> Double {
        var s12 = 0.0
        withUnsafePointer(to: g) { gp in
            _ = geod_geninverse(gp, latitude1, longitude1, latitude2, longitude2, &s12, nil, nil, nil, nil, nil, nil)
        }
        return s12
    }

    /// Distance in metres only (`geod_inverse` without azimuths).
    public func distanceMeters(from a: Position, to b: Position) throws -> Double {
        try inverse(from: a, to: b).distanceMeters
    }

    /// Where you arrive going `distanceMeters` from `start` at `azimuthDegrees` (`geod_direct`).
    /// The destination longitude is reduced to −180…180.
    public func direct(from start: Position, azimuthDegrees: Double, distanceMeters: Double) throws -> Direct {
        try Self.check(start, "start")
        guard azimuthDegrees.isFinite, distanceMeters.isFinite else {
            throw ProjError.invalidInput("azimuth and distance must be finite numbers")
        }
        var lat2 = 0.0, lon2 = 0.0, azi2 = 0.0
        withUnsafePointer(to: g) { gp in
            geod_direct(gp, start.latitude, start.longitude, azimuthDegrees, distanceMeters, &lat2, &lon2, &azi2)
        }
        return Direct(destination: Position(longitude: lon2, latitude: lat2), azimuth2Degrees: azi2)
    }

    /// Area (m²) and perimeter (m) of a polygon whose edges are geodesics (`geod_polygonarea`).
    /// The ring may be closed or not; the area is positive for counterclockwise rings and
    /// negative for clockwise ones.
    public func ringAreaAndPerimeter(_ ring: [Position]) throws -> (areaSquareMeters: Double, perimeterMeters: Double) {
        var points = ring
        if points.count > 1, points.first == points.last { points.removeLast() }
        guard points.count >= 3 else { return (0, 0) }
        for p in points { try Self.check(p, "ring vertex") }
        var lats = points.map(\.latitude)
        var lons = points.map(\.longitude)
        var area = 0.0, perimeter = 0.0
        withUnsafePointer(to: g) { gp in
            geod_polygonarea(gp, &lats, &lons, Int32(points.count), &area, &perimeter)
        }
        return (area, perimeter)
    }

    /// Area in m² on the ellipsoid of polygonal geometry (holes subtracted); 0 for points and
    /// lines. Edges are taken as geodesics.
    public func areaSquareMeters(of geometry: Geometry) throws -> Double {
        switch geometry {
        case .polygon(let rings):
            var total = 0.0
            for (i, ring) in rings.enumerated() {
                let a = abs(try ringAreaAndPerimeter(ring).areaSquareMeters)
                total += i == 0 ? a : -a
            }
            return total
        case .multiPolygon(let polygons):
            return try polygons.reduce(0) { $0 + (try areaSquareMeters(of: .polygon($1))) }
        case .geometryCollection(let parts):
            return try parts.reduce(0) { $0 + (try areaSquareMeters(of: $1)) }
        default:
            return 0
        }
    }

    /// Length in metres along geodesic edges of lines and polygon boundaries.
    public func lengthMeters(of geometry: Geometry) throws -> Double {
        func pathLength(_ ps: [Position]) throws -> Double {
            var total = 0.0
            for (a, b) in zip(ps, ps.dropFirst()) { total += try distanceMeters(from: a, to: b) }
            return total
        }
        switch geometry {
        case .point, .multiPoint: return 0
        case .lineString(let ps): return try pathLength(ps)
        case .multiLineString(let ls), .polygon(let ls): return try ls.reduce(0) { $0 + (try pathLength($1)) }
        case .multiPolygon(let ps): return try ps.reduce(0) { acc, rings in try rings.reduce(acc) { $0 + (try pathLength($1)) } }
        case .geometryCollection(let gs): return try gs.reduce(0) { $0 + (try lengthMeters(of: $1)) }
        }
    }
}

extension Geodesic {
    private static let compassPoints = ["N", "NE", "E", "SE", "S", "SW", "W", "NW"]

    /// An 8-point compass name for an azimuth in degrees: `N`, `NE`, … `NW`.
    public static func compassPoint(azimuthDegrees: Double) -> String {
        let names = compassPoints
        var a = azimuthDegrees.truncatingRemainder(dividingBy: 360)
        if a < 0 { a += 360 }
        return names[Int((a + 22.5) / 45) % 8]
    }
}
