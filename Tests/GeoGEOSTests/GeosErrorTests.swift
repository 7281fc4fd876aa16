import GeoCore
import GeoGEOS
import Testing

/// Bad input comes back as a `GeosError`, never as a crash.
@Suite struct GeosErrorTests {
    let ctx: GeosContext
    init() throws { ctx = try GeosContext() }

    func le(_ values: [Double]) -> [UInt8] { values.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian, Array.init) } }
    func le(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.littleEndian, Array.init) }

    @Test func malformedWKTIsALibraryErrorWithGEOSsMessage() throws {
        let error = #expect(throws: GeosError.self) { try ctx.geometry(wkt: "POLYGON ((0 0, 1 1") }
        #expect(isLibraryError(error, function: "GEOSWKTReader_read_r", containing: "ParseException"), "\(String(describing: error))")
        #expect(throws: GeosError.self) { try ctx.geometry(wkt: "CIRCLE (0 0, 1)") }
        #expect(throws: GeosError.self) { try ctx.geometry(wkt: "") }
        // The context still works, and a later failure carries its own message, not the old one.
        #expect(try ctx.geometry(wkt: "POINT (1 2)").typeName == "Point")
        let later = #expect(throws: GeosError.self) { try ctx.geometry(wkt: "POLYGON ((0 0, 1 0, 1 1, 0 0))").interpolate(distance: 1) }
        #expect(isLibraryError(later, function: "GEOSInterpolate_r", containing: "lineal"), "\(String(describing: later))")
    }

    @Test func invalidValuesAreRefusedBeforeGEOS() throws {
        let unclosed = Array(square10.dropLast())
        #expect(throws: GeosError.invalidInput("ring 0 is not closed: (0.0 0.0) ≠ (0.0 10.0)")) {
            try ctx.geometry(from: .polygon([unclosed]))
        }
        #expect(throws: GeosError.invalidInput("ring 1 needs at least 4 positions (closed), got 2")) {
            try ctx.geometry(from: .polygon([square10, [P(2, 2), P(2, 2)]]))
        }
        expectInvalidInput { _ = try ctx.geometry(from: .polygon([[P(0, 0), P(1, 0), P(0, 0)]])) }
        #expect(throws: GeosError.invalidInput("a LineString needs at least 2 positions, got 1")) {
            try ctx.geometry(from: .lineString([P(0, 0)]))
        }
        expectInvalidInput { _ = try ctx.geometry(from: .point(P(.nan, 0))) }
        expectInvalidInput { _ = try ctx.geometry(from: .lineString([P(0, 0), P(1, .infinity)])) }
        expectInvalidInput { _ = try ctx.geometry(from: .point(P(0, 0, -.infinity))) }
        expectInvalidInput { _ = try ctx.point(x: .nan, y: 1) }
        // A bad part deep inside a collection is refused too, without leaking what was built.
        expectInvalidInput {
            _ = try ctx.geometry(from: .geometryCollection([.point(P(0, 0)), .multiPolygon([[square10], [unclosed]])]))
        }
        // A missing z is NaN, which is fine.
        #expect(try ctx.geometry(from: .point(P(0, 0, .nan))).toGeometry() == .point(P(0, 0)))
    }

    @Test func invalidWKBIsAnError() throws {
        expectInvalidInput { _ = try ctx.geometry(wkb: []) }
        // Truncated, unknown type, an absurd count: GEOS's own messages.
        let truncated = #expect(throws: GeosError.self) { try ctx.geometry(wkb: [0x01, 0x01, 0x00]) }
        #expect(isLibraryError(truncated, function: "GEOSWKBReader_read_r", containing: "ParseException"), "\(String(describing: truncated))")
        #expect(throws: GeosError.self) { try ctx.geometry(wkb: [1] + le(99) + le([1, 2])) }
        #expect(throws: GeosError.self) { try ctx.geometry(wkb: [1] + le(2) + le(0x7FFF_FFFF)) }
        // An unclosed ring is GEOS's to report.
        let ring = le(4) + le([0, 0, 1, 0, 1, 1, 0, 1])
        let unclosed = #expect(throws: GeosError.self) { try ctx.geometry(wkb: [1] + le(3) + le(1) + ring) }
        #expect(isLibraryError(unclosed, function: "GEOSWKBReader_read_r", containing: "closed"), "\(String(describing: unclosed))")
        // NaN inside a line is refused before GEOS.
        expectInvalidInput { _ = try ctx.geometry(wkb: [1] + le(2) + le(2) + le([0, 0, .nan, 1])) }
    }

    @Test func deepNestingIsRefusedBeforeGEOSRecurses() throws {
        let depth = 100_000
        // WKB: GEOMETRYCOLLECTION (GEOMETRYCOLLECTION (…)), 100 000 deep.
        let header: [UInt8] = [1] + le(7) + le(1)
        let bytes = Array([[UInt8]](repeating: header, count: depth).joined()) + [1] + le(7) + le(0)
        expectInvalidInput { _ = try ctx.geometry(wkb: bytes) }
        // WKT, the same.
        let text = String(repeating: "GEOMETRYCOLLECTION (", count: depth) + "POINT (1 2)" + String(repeating: ")", count: depth)
        expectInvalidInput { _ = try ctx.geometry(wkt: text) }
        // Values, one level past the limit.
        var value = Geometry.point(P(1, 2))
        for _ in 0...GeosContext.maximumNestingDepth { value = .geometryCollection([value]) }
        expectInvalidInput { _ = try ctx.geometry(from: value) }
    }

    @Test func nonFiniteWKTIsRefused() throws {
        expectInvalidInput { _ = try ctx.geometry(wkt: "LINESTRING (0 0, 1e999 1)") }
    }

    @Test func badParametersAreRefused() throws {
        let poly = try ctx.geometry(from: .polygon([square10]))
        let line = try ctx.geometry(wkt: "LINESTRING (0 0, 10 0)")
        expectInvalidInput { _ = try poly.buffer(distance: .nan) }
        expectInvalidInput { _ = try poly.buffer(distance: 1, quadrantSegments: 0) }
        expectInvalidInput { _ = try poly.buffer(distance: 1, quadrantSegments: Int.max) }
        expectInvalidInput { _ = try poly.buffer(distance: 1, join: .mitre, mitreLimit: .nan) }
        expectInvalidInput { _ = try poly.simplify(tolerance: -1) }
        expectInvalidInput { _ = try poly.concaveHull(ratio: 2) }
        expectInvalidInput { _ = try poly.concaveHull(ratio: .nan) }
        expectInvalidInput { _ = try poly.equals(poly, tolerance: -0.5) }
        expectInvalidInput { _ = try poly.wkt(precision: -1) }
        expectInvalidInput { _ = try poly.wkt(precision: 41) }
        expectInvalidInput { _ = try line.interpolate(distance: .nan) }
        expectInvalidInput { _ = try line.interpolate(fraction: .infinity) }
        // GEOS 3.11 would dereference the missing coordinate of an empty point.
        expectInvalidInput { _ = try line.project(ctx.geometry(wkt: "POINT EMPTY")) }
        expectInvalidInput { _ = try poly.project(ctx.point(x: 1, y: 1)) }
        expectInvalidInput { _ = try ctx.geometry(wkt: "LINESTRING EMPTY").projectNormalized(ctx.point(x: 1, y: 1)) }
        expectInvalidInput { _ = try line.distance(to: ctx.geometry(wkt: "POINT EMPTY")) }
        expectInvalidInput { _ = try line.nearestPoints(with: ctx.geometry(wkt: "POLYGON EMPTY")) }
    }

    @Test func geosExceptionsFromOperationsAreLibraryErrors() throws {
        let collection = try ctx.geometry(wkt: "GEOMETRYCOLLECTION (POINT (0 0), LINESTRING (0 0, 1 1))")
        let error = #expect(throws: GeosError.self) { try collection.boundary() }
        #expect(isLibraryError(error, function: "GEOSBoundary_r", containing: "Exception"), "\(String(describing: error))")
    }

    @Test func geometriesFromAnotherContextAreRefused() throws {
        let other = try GeosContext()
        let mine = try ctx.point(x: 0, y: 0), theirs = try other.point(x: 1, y: 1)
        expectInvalidInput { _ = try mine.distance(to: theirs) }
        expectInvalidInput { _ = try mine.intersects(theirs) }
        expectInvalidInput { _ = try mine.union(theirs) }
        expectInvalidInput { _ = try mine.prepared().contains(theirs) }
        expectInvalidInput { _ = try GeosSTRtree(context: ctx, geometries: [mine, theirs]) }
    }

    @Test func descriptions() {
        #expect(GeosError.library(function: "GEOSUnion_r", message: "TopologyException: boom").description
            == "GEOS GEOSUnion_r failed: TopologyException: boom")
        #expect(GeosError.invalidInput("ring 0 is not closed").description == "invalid input for GEOS: ring 0 is not closed")
    }
}
