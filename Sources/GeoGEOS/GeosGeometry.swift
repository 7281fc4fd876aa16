internal import CGEOS
import GeoCore

/// One GEOS geometry owned by Swift (destroyed with `GEOSGeom_destroy_r`), tied to the context
/// that made it. Planar: lengths, areas and distances are in the coordinates' own units (degrees
/// for lon/lat data; use `GeoMetric` for metres).
public final class GeosGeometry {
    public let context: GeosContext
    let handle: OpaquePointer

    init(context: GeosContext, handle: OpaquePointer) {
        self.context = context
        self.handle = handle
    }

    deinit {
        GEOSGeom_destroy_r(context.handle, handle)
    }

    var h: OpaquePointer { context.handle }

    // MARK: output

    /// The geometry as a value (bulk `GEOSCoordSeq_copyToArrays_r`).
    public func toGeometry() throws -> Geometry { try context.value(of: handle) }

    /// Well-known text (`GEOSWKTWriter_write_r`), optionally rounded to `precision` decimals.
    /// Trailing zeros are trimmed; Z is written when present.
    public func wkt(precision: Int? = nil) throws -> String {
        let writer = context.wktWriter()
        GEOSWKTWriter_setTrim_r(h, writer, 1)
        GEOSWKTWriter_setRoundingPrecision_r(h, writer, Int32(precision ?? -1))
        guard let text = GEOSWKTWriter_write_r(h, writer, handle) else { throw context.failure("GEOSWKTWriter_write_r") }
        defer { GEOSFree_r(h, text) }
        return String(cString: text)
    }

    /// Well-known binary, little-endian, with Z when present (`GEOSWKBWriter_write_r`).
    public func wkb() throws -> [UInt8] {
        var size = 0
        guard let bytes = GEOSWKBWriter_write_r(h, context.wkbWriter(), handle, &size) else {
            throw context.failure("GEOSWKBWriter_write_r")
        }
        defer { GEOSFree_r(h, bytes) }
        return Array(UnsafeBufferPointer(start: bytes, count: size))
    }

    /// `Point`, `Polygon`, … (`GEOSGeomType_r`).
    public var typeName: String {
        guard let name = GEOSGeomType_r(h, handle) else { return "Unknown" }
        defer { GEOSFree_r(h, name) }
        return String(cString: name)
    }

    public var isEmpty: Bool { GEOSisEmpty_r(h, handle) == 1 }

    /// OGC validity (`GEOSisValid_r`).
    public var isValid: Bool { GEOSisValid_r(h, handle) == 1 }

    /// Why the geometry is invalid, or `Valid Geometry` (`GEOSisValidReason_r`).
    public var validityReason: String {
        guard let reason = GEOSisValidReason_r(h, handle) else { return "unknown" }
        defer { GEOSFree_r(h, reason) }
        return String(cString: reason)
    }

    /// The bounding box (`GEOSGeom_getExtent_r`); `.empty` for an empty geometry.
    public var envelope: BoundingBox {
        if isEmpty { return .empty }
        var minX = 0.0, minY = 0.0, maxX = 0.0, maxY = 0.0
        guard GEOSGeom_getExtent_r(h, handle, &minX, &minY, &maxX, &maxY) != 0 else { return .empty }
        return BoundingBox(minX: minX, minY: minY, maxX: maxX, maxY: maxY)
    }

    /// Planar area in squared coordinate units (`GEOSArea_r`); 0 for points and lines.
    public func area() throws -> Double {
        var value = 0.0
        guard GEOSArea_r(h, handle, &value) != 0 else { throw context.failure("GEOSArea_r") }
        return value
    }

    /// Planar length in coordinate units (`GEOSLength_r`); the perimeter for polygons.
    public func length() throws -> Double {
        var value = 0.0
        guard GEOSLength_r(h, handle, &value) != 0 else { throw context.failure("GEOSLength_r") }
        return value
    }

    // MARK: predicates (DE-9IM)

    func sameContext(_ other: GeosGeometry) throws {
        guard other.context === context else {
            throw GeosError.invalidInput("geometries from different GEOS contexts cannot be combined")
        }
    }

    public func intersects(_ other: GeosGeometry) throws -> Bool {
        try sameContext(other)
        return try context.predicate(GEOSIntersects_r(h, handle, other.handle), "GEOSIntersects_r")
    }

    /// True when `other` lies inside this geometry and not only on its boundary (`GEOSContains_r`).
    public func contains(_ other: GeosGeometry) throws -> Bool {
        try sameContext(other)
        return try context.predicate(GEOSContains_r(h, handle, other.handle), "GEOSContains_r")
    }

    public func within(_ other: GeosGeometry) throws -> Bool {
        try sameContext(other)
        return try context.predicate(GEOSWithin_r(h, handle, other.handle), "GEOSWithin_r")
    }

    /// Like `contains`, but a point on the boundary counts (`GEOSCovers_r`).
    public func covers(_ other: GeosGeometry) throws -> Bool {
        try sameContext(other)
        return try context.predicate(GEOSCovers_r(h, handle, other.handle), "GEOSCovers_r")
    }

    public func coveredBy(_ other: GeosGeometry) throws -> Bool {
        try sameContext(other)
        return try context.predicate(GEOSCoveredBy_r(h, handle, other.handle), "GEOSCoveredBy_r")
    }

    public func touches(_ other: GeosGeometry) throws -> Bool {
        try sameContext(other)
        return try context.predicate(GEOSTouches_r(h, handle, other.handle), "GEOSTouches_r")
    }

    public func crosses(_ other: GeosGeometry) throws -> Bool {
        try sameContext(other)
        return try context.predicate(GEOSCrosses_r(h, handle, other.handle), "GEOSCrosses_r")
    }

    public func overlaps(_ other: GeosGeometry) throws -> Bool {
        try sameContext(other)
        return try context.predicate(GEOSOverlaps_r(h, handle, other.handle), "GEOSOverlaps_r")
    }

    public func disjoint(_ other: GeosGeometry) throws -> Bool {
        try sameContext(other)
        return try context.predicate(GEOSDisjoint_r(h, handle, other.handle), "GEOSDisjoint_r")
    }

    /// Topological equality (`GEOSEquals_r`), or vertex-by-vertex equality within `tolerance`
    /// (`GEOSEqualsExact_r`).
    public func equals(_ other: GeosGeometry, tolerance: Double? = nil) throws -> Bool {
        try sameContext(other)
        if let tolerance {
            return try context.predicate(GEOSEqualsExact_r(h, handle, other.handle, tolerance), "GEOSEqualsExact_r")
        }
        return try context.predicate(GEOSEquals_r(h, handle, other.handle), "GEOSEquals_r")
    }

    // MARK: measurement

    /// Planar distance in coordinate units (`GEOSDistance_r`); 0 when they intersect.
    public func distance(to other: GeosGeometry) throws -> Double {
        try sameContext(other)
        var value = 0.0
        guard GEOSDistance_r(h, handle, other.handle, &value) != 0 else { throw context.failure("GEOSDistance_r") }
        return value
    }

    /// The closest point on this geometry and on `other` (`GEOSNearestPoints_r`).
    public func nearestPoints(with other: GeosGeometry) throws -> (Position, Position) {
        try sameContext(other)
        guard let seq = GEOSNearestPoints_r(h, handle, other.handle) else { throw context.failure("GEOSNearestPoints_r") }
        defer { GEOSCoordSeq_destroy_r(h, seq) }
        var x = [0.0, 0.0], y = [0.0, 0.0]
        guard GEOSCoordSeq_copyToArrays_r(h, seq, &x, &y, nil, nil) != 0 else { throw context.failure("GEOSCoordSeq_copyToArrays_r") }
        return (Position(x: x[0], y: y[0]), Position(x: x[1], y: y[1]))
    }

    // MARK: constructive

    /// How buffer ends and corners are drawn (GEOS's GEOSBufCapStyles / GEOSBufJoinStyles).
    public enum CapStyle: Int32, Sendable { case round = 1, flat = 2, square = 3 }
    public enum JoinStyle: Int32, Sendable { case round = 1, mitre = 2, bevel = 3 }

    /// Planar buffer by `distance` coordinate units (`GEOSBufferWithStyle_r`). On lon/lat data
    /// this is a buffer in degrees; use `MetricGeometry.buffer` for metres. Negative distances
    /// shrink polygons. `quadrantSegments` segments approximate each quarter circle.
    public func buffer(distance: Double, quadrantSegments: Int = 16, cap: CapStyle = .round, join: JoinStyle = .round, mitreLimit: Double = 5) throws -> GeosGeometry {
        guard distance.isFinite else { throw GeosError.invalidInput("buffer distance must be finite") }
        return try context.wrap(
            GEOSBufferWithStyle_r(h, handle, distance, Int32(quadrantSegments), Int32(cap.rawValue), Int32(join.rawValue), mitreLimit),
            "GEOSBufferWithStyle_r")
    }

    public func union(_ other: GeosGeometry) throws -> GeosGeometry {
        try sameContext(other)
        return try context.wrap(GEOSUnion_r(h, handle, other.handle), "GEOSUnion_r")
    }

    /// Dissolves all parts of this geometry into one (`GEOSUnaryUnion_r`).
    public func unaryUnion() throws -> GeosGeometry {
        try context.wrap(GEOSUnaryUnion_r(h, handle), "GEOSUnaryUnion_r")
    }

    public func intersection(_ other: GeosGeometry) throws -> GeosGeometry {
        try sameContext(other)
        return try context.wrap(GEOSIntersection_r(h, handle, other.handle), "GEOSIntersection_r")
    }

    public func difference(_ other: GeosGeometry) throws -> GeosGeometry {
        try sameContext(other)
        return try context.wrap(GEOSDifference_r(h, handle, other.handle), "GEOSDifference_r")
    }

    public func symmetricDifference(_ other: GeosGeometry) throws -> GeosGeometry {
        try sameContext(other)
        return try context.wrap(GEOSSymDifference_r(h, handle, other.handle), "GEOSSymDifference_r")
    }

    public func convexHull() throws -> GeosGeometry {
        try context.wrap(GEOSConvexHull_r(h, handle), "GEOSConvexHull_r")
    }

    /// A concave hull (`GEOSConcaveHull_r`): `ratio` 1 gives the convex hull, 0 the tightest.
    public func concaveHull(ratio: Double, allowHoles: Bool = false) throws -> GeosGeometry {
        guard (0...1).contains(ratio) else { throw GeosError.invalidInput("concave hull ratio must be in 0…1, got \(ratio)") }
        return try context.wrap(GEOSConcaveHull_r(h, handle, ratio, allowHoles ? 1 : 0), "GEOSConcaveHull_r")
    }

    /// Douglas–Peucker simplification within `tolerance` coordinate units; by default keeping
    /// topology valid (`GEOSTopologyPreserveSimplify_r`, else `GEOSSimplify_r`).
    public func simplify(tolerance: Double, preserveTopology: Bool = true) throws -> GeosGeometry {
        preserveTopology
            ? try context.wrap(GEOSTopologyPreserveSimplify_r(h, handle, tolerance), "GEOSTopologyPreserveSimplify_r")
            : try context.wrap(GEOSSimplify_r(h, handle, tolerance), "GEOSSimplify_r")
    }

    /// A valid geometry covering the same points (`GEOSMakeValid_r`): a bow-tie polygon becomes
    /// a two-part MultiPolygon.
    public func makeValid() throws -> GeosGeometry {
        try context.wrap(GEOSMakeValid_r(h, handle), "GEOSMakeValid_r")
    }

    /// Planar centroid (`GEOSGetCentroid_r`); `POINT EMPTY` for an empty geometry.
    public func centroid() throws -> GeosGeometry {
        try context.wrap(GEOSGetCentroid_r(h, handle), "GEOSGetCentroid_r")
    }

    /// A point guaranteed to lie on the geometry (`GEOSPointOnSurface_r`).
    public func pointOnSurface() throws -> GeosGeometry {
        try context.wrap(GEOSPointOnSurface_r(h, handle), "GEOSPointOnSurface_r")
    }

    public func boundary() throws -> GeosGeometry {
        try context.wrap(GEOSBoundary_r(h, handle), "GEOSBoundary_r")
    }

    // MARK: linear referencing

    /// Distance along this line to the point on it nearest `point` (`GEOSProject_r`), in
    /// coordinate units.
    public func project(_ point: GeosGeometry) throws -> Double {
        try sameContext(point)
        let d = GEOSProject_r(h, handle, point.handle)
        guard d >= 0 else { throw context.failure("GEOSProject_r") }
        return d
    }

    /// Like `project`, as a fraction 0…1 of the line's length (`GEOSProjectNormalized_r`).
    public func projectNormalized(_ point: GeosGeometry) throws -> Double {
        try sameContext(point)
        let d = GEOSProjectNormalized_r(h, handle, point.handle)
        guard d >= 0 else { throw context.failure("GEOSProjectNormalized_r") }
        return d
    }

    /// The point `distance` coordinate units along this line (`GEOSInterpolate_r`); clamped to
    /// the ends.
    public func interpolate(distance: Double) throws -> GeosGeometry {
        try context.wrap(GEOSInterpolate_r(h, handle, distance), "GEOSInterpolate_r")
    }

    /// The point at `fraction` (0…1) of this line's length (`GEOSInterpolateNormalized_r`).
    public func interpolate(fraction: Double) throws -> GeosGeometry {
        try context.wrap(GEOSInterpolateNormalized_r(h, handle, fraction), "GEOSInterpolateNormalized_r")
    }

    // MARK: prepared

    /// A prepared copy for many repeated predicate tests against this geometry (`GEOSPrepare_r`).
    public func prepared() throws -> PreparedGeosGeometry {
        guard let p = GEOSPrepare_r(h, handle) else { throw context.failure("GEOSPrepare_r") }
        return PreparedGeosGeometry(base: self, handle: p)
    }
}

/// A prepared geometry (`GEOSPreparedGeometry`): fast repeated `contains` / `intersects` /
/// `covers` tests, e.g. millions of points against a country polygon.
public final class PreparedGeosGeometry {
    public let base: GeosGeometry
    let handle: OpaquePointer

    init(base: GeosGeometry, handle: OpaquePointer) {
        self.base = base
        self.handle = handle
    }

    deinit {
        GEOSPreparedGeom_destroy_r(base.context.handle, handle)
    }

    var context: GeosContext { base.context }

    public func contains(_ other: GeosGeometry) throws -> Bool {
        try base.sameContext(other)
        return try context.predicate(GEOSPreparedContains_r(context.handle, handle, other.handle), "GEOSPreparedContains_r")
    }

    public func intersects(_ other: GeosGeometry) throws -> Bool {
        try base.sameContext(other)
        return try context.predicate(GEOSPreparedIntersects_r(context.handle, handle, other.handle), "GEOSPreparedIntersects_r")
    }

    public func covers(_ other: GeosGeometry) throws -> Bool {
        try base.sameContext(other)
        return try context.predicate(GEOSPreparedCovers_r(context.handle, handle, other.handle), "GEOSPreparedCovers_r")
    }

    /// `covers` for each point of two coordinate arrays (boundary counts as inside). GEOS 3.11
    /// has no XY variant, so one point geometry is made per test and freed at once.
    public func covers(x: [Double], y: [Double]) throws -> [Bool] {
        guard x.count == y.count else { throw GeosError.invalidInput("x has \(x.count) values but y has \(y.count)") }
        var result = [Bool]()
        result.reserveCapacity(x.count)
        for i in 0..<x.count {
            guard let p = GEOSGeom_createPointFromXY_r(context.handle, x[i], y[i]) else { throw context.failure("GEOSGeom_createPointFromXY_r") }
            let r = GEOSPreparedCovers_r(context.handle, handle, p)
            GEOSGeom_destroy_r(context.handle, p)
            result.append(try context.predicate(r, "GEOSPreparedCovers_r"))
        }
        return result
    }
}
