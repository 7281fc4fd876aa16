internal import CGEOS
import GeoCore

/// A prepared geometry (`GEOSPrepare_r`, freed with `GEOSPreparedGeom_destroy_r`): indexes its
/// base geometry's edges once so that repeated `contains` / `covers` / `intersects` tests
/// against it are fast, e.g. millions of points against one country polygon. Planar, like
/// its base; belongs to the base geometry's context (not `Sendable`).
public final class PreparedGeosGeometry {
    /// The geometry that was prepared, kept alive by this object.
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

    /// `base.contains(other)`: a point on the boundary is not contained
    /// (`GEOSPreparedContains_r`).
    public func contains(_ other: GeosGeometry) throws -> Bool {
        try base.sameContext(other)
        return try context.predicate("GEOSPreparedContains_r") { GEOSPreparedContains_r($0, handle, other.handle) }
    }

    /// `base.covers(other)`: a point on the boundary is covered (`GEOSPreparedCovers_r`).
    public func covers(_ other: GeosGeometry) throws -> Bool {
        try base.sameContext(other)
        return try context.predicate("GEOSPreparedCovers_r") { GEOSPreparedCovers_r($0, handle, other.handle) }
    }

    /// `base.intersects(other)` (`GEOSPreparedIntersects_r`).
    public func intersects(_ other: GeosGeometry) throws -> Bool {
        try base.sameContext(other)
        return try context.predicate("GEOSPreparedIntersects_r") { GEOSPreparedIntersects_r($0, handle, other.handle) }
    }

    // MARK: bulk point tests

    /// For each point (`x[i]`, `y[i]`), in coordinate units, whether `base` contains it
    /// (`GEOSPreparedContains_r`; boundary points are not contained).
    ///
    /// GEOS 3.11 has no `GEOSPreparedContainsXY_r` (added in 3.12), so each test makes one
    /// GEOS point (`GEOSGeom_createPointFromXY_r`) and frees it at once; no Swift object is
    /// allocated per point.
    /// - Throws: `.invalidInput` when the arrays differ in length or a coordinate is NaN or
    ///   infinite (the message names the index).
    public func contains(x: [Double], y: [Double]) throws -> [Bool] {
        try test(x: x, y: y, "GEOSPreparedContains_r") { GEOSPreparedContains_r($0, $1, $2) }
    }

    /// Like `contains(x:y:)`, but boundary points count as inside (`GEOSPreparedCovers_r`).
    public func covers(x: [Double], y: [Double]) throws -> [Bool] {
        try test(x: x, y: y, "GEOSPreparedCovers_r") { GEOSPreparedCovers_r($0, $1, $2) }
    }

    /// Like `covers(x:y:)` (for points, intersecting is being covered), through
    /// `GEOSPreparedIntersects_r`.
    public func intersects(x: [Double], y: [Double]) throws -> [Bool] {
        try test(x: x, y: y, "GEOSPreparedIntersects_r") { GEOSPreparedIntersects_r($0, $1, $2) }
    }

    func test(x: [Double], y: [Double], _ function: String,
              _ predicate: (OpaquePointer, OpaquePointer, OpaquePointer) -> CChar) throws -> [Bool] {
        guard x.count == y.count else { throw GeosError.invalidInput("x has \(x.count) values but y has \(y.count)") }
        let ctx = context
        var result = [Bool]()
        result.reserveCapacity(x.count)
        for i in 0..<x.count {
            let px = x[i], py = y[i]
            guard px.isFinite, py.isFinite else {
                throw GeosError.invalidInput("point \(i) has a non-finite coordinate (\(px) \(py))")
            }
            let point = try ctx.call("GEOSGeom_createPointFromXY_r") { GEOSGeom_createPointFromXY_r($0, px, py) }
            defer { GEOSGeom_destroy_r(ctx.handle, point) }
            result.append(try ctx.predicate(function) { predicate($0, handle, point) })
        }
        return result
    }
}
