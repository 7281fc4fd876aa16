internal import CGEOS
import GeoCore

// Predicates, measurements and constructive operations. All planar, in coordinate units.
// Every method throws `.invalidInput` when `other` comes from another context, and
// `.library` with GEOS's message when GEOS fails.

extension GeosGeometry {
    // MARK: predicates (DE-9IM)

    /// True when the two share at least one point, boundary included (`GEOSIntersects_r`).
    public func intersects(_ other: GeosGeometry) throws -> Bool {
        try sameContext(other)
        return try context.predicate("GEOSIntersects_r") { GEOSIntersects_r($0, handle, other.handle) }
    }

    /// True when `other` lies in this geometry and some point of `other` is in its interior
    /// (`GEOSContains_r`): a point on a polygon's boundary is not contained.
    public func contains(_ other: GeosGeometry) throws -> Bool {
        try sameContext(other)
        return try context.predicate("GEOSContains_r") { GEOSContains_r($0, handle, other.handle) }
    }

    /// `other.contains(self)` (`GEOSWithin_r`).
    public func within(_ other: GeosGeometry) throws -> Bool {
        try sameContext(other)
        return try context.predicate("GEOSWithin_r") { GEOSWithin_r($0, handle, other.handle) }
    }

    /// True when no point of `other` lies outside this geometry: like `contains`, but a point
    /// on the boundary counts (`GEOSCovers_r`).
    public func covers(_ other: GeosGeometry) throws -> Bool {
        try sameContext(other)
        return try context.predicate("GEOSCovers_r") { GEOSCovers_r($0, handle, other.handle) }
    }

    /// `other.covers(self)` (`GEOSCoveredBy_r`).
    public func coveredBy(_ other: GeosGeometry) throws -> Bool {
        try sameContext(other)
        return try context.predicate("GEOSCoveredBy_r") { GEOSCoveredBy_r($0, handle, other.handle) }
    }

    /// True when the two meet only on their boundaries (`GEOSTouches_r`).
    public func touches(_ other: GeosGeometry) throws -> Bool {
        try sameContext(other)
        return try context.predicate("GEOSTouches_r") { GEOSTouches_r($0, handle, other.handle) }
    }

    /// True when the interiors meet in a lower dimension than the larger of the two, e.g. a
    /// line passing through a polygon (`GEOSCrosses_r`).
    public func crosses(_ other: GeosGeometry) throws -> Bool {
        try sameContext(other)
        return try context.predicate("GEOSCrosses_r") { GEOSCrosses_r($0, handle, other.handle) }
    }

    /// True when two geometries of the same dimension share some but not all interior points
    /// (`GEOSOverlaps_r`).
    public func overlaps(_ other: GeosGeometry) throws -> Bool {
        try sameContext(other)
        return try context.predicate("GEOSOverlaps_r") { GEOSOverlaps_r($0, handle, other.handle) }
    }

    /// True when the two share no point (`GEOSDisjoint_r`).
    public func disjoint(_ other: GeosGeometry) throws -> Bool {
        try sameContext(other)
        return try context.predicate("GEOSDisjoint_r") { GEOSDisjoint_r($0, handle, other.handle) }
    }

    /// Without `tolerance`, topological equality: the same point set, whatever the vertex order
    /// or start (`GEOSEquals_r`). With `tolerance` (coordinate units, ≥ 0), the same structure
    /// and vertices in the same order, each within `tolerance` (`GEOSEqualsExact_r`).
    /// - Throws: `.invalidInput` for a negative, NaN or infinite tolerance.
    public func equals(_ other: GeosGeometry, tolerance: Double? = nil) throws -> Bool {
        try sameContext(other)
        guard let tolerance else {
            return try context.predicate("GEOSEquals_r") { GEOSEquals_r($0, handle, other.handle) }
        }
        guard tolerance.isFinite, tolerance >= 0 else {
            throw GeosError.invalidInput("equality tolerance must be finite and ≥ 0, got \(tolerance)")
        }
        return try context.predicate("GEOSEqualsExact_r") { GEOSEqualsExact_r($0, handle, other.handle, tolerance) }
    }

    // MARK: measurement

    /// Planar distance between the closest points, in coordinate units (`GEOSDistance_r`);
    /// 0 when the geometries intersect.
    /// - Throws: `.invalidInput` when either is empty (GEOS 3.11 would say 0).
    public func distance(to other: GeosGeometry) throws -> Double {
        try sameContext(other)
        guard !isEmpty, !other.isEmpty else { throw GeosError.invalidInput("distance to an empty geometry is undefined") }
        return try context.measure("GEOSDistance_r") { GEOSDistance_r($0, handle, other.handle, $1) }
    }

    /// The closest point of this geometry to `other`, and of `other` to this one, 2D
    /// (`GEOSNearestPoints_r`). Equal when they intersect.
    /// - Throws: `.invalidInput` when either is empty.
    public func nearestPoints(with other: GeosGeometry) throws -> (Position, Position) {
        try sameContext(other)
        guard !isEmpty, !other.isEmpty else { throw GeosError.invalidInput("an empty geometry has no nearest point") }
        let seq = try context.call("GEOSNearestPoints_r") { GEOSNearestPoints_r($0, handle, other.handle) }
        defer { GEOSCoordSeq_destroy_r(contextHandle, seq) }
        var x = [0.0, 0.0], y = [0.0, 0.0]
        try context.status("GEOSCoordSeq_copyToArrays_r") { GEOSCoordSeq_copyToArrays_r($0, seq, &x, &y, nil, nil) }
        return (Position(x: x[0], y: y[0]), Position(x: x[1], y: y[1]))
    }

    // MARK: buffer

    /// How a buffer ends open lines (GEOS's `GEOSBufCapStyles`).
    public enum CapStyle: Int32, Sendable {
        /// A half circle around each end.
        case round = 1
        /// Cut square at the end point.
        case flat = 2
        /// A half square extending `distance` past the end point.
        case square = 3
    }

    /// How a buffer turns outer corners (GEOS's `GEOSBufJoinStyles`).
    public enum JoinStyle: Int32, Sendable {
        /// A circular arc.
        case round = 1
        /// Sharp, extended edges, cut at `mitreLimit` × `distance` from the corner.
        case mitre = 2
        /// Cut straight across.
        case bevel = 3
    }

    /// The planar buffer: every point within `distance` coordinate units of this geometry
    /// (`GEOSBufferWithStyle_r`). On longitude/latitude data that is a buffer in degrees; use
    /// `MetricGeometry.buffer` for metres.
    ///
    /// - Parameters:
    ///   - distance: coordinate units; negative shrinks polygons (and gives an empty polygon
    ///     for points and lines), 0 returns polygons cleaned and lines/points as empty polygons.
    ///   - quadrantSegments: segments approximating each quarter circle, 1…10 000.
    ///   - cap, join, mitreLimit: end caps, corner joins, and the mitre cut-off ratio (> 0).
    /// - Throws: `.invalidInput` for a NaN or infinite distance, quadrant segments out of range
    ///   or a mitre limit that is not a positive finite number.
    public func buffer(distance: Double, quadrantSegments: Int = 16, cap: CapStyle = .round, join: JoinStyle = .round, mitreLimit: Double = 5) throws -> GeosGeometry {
        guard distance.isFinite else { throw GeosError.invalidInput("buffer distance must be finite, got \(distance)") }
        guard (1...10_000).contains(quadrantSegments) else {
            throw GeosError.invalidInput("quadrantSegments must be 1…10000, got \(quadrantSegments)")
        }
        guard mitreLimit.isFinite, mitreLimit > 0 else {
            throw GeosError.invalidInput("mitreLimit must be a positive finite number, got \(mitreLimit)")
        }
        return try context.geometry("GEOSBufferWithStyle_r") {
            GEOSBufferWithStyle_r($0, handle, distance, Int32(quadrantSegments), cap.rawValue, join.rawValue, mitreLimit)
        }
    }

    // MARK: overlay

    /// Every point in either geometry (`GEOSUnion_r`).
    public func union(_ other: GeosGeometry) throws -> GeosGeometry {
        try sameContext(other)
        return try context.geometry("GEOSUnion_r") { GEOSUnion_r($0, handle, other.handle) }
    }

    /// All parts of this geometry dissolved into one, e.g. overlapping polygons of a collection
    /// merged (`GEOSUnaryUnion_r`).
    public func unaryUnion() throws -> GeosGeometry {
        try context.geometry("GEOSUnaryUnion_r") { GEOSUnaryUnion_r($0, handle) }
    }

    /// The points in both geometries (`GEOSIntersection_r`); an empty geometry when disjoint.
    public func intersection(_ other: GeosGeometry) throws -> GeosGeometry {
        try sameContext(other)
        return try context.geometry("GEOSIntersection_r") { GEOSIntersection_r($0, handle, other.handle) }
    }

    /// The points of this geometry not in `other` (`GEOSDifference_r`).
    public func difference(_ other: GeosGeometry) throws -> GeosGeometry {
        try sameContext(other)
        return try context.geometry("GEOSDifference_r") { GEOSDifference_r($0, handle, other.handle) }
    }

    /// The points in exactly one of the two (`GEOSSymDifference_r`).
    public func symmetricDifference(_ other: GeosGeometry) throws -> GeosGeometry {
        try sameContext(other)
        return try context.geometry("GEOSSymDifference_r") { GEOSSymDifference_r($0, handle, other.handle) }
    }

    // MARK: hulls, simplification, repair

    /// The smallest convex polygon containing every point (`GEOSConvexHull_r`); a line or
    /// point for degenerate input, an empty collection for empty input.
    public func convexHull() throws -> GeosGeometry {
        try context.geometry("GEOSConvexHull_r") { GEOSConvexHull_r($0, handle) }
    }

    /// A concave hull of the vertices (`GEOSConcaveHull_r`). `ratio` is the longest edge
    /// allowed, as a fraction 0…1 of the longest edge of the Delaunay triangulation: 1 gives
    /// the convex hull, 0 the tightest hull. `allowHoles` lets it have holes.
    /// - Throws: `.invalidInput` for a ratio outside 0…1.
    public func concaveHull(ratio: Double, allowHoles: Bool = false) throws -> GeosGeometry {
        guard (0...1).contains(ratio) else { throw GeosError.invalidInput("concave hull ratio must be in 0…1, got \(ratio)") }
        return try context.geometry("GEOSConcaveHull_r") { GEOSConcaveHull_r($0, handle, ratio, allowHoles ? 1 : 0) }
    }

    /// Douglas–Peucker simplification: vertices closer than `tolerance` coordinate units to the
    /// simplified line are dropped. With `preserveTopology` (the default) rings stay valid and
    /// do not cross (`GEOSTopologyPreserveSimplify_r`), otherwise plain
    /// `GEOSSimplify_r`, which may collapse or self-intersect polygons.
    /// - Throws: `.invalidInput` for a negative, NaN or infinite tolerance.
    public func simplify(tolerance: Double, preserveTopology: Bool = true) throws -> GeosGeometry {
        guard tolerance.isFinite, tolerance >= 0 else {
            throw GeosError.invalidInput("simplify tolerance must be finite and ≥ 0, got \(tolerance)")
        }
        if preserveTopology {
            return try context.geometry("GEOSTopologyPreserveSimplify_r") { GEOSTopologyPreserveSimplify_r($0, handle, tolerance) }
        }
        return try context.geometry("GEOSSimplify_r") { GEOSSimplify_r($0, handle, tolerance) }
    }

    /// A valid geometry with the same points, keeping every vertex (`GEOSMakeValid_r`): a
    /// bow-tie polygon becomes a two-part MultiPolygon, a collapsed ring a line.
    public func makeValid() throws -> GeosGeometry {
        try context.geometry("GEOSMakeValid_r") { GEOSMakeValid_r($0, handle) }
    }

    // MARK: points and boundary

    /// The planar centre of mass of the highest-dimension parts (`GEOSGetCentroid_r`);
    /// `POINT EMPTY` for an empty geometry. May lie outside a concave polygon.
    public func centroid() throws -> GeosGeometry {
        try context.geometry("GEOSGetCentroid_r") { GEOSGetCentroid_r($0, handle) }
    }

    /// A point guaranteed to lie on the geometry, inside for polygons (`GEOSPointOnSurface_r`);
    /// `POINT EMPTY` for an empty geometry.
    public func pointOnSurface() throws -> GeosGeometry {
        try context.geometry("GEOSPointOnSurface_r") { GEOSPointOnSurface_r($0, handle) }
    }

    /// The topological boundary (`GEOSBoundary_r`): a polygon's rings, a line's two end points,
    /// an empty collection for points.
    /// - Throws: `.library` for a GeometryCollection, which GEOS does not support.
    public func boundary() throws -> GeosGeometry {
        try context.geometry("GEOSBoundary_r") { GEOSBoundary_r($0, handle) }
    }

    // MARK: linear referencing

    func checkProjectable(_ point: GeosGeometry) throws {
        try sameContext(point)
        let type = Int(GEOSGeomTypeId_r(contextHandle, handle))
        let lineal = [GEOS_LINESTRING, GEOS_LINEARRING, GEOS_MULTILINESTRING].map { Int($0.rawValue) }
        guard lineal.contains(type), !isEmpty else {
            throw GeosError.invalidInput("linear referencing needs a non-empty line, got \(typeName)\(isEmpty ? " EMPTY" : "")")
        }
        // GEOS 3.11 dereferences the coordinate of an empty point.
        guard Int(GEOSGeomTypeId_r(contextHandle, point.handle)) == Int(GEOS_POINT.rawValue), !point.isEmpty else {
            throw GeosError.invalidInput("only a non-empty Point can be projected onto a line, got \(point.typeName)")
        }
    }

    /// The distance along this line, in coordinate units from its start, of the line's point
    /// nearest `point` (`GEOSProject_r`, which returns −1 on failure).
    /// - Throws: `.invalidInput` unless this is a non-empty (Multi)LineString and `point` a
    ///   non-empty Point.
    public func project(_ point: GeosGeometry) throws -> Double {
        try checkProjectable(point)
        return try context.nonNegative("GEOSProject_r") { GEOSProject_r($0, handle, point.handle) }
    }

    /// Like `project`, as a fraction 0…1 of the line's length (`GEOSProjectNormalized_r`).
    public func projectNormalized(_ point: GeosGeometry) throws -> Double {
        try checkProjectable(point)
        return try context.nonNegative("GEOSProjectNormalized_r") { GEOSProjectNormalized_r($0, handle, point.handle) }
    }

    /// The point `distance` coordinate units along this line from its start
    /// (`GEOSInterpolate_r`); a negative distance counts back from the end, and distances
    /// beyond the ends are clamped to them. `POINT EMPTY` for an empty line.
    /// - Throws: `.invalidInput` for a NaN or infinite distance; `.library` for a non-lineal
    ///   geometry.
    public func interpolate(distance: Double) throws -> GeosGeometry {
        guard distance.isFinite else { throw GeosError.invalidInput("interpolation distance must be finite, got \(distance)") }
        return try context.geometry("GEOSInterpolate_r") { GEOSInterpolate_r($0, handle, distance) }
    }

    /// The point at `fraction` (0…1, clamped) of this line's length
    /// (`GEOSInterpolateNormalized_r`).
    /// - Throws: `.invalidInput` for a NaN or infinite fraction; `.library` for a non-lineal
    ///   geometry.
    public func interpolate(fraction: Double) throws -> GeosGeometry {
        guard fraction.isFinite else { throw GeosError.invalidInput("interpolation fraction must be finite, got \(fraction)") }
        return try context.geometry("GEOSInterpolateNormalized_r") { GEOSInterpolateNormalized_r($0, handle, fraction) }
    }

    // MARK: prepared

    /// A prepared version of this geometry for many fast `contains` / `covers` / `intersects`
    /// tests against it (`GEOSPrepare_r`). It keeps this geometry alive.
    public func prepared() throws -> PreparedGeosGeometry {
        let p = try context.call("GEOSPrepare_r") { GEOSPrepare_r($0, handle) }
        return PreparedGeosGeometry(base: self, handle: p)
    }
}
